import { buildSchema, graphql } from 'graphql';
import type { Handlers, RouteContext } from '../context.js';
import { objectBody } from '../request-helpers.js';
import { REGIONS } from '../regions.js';

/** The small read-only slice of Fly's GraphQL API that fly-admin's read helpers query (MACHINES-API.md §13, §14). */
const SDL = `
  type Query {
    app(name: String!): App
    organization(slug: String!): Organization
    platform: Platform!
  }
  type App { id: ID! name: String! status: String! organization: Organization! ipAddresses: IPAddressConnection! }
  type IPAddressConnection { nodes: [IPAddress!]! }
  type IPAddress { id: ID! type: String! region: String address: String! }
  type Organization { id: ID! slug: String! name: String! type: String! viewerRole: String! }
  type Platform { requestRegion: String regions: [Region!]! }
  type Region { code: String! name: String! latitude: Float longitude: Float gatewayAvailable: Boolean! requiresPaidPlan: Boolean! }
`;

/** Handler for `POST /graphql` (root path, not under /v1). */
export function graphqlRoutes(ctx: RouteContext): Handlers {
  const schema = buildSchema(SDL);
  const org = () => ({
    id: ctx.store.org,
    slug: ctx.store.org,
    name: ctx.store.org,
    type: ctx.store.org === 'personal' ? 'PERSONAL' : 'SHARED',
    viewerRole: 'admin',
  });
  const rootValue = {
    app: ({ name }: { name: string }) => {
      const app = ctx.store.apps.get(name);
      if (!app) return null;
      const running = ctx.store.machinesOf(name).some((m) => m.state !== 'destroyed');
      return { id: app.id, name, status: running ? 'deployed' : 'pending', organization: org(), ipAddresses: { nodes: [] } };
    },
    organization: ({ slug }: { slug: string }) => (ctx.store.resolveOrg(slug) ? org() : null),
    platform: () => ({
      requestRegion: ctx.defaultRegion,
      regions: REGIONS.map((r) => ({ ...r, gatewayAvailable: true, requiresPaidPlan: r.requires_paid_plan })),
    }),
  };
  return {
    graphql: async ({ body }) => {
      const input = objectBody(body);
      if (typeof input.query !== 'string') return { status: 400, body: { errors: [{ message: 'query is required' }] } };
      const variables = input.variables && typeof input.variables === 'object' ? (input.variables as Record<string, unknown>) : undefined;
      const result = await graphql({ schema, source: input.query, rootValue, variableValues: variables });
      return { status: 200, body: result };
    },
  };
}
