/**
 * What each peer is asked, per scenario. Flygate and the naive baseline share one schema shape, so they get the same
 * query text; Mesh's schema is the OpenAPI document turned into GraphQL, so it gets its own (see PERFORMANCE.md).
 */
import { appName, machineId, ORG, APP_COUNT } from './peers/upstream.js';

export type Scenario = 'hello' | 'dashboard' | 'dashboard-full' | 'machine' | 'restart';
export const SCENARIOS: Scenario[] = ['hello', 'dashboard', 'dashboard-full', 'machine', 'restart'];

/** One HTTP request of a scenario. */
export interface BenchRequest {
  method: 'POST';
  body: string;
}

/** A scenario as a peer runs it: the requests of one operation, in order. */
export interface Plan {
  requests: BenchRequest[];
  /** What one answer must look like (checked once before and once after the load). */
  check: (body: any) => string | undefined;
  note?: string;
}

const gql = (query: string, variables?: Record<string, unknown>): BenchRequest => ({
  method: 'POST',
  body: JSON.stringify({ query, variables }),
});

const APP = appName(3);
const MACHINE = machineId(3, 7);

/** The dashboard with the cheap selection, and with image and checks as well. */
export const DASHBOARD = 'query Dashboard { apps { nodes { name status machines { nodes { machineId name state region } } } } }';
export const DASHBOARD_FULL =
  'query DashboardFull { apps { nodes { name status machines { nodes { machineId name state region image checks { name status } } } } } }';
const MACHINE_QUERY =
  'query Machine($app: String!, $id: String!) { machine(app: $app, machineId: $id) { machineId name state region image checks { name status } events(limit: 3) { type status timestamp } } }';
const RESTART =
  'mutation Restart($input: RestartMachineInput!) { restartMachine(input: $input) { __typename ... on RestartMachineSuccess { machine { machineId state } wait { reached } } } }';

function countMachines(apps: any[] | undefined, field: (app: any) => any[] | undefined): string | undefined {
  if (!Array.isArray(apps) || apps.length !== APP_COUNT) return `expected ${APP_COUNT} apps, got ${apps?.length}`;
  const machines = apps.reduce((n, a) => n + (field(a)?.length ?? 0), 0);
  return machines === APP_COUNT * 20 ? undefined : `expected ${APP_COUNT * 20} machines, got ${machines}`;
}

const noErrors = (body: any) => (body?.errors ? `errors: ${JSON.stringify(body.errors).slice(0, 300)}` : undefined);

/** Flygate's schema (and the naive baseline's slice of it). */
export function flygatePlan(scenario: Scenario): Plan | undefined {
  switch (scenario) {
    case 'dashboard':
    case 'dashboard-full':
      return {
        requests: [gql(scenario === 'dashboard' ? DASHBOARD : DASHBOARD_FULL)],
        check: (b) => noErrors(b) ?? countMachines(b?.data?.apps?.nodes, (a) => a.machines?.nodes),
      };
    case 'machine':
      return {
        requests: [gql(MACHINE_QUERY, { app: APP, id: MACHINE })],
        check: (b) => noErrors(b) ?? (b?.data?.machine?.machineId === MACHINE ? undefined : 'wrong machine'),
      };
    case 'restart':
      return {
        requests: [gql(RESTART, { input: { app: APP, machineId: MACHINE, wait: { timeoutSeconds: 10 } } })],
        check: (b) =>
          noErrors(b) ??
          (b?.data?.restartMachine?.__typename === 'RestartMachineSuccess' && b.data.restartMachine.wait?.reached === true
            ? undefined
            : `unexpected ${JSON.stringify(b).slice(0, 300)}`),
      };
    default:
      return undefined;
  }
}

const MESH_APPS = `{ Apps_list(org_slug: "${ORG}") { ... on ListAppsResponse { apps { name status } } } }`;
const MESH_MACHINES = 'query AppMachines($app: String!) { Machines_list(app_name: $app) { ... on Machine { id name state region } } }';
const MESH_LINKED = (full: boolean) =>
  `{ Apps_list(org_slug: "${ORG}") { ... on ListAppsResponse { apps { name status machines { ... on Machine { id name state region${
    full ? ' config { image } checks { name status }' : ''
  } } } } } } }`;

/**
 * Mesh over the full spec. `dashboard` is what a client of that schema has to send: the apps list, then one
 * machines query per app (1 + N requests, counted as one operation). `dashboard-link` and `dashboard-full` use the
 * one hand-written `@resolveTo` link (App.machines). Event timestamps are left out of `machine`: the spec types
 * them as Int and Fly's millisecond values overflow GraphQL's 32-bit Int, so Mesh answers an error for each.
 */
export function meshPlan(scenario: Scenario | 'dashboard-link'): Plan | undefined {
  switch (scenario) {
    case 'dashboard':
      return {
        requests: [gql(MESH_APPS), ...Array.from({ length: APP_COUNT }, (_, a) => gql(MESH_MACHINES, { app: appName(a) }))],
        check: (b) => noErrors(b),
        note: `1 + ${APP_COUNT} requests per dashboard; latency is per request`,
      };
    case 'dashboard-link':
    case 'dashboard-full':
      return {
        requests: [gql(MESH_LINKED(scenario === 'dashboard-full'))],
        check: (b) => noErrors(b) ?? countMachines(b?.data?.Apps_list?.apps, (a) => a.machines),
        note: 'one @resolveTo link (App.machines) written by hand',
      };
    case 'machine':
      return {
        requests: [
          gql(
            `{ Machines_show(app_name: "${APP}", machine_id: "${MACHINE}") { id name state region config { image } checks { name status } events { type status } } }`,
          ),
        ],
        check: (b) => noErrors(b) ?? (b?.data?.Machines_show?.id === MACHINE ? undefined : 'wrong machine'),
        note: 'events without timestamp (Int overflow in the spec)',
      };
    case 'restart':
      return {
        requests: [
          gql(`mutation { Machines_restart(app_name: "${APP}", machine_id: "${MACHINE}") { __typename } }`),
          gql(
            `{ Machines_wait(app_name: "${APP}", machine_id: "${MACHINE}", state: started, timeout: 10) { ... on WaitMachineResponse { ok } } }`,
          ),
          gql(`{ Machines_show(app_name: "${APP}", machine_id: "${MACHINE}") { id state } }`),
        ],
        check: (b) => noErrors(b),
        note: 'restart, wait and read as 3 requests (the spec has no mutation that waits)',
      };
    default:
      return undefined;
  }
}

/** The reference: `{ hello }` on bare yoga. */
export function helloPlan(): Plan {
  return { requests: [gql('{ hello }')], check: (b) => (b?.data?.hello === 'world' ? undefined : 'no hello') };
}
