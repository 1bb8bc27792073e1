import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTabs } from '#src/api/http/examples.js';
import { loadConfig } from '#src/config/load-config.js';
import { createDemoExamples } from '#src/demo/examples.js';
import { createGateway, type Gateway } from '#src/gateway.js';
import type { DeploymentService } from '#src/services/deploy/deployment-service.js';

// The GraphiQL tabs for an app (create, then delete) and a volume with a snapshot run on the demo as served, with
// the variables the page gives them, and again (nothing they leave behind stops a second run).

describe('the app and volume examples in demo mode', () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = createGateway(loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', EMULATOR_ACTIVITY_MS: '3600000' } }));
    url = (await gateway.start()).url;
  });
  afterAll(() => gateway?.stop());

  const run = async (name: string) => {
    const targets = createDemoExamples({ emulator: gateway.emulator!, deployments: {} as DeploymentService }).targets();
    const tab = exampleTabs(targets).find((t) => new RegExp(`^mutation ${name}\\b`, 'm').test(t.query))!;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: tab.query, variables: JSON.parse(tab.variables ?? '{}') }),
    });
    return (await response.json()) as { data: any; errors?: unknown[] };
  };

  it('should create then delete an app, twice in a row', async () => {
    for (let i = 0; i < 2; i++) {
      const answer = await run('AppLifecycle');
      expect(answer.errors).toBeUndefined();
      expect(answer.data.createApp).toMatchObject({ __typename: 'CreateAppSuccess', app: { name: 'demo-web-scratch', machineCount: 0 } });
      expect(answer.data.deleteApp).toEqual({ __typename: 'DeleteAppSuccess', name: 'demo-web-scratch' });
    }
    expect(gateway.emulator!.control.listApps()).not.toContain('demo-web-scratch');
  });

  it("should snapshot the demo app's volume and show it with its snapshots, one more each run", async () => {
    for (let i = 1; i <= 2; i++) {
      const answer = await run('VolumeSnapshot');
      expect(answer.errors).toBeUndefined();
      expect(answer.data.createVolumeSnapshot).toMatchObject({ __typename: 'CreateVolumeSnapshotSuccess', volume: { name: 'uploads' } });
      expect(answer.data.createVolumeSnapshot.volume.snapshots).toHaveLength(i);
    }
  });
});
