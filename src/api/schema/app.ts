import type { FlyApp } from '../../flyio/wire/app.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { fetchedAtField } from './fetched-at.js';
import { AppHealthRef, summarizeAppHealth } from './app-health.js';
import { MachineState } from './enums.js';
import { resolveFlyConnection, type ConnectionArgs } from './fly-connection.js';
import { appNameSchema, MetadataFilterInput, regionSchema } from './inputs.js';
import { MachineConnection, MachineRef, nullOnNotFound, resolveMachineConnection } from './machines/machine.js';
import { OrganizationRef, orgSlugSchema } from './organization.js';

/** GraphQL `App`, backed by Fly's app body. */
export const AppRef = builder.objectRef<FlyApp>('App');

builder.node(AppRef, {
  description: 'A Fly App: a named group of machines and volumes in one organization.',
  id: { resolve: (app) => app.name },
  loadOne: (name, ctx) => ctx.loaders.app.load(name).catch(nullOnNotFound),
  fields: (t) => ({
    name: t.string({ description: 'App name, unique across Fly.io.', resolve: (app) => app.name }),
    status: t.string({ nullable: true, description: "Fly's app status, e.g. deployed or pending.", resolve: (app) => app.status ?? null }),
    appId: t.string({ nullable: true, description: "Fly's own id of the app.", resolve: (app) => app.id ?? null }),
    network: t.string({
      nullable: true,
      description: 'The private network the app is on (`default` unless it was given one).',
      resolve: (app) => app.network ?? null,
    }),
    networkCidr: t.string({ nullable: true, description: "The app network's IPv6 prefix.", resolve: (app) => app.network_cidr ?? null }),
    internalNumericId: t.int({
      nullable: true,
      description: "Fly's numeric id of the app.",
      resolve: (app) => app.internal_numeric_id ?? null,
    }),
    organizationSlug: t.string({ nullable: true, resolve: (app) => app.organization?.slug ?? null }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      resolve: (app) => (app.organization?.slug ? { slug: app.organization.slug, name: app.organization.name } : null),
    }),
    machineCount: t.int({ nullable: true, resolve: (app) => app.machine_count ?? null }),
    volumeCount: t.int({ nullable: true, resolve: (app) => app.volume_count ?? null }),
    fetchedAt: fetchedAtField(t, 'app', (app) => app),
    machines: t.connection(
      {
        type: MachineRef,
        description: "This app's machines, following Fly's cursors when `first`/`after` are given.",
        args: {
          state: t.arg({ type: [MachineState], required: false, description: 'Only machines in one of these states.' }),
          region: t.arg.string({ required: false, description: 'Only machines in this region.', validate: { schema: regionSchema } }),
          metadata: t.arg({
            type: [MetadataFilterInput],
            required: false,
            description: 'Only machines whose metadata matches all of these.',
          }),
        },
        resolve: (app, args, ctx, info) => resolveMachineConnection(app.name, args, ctx, info),
      },
      MachineConnection,
    ),
    health: t.field({
      type: AppHealthRef,
      description: 'Summary of machine states and checks; shares the machine list with `machines`, so it costs no extra call.',
      resolve: async (app, _args, ctx) => summarizeAppHealth(await ctx.loaders.machines.load({ app: app.name })),
    }),
  }),
});

/** A page of apps. */
export const AppConnection = builder.connectionObject({ type: AppRef, name: 'AppConnection' });

/** Apps of an organization as a connection over Fly's app list. */
function resolveAppConnection(org: string, args: ConnectionArgs, ctx: GraphQLContext) {
  return resolveFlyConnection(args, {
    all: () => ctx.loaders.appsByOrg.load(org),
    page: (cursor, limit) => ctx.loaders.appsPage.load({ filter: org, cursor, limit }),
  });
}

builder.objectField(OrganizationRef, 'apps', (t) =>
  t.connection(
    { type: AppRef, description: "The organization's apps.", resolve: (org, args, ctx) => resolveAppConnection(org.slug, args, ctx) },
    AppConnection,
  ),
);

builder.objectField(MachineRef, 'app', (t) =>
  t.field({ type: AppRef, description: 'The app this machine belongs to.', resolve: (p, _args, ctx) => ctx.loaders.app.load(p.appName) }),
);

builder.queryFields((t) => ({
  apps: t.connection(
    {
      type: AppRef,
      description: 'Apps of an organization: `org`, by default the configured one (FLY_ORG).',
      args: { org: t.arg.string({ required: false, validate: { schema: orgSlugSchema } }) },
      resolve: (_root, args, ctx) => resolveAppConnection(args.org ?? ctx.org, args, ctx),
    },
    AppConnection,
  ),
  app: t.field({
    type: AppRef,
    nullable: true,
    description: 'One app by name; null when it does not exist.',
    args: { name: t.arg.string({ required: true, validate: { schema: appNameSchema } }) },
    resolve: (_root, args, ctx) => ctx.loaders.app.load(args.name).catch(nullOnNotFound),
  }),
}));
