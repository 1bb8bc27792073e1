import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './enums.js';
import './errors.js';
import './inputs.js';
import './check-status.js';
import './machine-event.js';
import './lease.js';
import './machine-config.js';
import './machine.js';
import './app-health.js';
import './organization.js';
import './app.js';
import './volume-snapshot.js';
import './volume.js';
import './region.js';
import './health.js';
import './machine-lifecycle-mutations.js';
import './machine-write-mutations.js';
import './machine-routing-mutations.js';
import './machine-metadata-mutations.js';
import './lease-mutations.js';
import './subscriptions.js';
import './deployment.js';

let schema: GraphQLSchema | undefined;

/** The executable schema. Built once: it is immutable and holds no per-gateway state. */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: true });
  return schema;
}
