/**
 * Creating and deleting an app. Each is a declared Fly operation (src/flyio/app-writes.ts); deleting refuses an app
 * that still holds machines or volumes unless the caller says `force`, since Fly itself would destroy them with it.
 */
import { z } from 'zod';
import { createApp, deleteApp, freshApp } from '../../flyio/app-writes.js';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { AppNotEmptyError, ForbiddenError, NameTakenError } from '../errors.js';
import { AppRef } from './app.js';
import { ErrorInterface } from './errors.js';
import { appNameSchema, orUndefined } from './inputs.js';
import { parseTimestamp } from './scalars.js';
import { resourceMutationErrors, runResourceWrite } from './resource-mutation.js';

/** A new app's name as Fly accepts it: 3 to 63 characters, not starting or ending with a dash. */
const newAppNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'expected 3 to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit',
  );
const orgSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an organization slug such as personal');
const networkSchema = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a network name: letters, digits, dashes or underscores');

builder.objectType(NameTakenError, {
  name: 'NameTakenError',
  description: 'An app of that name already exists; app names are unique across all of Fly.io.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(AppNotEmptyError, {
  name: 'AppNotEmptyError',
  description: 'The app still has machines or volumes; deleting it would destroy them. Send `force: true` to delete it anyway.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    machineCount: t.exposeInt('machineCount'),
    volumeCount: t.exposeInt('volumeCount'),
  }),
});

const CreateAppInput = builder.inputType('CreateAppInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The new app name, unique across Fly.io.', validate: { schema: newAppNameSchema } }),
    org: t.string({
      required: true,
      description: "The organization's slug (`personal` for your own).",
      validate: { schema: orgSlugSchema },
    }),
    network: t.string({
      required: false,
      description: 'A custom private network; apps on different networks cannot reach each other.',
      validate: { schema: networkSchema },
    }),
    enableSubdomains: t.boolean({ required: false, description: 'Give machines `<id>.vm.<app>.internal` names.' }),
  }),
});

const DeleteAppInput = builder.inputType('DeleteAppInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The app to delete.', validate: { schema: appNameSchema } }),
    force: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Delete it even though it still has machines or volumes (they are destroyed with it).',
    }),
  }),
});

const CreateAppSuccess = builder.objectRef<{ name: string; id?: string; createdAt?: number | string }>('CreateAppSuccess').implement({
  description: 'The app was created (no machines yet: its status reads pending).',
  fields: (t) => ({
    appId: t.string({ nullable: true, description: "Fly's id of the new app.", resolve: (p) => p.id ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.createdAt) }),
    app: t.field({
      type: AppRef,
      description: 'The app as Fly now shows it (one Fly call when selected).',
      resolve: (p, _args, ctx) => ctx.loaders.app.load(p.name),
    }),
  }),
});

const DeleteAppSuccess = builder.objectRef<{ name: string }>('DeleteAppSuccess').implement({
  description: 'Fly accepted the deletion: the app, its machines and its volumes are going away.',
  fields: (t) => ({ name: t.exposeString('name') }),
});

/**
 * In fly-token mode an app the caller's token cannot see is refused as the guard in front of every other mutation
 * refuses it (FORBIDDEN); elsewhere it is simply not found.
 */
function unseen(ctx: GraphQLContext, error: unknown, app: string): unknown {
  if (isFlyApiError(error) && error.code === FlyErrorCode.NotFound && ctx.services.canReadApp)
    return new ForbiddenError(`This Fly token cannot read the app "${app}".`, { requestId: error.requestId });
  return error;
}

builder.mutationFields((t) => ({
  createApp: t.field({
    type: CreateAppSuccess,
    description: 'Creates an app in an organization. Sent once, never retried: on OUTCOME_UNKNOWN, look for the app before trying again.',
    errors: resourceMutationErrors('createApp', [NameTakenError]),
    args: { input: t.arg({ type: CreateAppInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request = {
        app: input.name,
        org: input.org,
        network: orUndefined(input.network),
        enableSubdomains: orUndefined(input.enableSubdomains),
        listedIn: [ctx.org],
      };
      const created = await runResourceWrite(ctx, 'app', () => ctx.services.fly.call(createApp, request, { signal: ctx.signal }));
      return { name: input.name, id: created.id, createdAt: created.created_at };
    },
  }),
  deleteApp: t.field({
    type: DeleteAppSuccess,
    description:
      'Deletes an app. Refused with AppNotEmptyError while it has machines or volumes, unless `force` (then Fly destroys them with it).',
    errors: resourceMutationErrors('deleteApp', [AppNotEmptyError]),
    args: { input: t.arg({ type: DeleteAppInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const app = input.name;
      await runResourceWrite(ctx, 'app', async () => {
        const options = { signal: ctx.signal };
        try {
          const listedIn = [ctx.org];
          if (!input.force) {
            const current = await ctx.services.fly.call(freshApp, { app }, options);
            if (current.organization?.slug) listedIn.push(current.organization.slug);
            const counts = { machineCount: current.machine_count ?? 0, volumeCount: current.volume_count ?? 0 };
            if (counts.machineCount > 0 || counts.volumeCount > 0)
              throw new AppNotEmptyError(
                `The app "${app}" still has ${counts.machineCount} machine(s) and ${counts.volumeCount} volume(s); send force: true to delete them with it.`,
                counts,
              );
          }
          await ctx.services.fly.call(deleteApp, { app, listedIn }, options);
        } catch (error) {
          throw unseen(ctx, error, app);
        }
      });
      return { name: app };
    },
  }),
}));
