import {
  getNamedType,
  Kind,
  print,
  isInterfaceType,
  isObjectType,
  specifiedDirectives,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { printSubgraphSchema } from '@apollo/subgraph';
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
// Federation entities (App, Machine, Volume); they only show in the subgraph schema.
import './federation.js';
import { liveDirective } from './live.js';

let schema: GraphQLSchema | undefined;
let subgraphSchema: GraphQLSchema | undefined;

/**
 * Fly's lists only page forward, so Relay's `last`/`before` could only ever fail; the relay plugin adds them to
 * every connection with no option to leave them out, so they are taken off the built schema.
 */
function withoutBackwardPaging(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    // The subgraph's SDL is printed from the AST nodes the directives plugin leaves on types: trim those alike.
    if (type.astNode?.fields) {
      const fields = type.astNode.fields.map((field) =>
        field.arguments && field.type.kind !== Kind.LIST_TYPE && /Connection!?$/.test(print(field.type))
          ? { ...field, arguments: field.arguments.filter((arg) => arg.name.value !== 'last' && arg.name.value !== 'before') }
          : field,
      );
      (type as { astNode: typeof type.astNode }).astNode = { ...type.astNode, fields } as typeof type.astNode;
    }
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

/**
 * The same schema as a federation v2 subgraph (FEDERATION=true): `_service { sdl }`, `_entities` and `@key` on App,
 * Machine and Volume besides every plain field. Built once, separately, so the plain schema stays as printed.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  if (subgraphSchema) return subgraphSchema;
  const built = withoutBackwardPaging(builder.toSubGraphSchema({ sortSchema: true, directives: [...specifiedDirectives, liveDirective] }));
  // The plugin prints `_service.sdl` before the paging arguments come off; print it again from what is served.
  const sdl = printSubgraphSchema(built);
  const service = built.getQueryType()?.getFields()._service;
  if (service) service.resolve = () => ({ sdl });
  subgraphSchema = built;
  return built;
}
