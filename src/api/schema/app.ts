import { resolveArrayConnection } from '@pothos/plugin-relay';
import type { FlyApp } from '../../flyio/wire/app.js';
import { builder } from '../builder.js';
import { MachineState } from './enums.js';
import { MachineRef, nullOnNotFound, toMachineParents } from './machine.js';

export const AppRef = builder.objectRef<FlyApp>('App');

builder.node(AppRef, {
  description: 'A Fly App: a named group of machines and volumes in one organization.',
  id: { resolve: (app) => app.name },
  loadOne: (name, ctx) => ctx.loaders.app.load(name).catch(nullOnNotFound),
  fields: (t) => ({
    name: t.string({ description: 'App name, unique across Fly.io.', resolve: (app) => app.name }),
    status: t.string({ nullable: true, resolve: (app) => app.status ?? null }),
    network: t.string({ nullable: true, resolve: (app) => app.network ?? null }),
    organizationSlug: t.string({ nullable: true, resolve: (app) => app.organization?.slug ?? null }),
    machineCount: t.int({ nullable: true, resolve: (app) => app.machine_count ?? null }),
    machines: t.connection({
      type: MachineRef,
      description: "This app's machines.",
      args: {
        state: t.arg({ type: [MachineState], required: false, description: 'Only machines in one of these states.' }),
        region: t.arg.string({ required: false, description: 'Only machines in this region.' }),
      },
      resolve: async (app, args, ctx) => {
        const machines = await ctx.loaders.machines.load({
          app: app.name,
          state: args.state ?? undefined,
          region: args.region ?? undefined,
        });
        return resolveArrayConnection({ args }, toMachineParents(app.name, machines));
      },
    }),
  }),
});

builder.queryFields((t) => ({
  apps: t.connection({
    type: AppRef,
    description: 'Apps of the configured organization.',
    resolve: async (_root, args, ctx) => resolveArrayConnection({ args }, await ctx.loaders.appsByOrg.load(ctx.org)),
  }),
  app: t.field({
    type: AppRef,
    nullable: true,
    description: 'One app by name; null when it does not exist.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.loaders.app.load(args.name).catch(nullOnNotFound),
  }),
}));
