/**
 * The naive baseline: graphql-yoga whose resolvers call the Fly-shaped upstream directly through an undici Pool,
 * with no batching, no de-duplication and no cache. Its schema is the slice of Flygate's that the benchmark
 * queries select, with the same names, so the same query text runs against both.
 *
 *   PORT=4101 UPSTREAM_URL=http://127.0.0.1:4280 FLY_ORG=bench-org node --import tsx peers/naive.ts   (from bench/)
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';

const upstreamUrl = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:4280';
const org = process.env.FLY_ORG ?? 'bench-org';
const pool = new Pool(upstreamUrl, { connections: 64, pipelining: 1 });
const auth = { authorization: 'Bearer some-fake' };

async function get(path: string): Promise<any> {
  const { statusCode, body } = await pool.request({ method: 'GET', path, headers: auth });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`upstream answered ${statusCode}`);
  }
  return body.json();
}

async function post(path: string): Promise<any> {
  const { statusCode, body } = await pool.request({ method: 'POST', path, headers: auth });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`upstream answered ${statusCode}`);
  }
  return body.json();
}

const machinePath = (app: string, id: string) => `/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}`;

const typeDefs = /* GraphQL */ `
  type Query {
    apps: AppConnection!
    machine(app: String!, machineId: String!): Machine
  }
  type Mutation {
    restartMachine(input: RestartMachineInput!): RestartMachineResult!
  }
  type AppConnection {
    nodes: [App!]!
  }
  type App {
    name: String!
    status: String
    machines: MachineConnection!
  }
  type MachineConnection {
    nodes: [Machine!]!
  }
  type Machine {
    machineId: String!
    name: String!
    state: String!
    region: String!
    image: String
    checks: [CheckStatus!]!
    events(limit: Int): [MachineEvent!]!
  }
  type CheckStatus {
    name: String!
    status: String!
  }
  type MachineEvent {
    type: String!
    status: String
    source: String
    timestamp: String!
  }
  input WaitInput {
    timeoutSeconds: Int = 60
  }
  input RestartMachineInput {
    app: String!
    machineId: String!
    wait: WaitInput
  }
  type WaitReport {
    reached: Boolean!
    targetState: String!
    timeoutSeconds: Int!
  }
  type RestartMachineSuccess {
    machine: Machine!
    wait: WaitReport
  }
  type NotFoundError {
    message: String!
  }
  union RestartMachineResult = RestartMachineSuccess | NotFoundError
`;

const resolvers = {
  Query: {
    apps: async () => ({ nodes: (await get(`/v1/apps?org_slug=${encodeURIComponent(org)}`)).apps }),
    machine: async (_: unknown, args: { app: string; machineId: string }) => ({
      ...(await get(machinePath(args.app, args.machineId))),
      app: args.app,
    }),
  },
  Mutation: {
    restartMachine: async (_: unknown, { input }: { input: { app: string; machineId: string; wait?: { timeoutSeconds: number } } }) => {
      const path = machinePath(input.app, input.machineId);
      await post(`${path}/restart`);
      let wait;
      if (input.wait) {
        await get(`${path}/wait?state=started&timeout=${input.wait.timeoutSeconds}`);
        wait = { reached: true, targetState: 'STARTED', timeoutSeconds: input.wait.timeoutSeconds };
      }
      return { __typename: 'RestartMachineSuccess', machine: await get(path), wait };
    },
  },
  RestartMachineResult: { __resolveType: (value: { __typename: string }) => value.__typename },
  App: {
    machines: async (app: { name: string }) => ({ nodes: await get(`/v1/apps/${encodeURIComponent(app.name)}/machines`) }),
  },
  Machine: {
    machineId: (m: any) => m.id,
    name: (m: any) => m.name ?? m.id,
    state: (m: any) => String(m.state).toUpperCase(),
    image: (m: any) => m.config?.image ?? null,
    checks: (m: any) => m.checks ?? [],
    events: (m: any, args: { limit?: number }) =>
      (m.events ?? []).slice(0, args.limit ?? 10).map((e: any) => ({ ...e, timestamp: new Date(e.timestamp).toISOString() })),
  },
};

const yoga = createYoga({ schema: createSchema({ typeDefs, resolvers }), logging: false, graphiql: false });
const server = createServer(yoga);
const port = Number(process.env.PORT ?? 4101);
server.listen(port, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${port}/graphql`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
