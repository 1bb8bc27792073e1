/**
 * What ran when: an app's releases as Fly lists them (`App.releases`), the deployments and rollbacks this gateway
 * ran (`App.deployments`, newest first, kept per `DEPLOYMENTS_HISTORY_PER_APP`), and `rollbackApp`, which brings
 * every machine back to the full config an earlier deployment left (docs/DEPLOYMENTS.md, "Rolling back").
 */
import { z } from 'zod';
import type { FlyRelease } from '../../flyio/wire/metrics.js';
import { listReleases } from '../../flyio/releases.js';
import type { DeploymentRecord } from '../../services/deploy/types.js';
import { builder } from '../builder.js';
import { rethrowAsUserFacing } from '../errors.js';
import { AppRef } from './app.js';
import { DeploymentRef, DeploymentStrategyEnum, rethrowDeployError } from './deployment.js';
import { mutationErrors } from './errors.js';
import { appNameSchema, orUndefined } from './inputs.js';

const ReleaseRef = builder.objectRef<FlyRelease>('Release').implement({
  description: "One of Fly's releases of an app (what `fly releases` lists).",
  fields: (t) => ({
    id: t.string({ resolve: (r) => r.id }),
    version: t.int({ resolve: (r) => r.version }),
    stable: t.boolean({ nullable: true, resolve: (r) => r.stable ?? null }),
    inProgress: t.boolean({ nullable: true, resolve: (r) => r.in_progress ?? null }),
    status: t.string({ nullable: true, resolve: (r) => r.status ?? null }),
    strategy: t.string({ nullable: true, resolve: (r) => r.strategy ?? null }),
    userEmail: t.string({ nullable: true, resolve: (r) => r.user?.email ?? null }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => new Date(r.created_at) }),
    imageRef: t.string({ nullable: true, resolve: (r) => r.image_ref ?? null }),
  }),
});

const limitSchema = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');

builder.objectFields(AppRef, (t) => ({
  releases: t.field({
    type: [ReleaseRef],
    description: "Fly's releases of this app, newest first (one call to Fly's platform API, cached as the app is).",
    args: { limit: t.arg.int({ required: false, defaultValue: 25, validate: { schema: limitSchema } }) },
    resolve: async (app, args, ctx) => {
      try {
        return (await ctx.loaders.call(listReleases, { app: app.name, limit: args.limit ?? 25 })).data;
      } catch (error) {
        rethrowAsUserFacing(error);
      }
    },
  }),
  deployments: t.field({
    type: [DeploymentRef],
    description:
      'Deployments and rollbacks this gateway ran on this app, newest first (no call to Fly; the newest DEPLOYMENTS_HISTORY_PER_APP are kept).',
    args: { limit: t.arg.int({ required: false, defaultValue: 20, validate: { schema: limitSchema } }) },
    resolve: (app, args, ctx): Promise<DeploymentRecord[]> => ctx.services.deployments.list(app.name, args.limit ?? 20),
  }),
}));

const deploymentIdSchema = z.string().regex(/^dep_[a-z0-9]{1,64}$/, 'expected a deployment id such as dep_0123456789abcdef0123');

const RollbackAppInput = builder.inputType('RollbackAppInput', {
  fields: (t) => ({
    app: t.string({ required: true, validate: { schema: appNameSchema } }),
    toDeployment: t.string({
      required: true,
      description: 'A SUCCEEDED deployment (or rollback) of this app: its machines get the configs it left.',
      validate: { schema: deploymentIdSchema },
    }),
    strategy: t.field({ type: DeploymentStrategyEnum, required: false, description: "Default: that deployment's strategy." }),
    maxUnavailable: t.float({
      required: false,
      validate: {
        schema: z
          .number()
          .positive('must be more than 0')
          .refine((n) => n < 1 || Number.isInteger(n), 'a count must be a whole number'),
      },
    }),
    waitTimeoutSeconds: t.int({
      required: false,
      validate: { schema: z.number().int().min(1, 'must be at least 1').max(3600, 'must be at most 3600') },
    }),
  }),
});

const RollbackAppSuccess = builder.objectRef<{ deployment: DeploymentRecord }>('RollbackAppSuccess').implement({
  description: 'The rollback began as a deployment of its own (kind ROLLBACK): follow it with `deploymentProgress(id)`.',
  fields: (t) => ({ deployment: t.field({ type: DeploymentRef, resolve: (p) => p.deployment }) }),
});

builder.mutationFields((t) => ({
  rollbackApp: t.field({
    type: RollbackAppSuccess,
    description:
      'Brings every machine of an app back to the full config (image, env, services, guest, checks, metadata…) an earlier deployment left, as a deployment of its own with the same strategies and progress. Machines created since get the config of their process group; machines destroyed since are not recreated.',
    errors: { ...mutationErrors, directResult: true as const, union: { name: 'RollbackAppResult' } },
    args: { input: t.arg({ type: RollbackAppInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        const deployment = await ctx.services.deployments.rollback(
          {
            app: input.app,
            toDeployment: input.toDeployment,
            strategy: orUndefined(input.strategy),
            maxUnavailable: orUndefined(input.maxUnavailable),
            waitTimeoutSeconds: orUndefined(input.waitTimeoutSeconds),
          },
          { signal: ctx.signal },
        );
        return { deployment };
      } catch (error) {
        rethrowDeployError(error, input.app);
      }
    },
  }),
}));
