/**
 * What each peer is asked, per scenario. Flygate and the naive baseline share one schema shape, so they get the same
 * query text; Mesh's schema is the OpenAPI document turned into GraphQL, so it gets its own (see PERFORMANCE.md).
 */
import {
  appName,
  machineId,
  ORG,
  APP_COUNT,
  CERTIFICATES_PER_APP,
  IPS_PER_APP,
  POSTGRES_CLUSTERS,
  SECRETS_PER_APP,
  SNAPSHOTS_PER_VOLUME,
  VOLUMES_PER_APP,
} from './peers/upstream.js';

/** The reads of one kind each, beyond machines: Flygate only (the naive baseline and Mesh have no such fields here). */
export const RESOURCE_SCENARIOS = ['apps', 'volumes', 'secrets', 'certificates', 'ips', 'postgres'] as const;
export type ResourceScenario = (typeof RESOURCE_SCENARIOS)[number];
export type Scenario = 'hello' | 'dashboard' | 'dashboard-full' | 'machine' | 'restart' | ResourceScenario;
export const SCENARIOS: Scenario[] = ['hello', 'dashboard', 'dashboard-full', 'machine', 'restart', ...RESOURCE_SCENARIOS];

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

/** The org's apps with their status: one apps list. */
const APPS_QUERY = 'query Apps { apps { nodes { name status machineCount volumeCount } } }';
/** One app's volumes, each with its snapshots: the volumes list, then one snapshots list per volume. */
const VOLUMES_QUERY =
  'query Volumes($app: String!) { volumes(app: $app) { nodes { volumeId name state sizeGb region attachedMachineId snapshots { id status sizeBytes createdAt retentionDays } } } }';
/** Names and digests only: the schema has no field for a value. */
const SECRETS_QUERY = 'query Secrets($app: String!) { app(name: $app) { name secrets { name digest createdAt updatedAt } } }';
const CERTIFICATES_QUERY =
  'query Certificates($app: String!) { app(name: $app) { name certificates { nodes { hostname status configured acmeRequested createdAt } } } }';
const IPS_QUERY = 'query Ips($app: String!) { app(name: $app) { name ipAddresses { address type region shared egress createdAt } } }';
const POSTGRES_QUERY = `query Postgres { postgresClusters(org: "${ORG}") { clusterId name plan region status createdAt attachedApps } }`;

/** Checks that `items` has `length` entries. */
const counted = (what: string, items: unknown, length: number) =>
  Array.isArray(items) && items.length === length ? undefined : `expected ${length} ${what}, got ${JSON.stringify(items)?.slice(0, 200)}`;

function resourcePlan(scenario: ResourceScenario): Plan {
  const one = (query: string, check: (data: any) => string | undefined): Plan => ({
    requests: [gql(query, query.includes('$app') ? { app: APP } : undefined)],
    check: (b) => noErrors(b) ?? check(b?.data),
  });
  switch (scenario) {
    case 'apps':
      return one(APPS_QUERY, (d) => counted('apps', d?.apps?.nodes, APP_COUNT));
    case 'volumes':
      return one(VOLUMES_QUERY, (d) => {
        const volumes = d?.volumes?.nodes;
        return (
          counted('volumes', volumes, VOLUMES_PER_APP) ??
          counted(
            'snapshots',
            volumes.flatMap((v: any) => v.snapshots),
            VOLUMES_PER_APP * SNAPSHOTS_PER_VOLUME,
          )
        );
      });
    case 'secrets':
      return one(SECRETS_QUERY, (d) => counted('secrets', d?.app?.secrets, SECRETS_PER_APP));
    case 'certificates':
      return one(CERTIFICATES_QUERY, (d) => counted('certificates', d?.app?.certificates?.nodes, CERTIFICATES_PER_APP));
    case 'ips':
      return one(IPS_QUERY, (d) => counted('IP addresses', d?.app?.ipAddresses, IPS_PER_APP));
    case 'postgres':
      return one(POSTGRES_QUERY, (d) => counted('Postgres clusters', d?.postgresClusters, POSTGRES_CLUSTERS));
  }
}

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
    case 'apps':
    case 'volumes':
    case 'secrets':
    case 'certificates':
    case 'ips':
    case 'postgres':
      return resourcePlan(scenario);
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
