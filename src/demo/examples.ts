import type { ExampleTargets } from '../api/http/examples.js';
import type { Emulator } from '../emulator/emulator.js';
import { DEMO_CERTIFICATE_HOSTNAME } from '../emulator/seed.js';
import type { DeploymentService } from '../services/deploy/deployment-service.js';

/** The app the demo examples act on: it has started machines with checks and can be deployed to. */
export const DEMO_EXAMPLE_APP = 'demo-web';

/** What GraphiQL's examples need from demo mode, and the deployment service that feeds it. */
export interface DemoExamples {
  /** The given service, noting the latest deployment of each app it starts. */
  readonly deployments: DeploymentService;
  /** Ids for the examples, read now: demo machine ids change at every start and machines come and go. */
  targets(): ExampleTargets | undefined;
}

/**
 * Demo machine ids are made at every start, so shipped examples could only hold placeholders that fail. This
 * reads a started machine of the example app from the emulator when GraphiQL's page is served, and remembers the
 * latest deployment so the progress example can follow it after a reload.
 */
export function createDemoExamples({ emulator, deployments }: { emulator: Emulator; deployments: DeploymentService }): DemoExamples {
  const latest = new Map<string, string>();
  return {
    deployments: {
      ...deployments,
      async deploy(input, options) {
        const record = await deployments.deploy(input, options);
        latest.set(record.app, record.id);
        return record;
      },
    },
    targets() {
      const machines = emulator.control.listMachines(DEMO_EXAMPLE_APP);
      // A started machine makes Restart and Exec work; any machine still serves Lease when none is started.
      const machine = machines.find((m) => m.state === 'started') ?? machines.find((m) => !m.state.startsWith('destroy'));
      if (!machine) return undefined;
      const volume = emulator.control.listVolumes(DEMO_EXAMPLE_APP)[0];
      return {
        app: DEMO_EXAMPLE_APP,
        machineId: machine.id,
        deploymentId: latest.get(DEMO_EXAMPLE_APP),
        volumeId: volume ? String(volume.id) : undefined,
        hostname: DEMO_CERTIFICATE_HOSTNAME,
      };
    },
  };
}
