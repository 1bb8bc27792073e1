import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './enums.js';
import './check-status.js';
import './machine-event.js';
import './machine.js';
import './app.js';
import './health.js';

let schema: GraphQLSchema | undefined;

/** The executable schema. Built once: it is immutable and holds no per-gateway state. */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: true });
  return schema;
}
