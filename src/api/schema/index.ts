import { getNamedType, isInterfaceType, isObjectType, specifiedDirectives, type GraphQLArgument, type GraphQLSchema } from 'graphql';
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
import './machines/action-mutations.js';
import './machines/lease-mutations.js';
import './subscriptions.js';
import './deployment.js';
import './app-mutations.js';
import './volume-mutations.js';
import './secrets.js';
import './metrics.js';
import './deployment-history.js';
import './postgres/postgres-cluster.js';
import './postgres/postgres-cluster-mutations.js';
import './postgres/postgres-mutations.js';
import './postgres/postgres-subscription.js';
// TLS certificates and IP addresses.
import './certificate.js';
import './ip-address.js';
// Exec, organization-wide lists, placements and deploy tokens.
import './machines/exec.js';
import './org-lists.js';
import './placements.js';
import './deploy-token.js';
import './logs.js';
import { liveDirective } from './live.js';

let schema: GraphQLSchema | undefined;

/**
 * Fly's lists only page forward, so Relay's `last`/`before` could only ever fail; the relay plugin adds them to
 * every connection with no option to leave them out, so they are taken off the built schema.
 */
function withoutBackwardPaging(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!getNamedType(field.type).name.endsWith('Connection')) continue;
      (field as { args: readonly GraphQLArgument[] }).args = field.args.filter((arg) => arg.name !== 'last' && arg.name !== 'before');
    }
  }
  return built;
}

/** The executable schema. Built once: it is immutable and holds no per-gateway state. */
export function buildSchema(): GraphQLSchema {
  schema ??= withoutBackwardPaging(builder.toSchema({ sortSchema: true, directives: [...specifiedDirectives, liveDirective] }));
  return schema;
}
