/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Dashboard($eventLimit: Int = 3) {\n  apps {\n    nodes {\n      id\n      name\n      status\n      machines {\n        nodes {\n          id\n          machineId\n          name\n          state\n          region\n          image\n          checks {\n            name\n            status\n          }\n          events(limit: $eventLimit) {\n            id\n            type\n            status\n            source\n            timestamp\n          }\n        }\n      }\n    }\n  }\n}": typeof types.DashboardDocument,
    "query Health {\n  health {\n    ok\n    mode\n    checks {\n      name\n      ok\n      latencyMs\n      message\n    }\n  }\n}": typeof types.HealthDocument,
    "query AppMachines($app: String!, $state: [MachineState!], $region: String, $first: Int, $after: String) {\n  machines(\n    app: $app\n    state: $state\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      machineId\n      state\n      region\n      version\n    }\n  }\n}\n\nquery MachineDetail($app: String!, $machineId: String!) {\n  machine(app: $app, machineId: $machineId) {\n    id\n    machineId\n    appName\n    state\n    region\n    image\n    cpus\n    memoryMb\n    events {\n      id\n      type\n      status\n      source\n      timestamp\n      exitCode\n    }\n    checks {\n      name\n      status\n      output\n    }\n  }\n}": typeof types.AppMachinesDocument,
};
const documents: Documents = {
    "query Dashboard($eventLimit: Int = 3) {\n  apps {\n    nodes {\n      id\n      name\n      status\n      machines {\n        nodes {\n          id\n          machineId\n          name\n          state\n          region\n          image\n          checks {\n            name\n            status\n          }\n          events(limit: $eventLimit) {\n            id\n            type\n            status\n            source\n            timestamp\n          }\n        }\n      }\n    }\n  }\n}": types.DashboardDocument,
    "query Health {\n  health {\n    ok\n    mode\n    checks {\n      name\n      ok\n      latencyMs\n      message\n    }\n  }\n}": types.HealthDocument,
    "query AppMachines($app: String!, $state: [MachineState!], $region: String, $first: Int, $after: String) {\n  machines(\n    app: $app\n    state: $state\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      machineId\n      state\n      region\n      version\n    }\n  }\n}\n\nquery MachineDetail($app: String!, $machineId: String!) {\n  machine(app: $app, machineId: $machineId) {\n    id\n    machineId\n    appName\n    state\n    region\n    image\n    cpus\n    memoryMb\n    events {\n      id\n      type\n      status\n      source\n      timestamp\n      exitCode\n    }\n    checks {\n      name\n      status\n      output\n    }\n  }\n}": types.AppMachinesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($eventLimit: Int = 3) {\n  apps {\n    nodes {\n      id\n      name\n      status\n      machines {\n        nodes {\n          id\n          machineId\n          name\n          state\n          region\n          image\n          checks {\n            name\n            status\n          }\n          events(limit: $eventLimit) {\n            id\n            type\n            status\n            source\n            timestamp\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Dashboard($eventLimit: Int = 3) {\n  apps {\n    nodes {\n      id\n      name\n      status\n      machines {\n        nodes {\n          id\n          machineId\n          name\n          state\n          region\n          image\n          checks {\n            name\n            status\n          }\n          events(limit: $eventLimit) {\n            id\n            type\n            status\n            source\n            timestamp\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Health {\n  health {\n    ok\n    mode\n    checks {\n      name\n      ok\n      latencyMs\n      message\n    }\n  }\n}"): (typeof documents)["query Health {\n  health {\n    ok\n    mode\n    checks {\n      name\n      ok\n      latencyMs\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AppMachines($app: String!, $state: [MachineState!], $region: String, $first: Int, $after: String) {\n  machines(\n    app: $app\n    state: $state\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      machineId\n      state\n      region\n      version\n    }\n  }\n}\n\nquery MachineDetail($app: String!, $machineId: String!) {\n  machine(app: $app, machineId: $machineId) {\n    id\n    machineId\n    appName\n    state\n    region\n    image\n    cpus\n    memoryMb\n    events {\n      id\n      type\n      status\n      source\n      timestamp\n      exitCode\n    }\n    checks {\n      name\n      status\n      output\n    }\n  }\n}"): (typeof documents)["query AppMachines($app: String!, $state: [MachineState!], $region: String, $first: Int, $after: String) {\n  machines(\n    app: $app\n    state: $state\n    region: $region\n    first: $first\n    after: $after\n  ) {\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      machineId\n      state\n      region\n      version\n    }\n  }\n}\n\nquery MachineDetail($app: String!, $machineId: String!) {\n  machine(app: $app, machineId: $machineId) {\n    id\n    machineId\n    appName\n    state\n    region\n    image\n    cpus\n    memoryMb\n    events {\n      id\n      type\n      status\n      source\n      timestamp\n      exitCode\n    }\n    checks {\n      name\n      status\n      output\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;