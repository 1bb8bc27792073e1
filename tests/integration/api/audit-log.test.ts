import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

const ops = createKey('ops', new Set(['read', 'write']));
const viewer = createKey('viewer', new Set(['read']));
const SECRET = 'sk_live_do_not_log_me';

let built: BuiltTestGateway;
const lines: string[] = [];

beforeAll(async () => {
  built = await buildTestGateway({
    emulatorOptions: { seed: 'demo' },
    env: { AUTH_MODE: 'api-keys', API_KEYS: `${ops.entry},${viewer.entry}`, LOG_LEVEL: 'info' },
    deps: { logDestination: { write: (line: string) => void lines.push(line) } },
  });
});
afterAll(async () => built?.close());

type AuditLine = {
  level: number;
  audit: true;
  caller: string;
  operation: string;
  target: Record<string, string>;
  outcome: string;
  requestId: string;
};

/** Runs `query` as `key` and returns the audit lines it left (and every line, for the secret check). */
async function audited(key: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  lines.length = 0;
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, { __typename?: string }> };
  const parsed = lines.map((line) => JSON.parse(line) as Partial<AuditLine>);
  return { body, all: [...lines], audit: parsed.filter((line): line is AuditLine => line.audit === true) };
}

function webMachine(state = 'started'): string {
  return built.emu.control.listMachines('demo-web').find((m) => m.state === state)!.id;
}

const INFO = 30;

describe('audit log', () => {
  it('should write one info line naming the key, the machine and the outcome when ops destroys a machine with force', async () => {
    const machineId = webMachine();
    const { audit } = await audited(
      ops.key,
      'mutation($m: String!) { destroyMachine(input: { app: "demo-web", machineId: $m, force: true }) { __typename } }',
      { m: machineId },
      { 'x-request-id': 'req-destroy-1' },
    );
    expect(audit).toEqual([
      expect.objectContaining({
        level: INFO,
        caller: 'ops',
        operation: 'destroyMachine',
        target: { app: 'demo-web', machineId },
        outcome: 'DestroyMachineSuccess',
        requestId: 'req-destroy-1',
      }),
    ]);
  });

  it('should audit a typed failure by its code and a refused caller as FORBIDDEN when the mutation does not run', async () => {
    const missing = await audited(
      ops.key,
      'mutation { startMachine(input: { app: "demo-web", machineId: "0000000000dead" }) { __typename } }',
    );
    expect(missing.audit).toEqual([expect.objectContaining({ operation: 'startMachine', outcome: 'NOT_FOUND' })]);
    expect(missing.audit[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await audited(
      viewer.key,
      'mutation { startMachine(input: { app: "demo-web", machineId: "0000000000dead" }) { __typename } }',
    );
    expect(refused.audit).toEqual([expect.objectContaining({ caller: 'viewer', operation: 'startMachine', outcome: 'FORBIDDEN' })]);
  });

  it('should write no audit line when the operation is a query', async () => {
    const { audit } = await audited(ops.key, '{ apps { nodes { name } } }');
    expect(audit).toEqual([]);
  });

  it('should keep input values and the API key out of every line when a mutation carries a secret', async () => {
    const machineId = webMachine();
    const { audit, all } = await audited(
      ops.key,
      `mutation($m: String!, $v: String!) {
        setMachineMetadata(input: { app: "demo-web", machineId: $m, key: "api_token", value: $v }) { __typename }
        updateMachine(input: { app: "demo-web", machineId: $m, config: { env: [{ name: "TOKEN", value: $v }] } }) { __typename }
      }`,
      { m: machineId, v: SECRET },
    );
    expect(audit.map((line) => line.operation)).toEqual(['setMachineMetadata', 'updateMachine']);
    expect(all.join('\n')).not.toContain(SECRET);
    expect(all.join('\n')).not.toContain(ops.key);
  });

  it('should audit a deployment when it starts and again with its final status when it ends', async () => {
    const { body, audit } = await audited(
      ops.key,
      'mutation { deployApp(input: { app: "demo-web", image: "registry.fly.io/demo-web:v43" }) { __typename ... on DeployAppSuccess { deployment { id } } } }',
    );
    const id = (body.data!.deployApp as { deployment: { id: string } }).deployment.id;
    expect(audit).toEqual([
      expect.objectContaining({ operation: 'deployApp', target: { app: 'demo-web', deployment: id }, outcome: 'DeployAppSuccess' }),
    ]);
    const finished = () =>
      lines.map((line) => JSON.parse(line) as Partial<AuditLine>).filter((line) => line.operation === 'deployApp.finished');
    await expect
      .poll(finished, { timeout: 30_000 })
      .toEqual([expect.objectContaining({ caller: 'ops', target: { app: 'demo-web', deployment: id }, outcome: 'SUCCEEDED' })]);
  }, 45_000);
  it('should name the app of createApp and deleteApp, and the volume a volume write made or changed', async () => {
    const created = await audited(ops.key, 'mutation { createApp(input: { name: "audited-app", org: "personal" }) { __typename } }');
    expect(created.audit).toEqual([
      expect.objectContaining({ operation: 'createApp', target: { app: 'audited-app' }, outcome: 'CreateAppSuccess' }),
    ]);
    const volume = await audited(
      ops.key,
      'mutation { createVolume(input: { app: "audited-app", name: "data", region: "iad" }) { ... on CreateVolumeSuccess { volume { volumeId } } } }',
    );
    const volumeId = (volume.body.data!.createVolume as unknown as { volume: { volumeId: string } }).volume.volumeId;
    expect(volume.audit).toEqual([
      expect.objectContaining({ operation: 'createVolume', target: { app: 'audited-app', volumeId }, outcome: 'CreateVolumeSuccess' }),
    ]);
    const refused = await audited(viewer.key, 'mutation { deleteApp(input: { name: "audited-app", force: true }) { __typename } }');
    expect(refused.audit).toEqual([
      expect.objectContaining({ operation: 'deleteApp', target: { app: 'audited-app' }, outcome: 'FORBIDDEN' }),
    ]);
  });
});
