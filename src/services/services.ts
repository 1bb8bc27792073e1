import type { FlyClient } from '../flyio/types.js';
import type { DeploymentService } from './deploy/deployment-service.js';
import type { EventsService } from './events/events-service.js';
import type { HealthService } from './health.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createMachineUseCases, type MachineUseCases } from './machines/machine-use-cases.js';

/** Long-lived use cases shared by all requests of one gateway. */
export interface Services {
  fly: FlyClient;
  health: HealthService;
  /** Filtered event streams for subscriptions. */
  events: EventsService;
  /** Machine mutations (create, lifecycle, leases, metadata). */
  machines: MachineUseCases;
  /** Rolling updates of an app's machines (one per app at a time), stored so any instance can report them. */
  deployments: DeploymentService;
  /** Fresh per-request loaders. */
  createLoaders(signal?: AbortSignal): Loaders;
}

/** Wires the services from their dependencies. */
export function createServices({
  fly,
  health,
  events,
  deployments,
}: {
  fly: FlyClient;
  health: HealthService;
  events: EventsService;
  deployments: DeploymentService;
}): Services {
  return {
    fly,
    health,
    events,
    deployments,
    machines: createMachineUseCases({ fly }),
    createLoaders: (signal) => createLoaders({ fly, signal }),
  };
}
