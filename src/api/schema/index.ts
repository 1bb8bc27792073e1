import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './enums.js';
import './errors.js';
import './inputs.js';
import './machines/check-status.js';
import './machines/machine-event.js';
import './machines/lease.js';
import './machines/machine-config.js';
import './machines/machine.js';
import './machines/machine-info.js';
import './app-health.js';
import './organization.js';
import './app.js';
import './volume-snapshot.js';
import './volume.js';
import './region.js';
import './health.js';
import './machines/lifecycle-mutations.js';
import './machines/write-mutations.js';
import './machines/routing-mutations.js';
import './machines/metadata-mutations.js';
import './machines/lease-mutations.js';
import './subscriptions.js';
import './deployment.js';
import { liveDirective } from './live.js';

let schema: GraphQLSchema | undefined;

/** The executable schema. Built once: it is immutable and holds no per-gateway state. */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: true, directives: [...specifiedDirectives, liveDirective] });
  return schema;
}
