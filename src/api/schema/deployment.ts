import { z } from 'zod';
import {
  DeployRejectedError,
  FINAL_STATUSES,
  type DeploymentMachine,
  type DeploymentProgress,
  type DeploymentRecord,
  type DeploymentStep,
} from '../../services/deploy/types.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import { appSubscription } from '../auth/guards.js';
import { ForbiddenError, InvalidInputError, InvalidStateError, LeaseHeldError, NotFoundError, rethrowAsUserFacing } from '../errors.js';
import { subscriptionSignal } from './subscription-signal.js';
import { mutationErrors } from './errors.js';
import { appNameSchema, EnvVarInput, MetadataEntryInput, orUndefined, toRecord } from './inputs.js';

const DeploymentStrategyEnum = builder.enumType('DeploymentStrategy', {
  description: 'How a deployment replaces the machines of an app.',
  values: {
    ROLLING: {
      value: 'rolling',
      description: 'One machine alone, then pools of started machines sized by maxUnavailable; each must start and pass its checks.',
    },
    CANARY: { value: 'canary', description: 'One machine, healthy, then all the others at once.' },
    IMMEDIATE: { value: 'immediate', description: 'Every machine at once, without waiting for it to start or pass checks.' },
    BLUEGREEN: {
      value: 'bluegreen',
      description:
        'New (green) machines are created cordoned next to the old (blue) ones; once all are healthy green is uncordoned and blue destroyed.',
    },
  } as const,
});

const DeploymentStatusEnum = builder.enumType('DeploymentStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Leases taken; nothing changed yet.' },
    RUNNING: { value: 'running' },
    SUCCEEDED: { value: 'succeeded' },
    FAILED: { value: 'failed', description: 'A machine failed and the previous state could not be fully restored; see the steps.' },
    ROLLING_BACK: { value: 'rolling_back' },
    ROLLED_BACK: {
      value: 'rolled_back',
      description: 'A machine failed; every changed machine is back on its previous config (BLUEGREEN: green destroyed, blue untouched).',
    },
    CANCELLED: { value: 'cancelled', description: 'Cancelled; the machines already changed went back to their previous config.' },
    INTERRUPTED: {
      value: 'interrupted',
      description: 'The gateway instance running it stopped; its leases are released or have expired. Machines may be on either version.',
    },
  } as const,
});

const DeploymentStepKindEnum = builder.enumType('DeploymentStepKind', {
  values: {
    LEASED: { value: 'leased' },
    UPDATING: { value: 'updating' },
    WAITING_FOR_START: { value: 'waiting_for_start' },
    WAITING_FOR_CHECKS: { value: 'waiting_for_checks' },
    HEALTHY: { value: 'healthy' },
    FAILED: { value: 'failed' },
    ROLLED_BACK: { value: 'rolled_back' },
  } as const,
});

const DeploymentMachineRoleEnum = builder.enumType('DeploymentMachineRole', {
  values: {
    EXISTING: { value: 'existing', description: 'Updated in place.' },
    BLUE: { value: 'blue', description: 'BLUEGREEN: an existing machine, destroyed once green is healthy.' },
    GREEN: { value: 'green', description: 'BLUEGREEN: a machine created by the deployment.' },
  } as const,
});

const DeploymentStepRef = builder.objectRef<DeploymentStep>('DeploymentStep').implement({
  description: 'One thing that happened to one machine.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Position in the deployment, from 1, contiguous.' }),
    machineId: t.exposeString('machineId'),
    step: t.field({ type: DeploymentStepKindEnum, resolve: (s) => s.step }),
    at: t.field({ type: 'DateTime', resolve: (s) => new Date(s.at) }),
    message: t.string({ nullable: true, resolve: (s) => s.message ?? null }),
  }),
});

const DeploymentMachineRef = builder.objectRef<{ machine: DeploymentMachine; steps: DeploymentStep[] }>('DeploymentMachine').implement({
  fields: (t) => ({
    machineId: t.string({ resolve: (p) => p.machine.machineId }),
    region: t.string({ nullable: true, resolve: (p) => p.machine.region ?? null }),
    role: t.field({ type: DeploymentMachineRoleEnum, resolve: (p) => p.machine.role }),
    skipLaunch: t.boolean({
      description: 'Not started when the deployment began: updated without being launched.',
      resolve: (p) => p.machine.skipLaunch,
    }),
    previousVersion: t.string({ nullable: true, resolve: (p) => p.machine.previousVersion ?? null }),
    targetVersion: t.string({
      nullable: true,
      description: 'The version the deployment wrote (null until it did).',
      resolve: (p) => p.machine.targetVersion ?? null,
    }),
    previousImage: t.string({ nullable: true, resolve: (p) => p.machine.previousImage ?? null }),
    targetImage: t.string({ resolve: (p) => p.machine.targetImage }),
    steps: t.field({ type: [DeploymentStepRef], resolve: (p) => p.steps }),
  }),
});

const DeploymentRef = builder.objectRef<DeploymentRecord>('Deployment').implement({
  description: 'A deployment of an image to the machines of an app.',
  fields: (t) => ({
    id: t.exposeString('id'),
    app: t.exposeString('app'),
    image: t.exposeString('image'),
    strategy: t.field({ type: DeploymentStrategyEnum, resolve: (d) => d.strategy }),
    status: t.field({ type: DeploymentStatusEnum, resolve: (d) => d.status }),
    error: t.string({ nullable: true, description: 'Why it failed, was cancelled or was interrupted.', resolve: (d) => d.error ?? null }),
    maxUnavailable: t.exposeInt('maxUnavailable', { description: 'Started machines the deployment may take down at once.' }),
    waitTimeoutSeconds: t.exposeInt('waitTimeoutSeconds'),
    secretsVersion: t.int({
      nullable: true,
      description: "The app's secrets version the machines were updated with; null when none was asked for.",
      resolve: (d) => d.secretsVersion ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => new Date(d.createdAt) }),
    updatedAt: t.field({ type: 'DateTime', resolve: (d) => new Date(d.updatedAt) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (d.finishedAt === undefined ? null : new Date(d.finishedAt)) }),
    heartbeatAt: t.field({
      type: 'DateTime',
      description: 'Last sign of life of the instance running it.',
      resolve: (d) => new Date(d.heartbeatAt),
    }),
    machines: t.field({
      type: [DeploymentMachineRef],
      resolve: (d) => d.machines.map((machine) => ({ machine, steps: d.steps.filter((s) => s.machineId === machine.machineId) })),
    }),
    steps: t.field({ type: [DeploymentStepRef], description: 'Every step of every machine, in order.', resolve: (d) => d.steps }),
  }),
});

const DeploymentProgressKindEnum = builder.enumType('DeploymentProgressKind', {
  values: { STEP: { value: 'step' }, STATUS: { value: 'status', description: 'The final status; the last message.' } } as const,
});

const DeploymentProgressRef = builder.objectRef<DeploymentProgress>('DeploymentProgressEvent').implement({
  description: 'One message of `deploymentProgress`: a step, or (last) the final status.',
  fields: (t) => ({
    kind: t.field({ type: DeploymentProgressKindEnum, resolve: (p) => p.kind }),
    deploymentId: t.exposeString('deploymentId'),
    step: t.field({ type: DeploymentStepRef, nullable: true, resolve: (p) => (p.kind === 'step' ? p.step : null) }),
    status: t.field({ type: DeploymentStatusEnum, nullable: true, resolve: (p) => (p.kind === 'status' ? p.status : null) }),
    error: t.string({ nullable: true, resolve: (p) => (p.kind === 'status' ? (p.error ?? null) : null) }),
  }),
});

const DeploymentConfigPatchInput = builder.inputType('DeploymentConfigPatchInput', {
  description: 'Config changes applied to every machine with the new image. env and metadata, when given, replace the whole map.',
  fields: (t) => ({
    env: t.field({ type: [EnvVarInput], required: false }),
    metadata: t.field({ type: [MetadataEntryInput], required: false }),
    checks: t.field({
      type: 'JSON',
      required: false,
      description: "Fly's checks object: name -> check.",
      validate: { schema: z.record(z.string(), z.record(z.string(), z.unknown()), { error: 'expected an object of named check objects' }) },
    }),
    extra: t.field({
      type: 'JSON',
      required: false,
      description: 'Any other config keys, verbatim.',
      validate: { schema: z.record(z.string(), z.unknown()) },
    }),
  }),
});

/**
 * An image reference as registries spell one (`registry/path:tag` or `@sha256:…`): printable, no spaces or control
 * characters, so it can never smuggle a newline or NUL into a machine config, a log line or a lease description.
 */
const imageReferenceSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._\-/:@+]*$/,
    'must be an image reference such as registry.fly.io/app:v2 (letters, digits and . _ - / : @ +)',
  );

const DeployAppInput = builder.inputType('DeployAppInput', {
  fields: (t) => ({
    app: t.string({ required: true, validate: { schema: appNameSchema } }),
    image: t.string({
      required: true,
      description: 'Image reference, e.g. registry.fly.io/demo-web:v43.',
      validate: { schema: imageReferenceSchema },
    }),
    config: t.field({ type: DeploymentConfigPatchInput, required: false }),
    strategy: t.field({ type: DeploymentStrategyEnum, required: false, defaultValue: 'rolling' }),
    maxUnavailable: t.float({
      required: false,
      defaultValue: 0.33,
      description: 'Started machines down at once: a fraction below 1 (of the started machines, at least one), or a whole count.',
      validate: {
        schema: z
          .number()
          .positive('must be more than 0')
          .refine((n) => n < 1 || Number.isInteger(n), 'a count must be a whole number'),
      },
    }),
    waitTimeoutSeconds: t.int({
      required: false,
      defaultValue: 300,
      description: 'Per machine: how long to wait for it to start and pass its checks.',
      validate: { schema: z.number().int().min(1, 'must be at least 1').max(3600, 'must be at most 3600') },
    }),
    secretsVersion: t.int({
      required: false,
      description:
        "The secrets version to roll out (from `setSecrets`/`unsetSecrets`): every machine is updated with at least this version of the app's secrets; Fly refuses a version the app does not have.",
      validate: { schema: z.number().int().min(0, 'must not be negative') },
    }),
  }),
});

const DeployAppSuccess = builder.objectRef<{ deployment: DeploymentRecord }>('DeployAppSuccess').implement({
  description: 'The deployment began: every machine is leased. Follow it with `deploymentProgress(id)`.',
  fields: (t) => ({ deployment: t.field({ type: DeploymentRef, resolve: (p) => p.deployment }) }),
});

const CancelDeploymentSuccess = builder.objectRef<{ deployment: DeploymentRecord }>('CancelDeploymentSuccess').implement({
  description: 'Cancellation was requested; the deployment ends CANCELLED once changed machines are back.',
  fields: (t) => ({ deployment: t.field({ type: DeploymentRef, resolve: (p) => p.deployment }) }),
});

/** Maps why a deployment could not begin to the typed errors every client knows. */
function rethrowDeployError(error: unknown, app?: string): never {
  // The rollout acts with the caller's authority: Fly refusing a lease or an update means that token may not deploy.
  if (app && isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized) {
    throw new ForbiddenError(`Fly refused to let this token change the app "${app}" (it may only read it): nothing was changed.`);
  }
  if (error instanceof DeployRejectedError) {
    switch (error.reason) {
      case 'app-busy':
        throw new LeaseHeldError(`${error.message}; wait for it to finish or cancel it`);
      case 'not-found':
        throw new NotFoundError(error.message);
      case 'no-machines':
        throw new InvalidStateError(error.message);
      default:
        throw new InvalidInputError(error.message, { issues: error.field ? [{ field: error.field, message: error.message }] : [] });
    }
  }
  rethrowAsUserFacing(error);
}

/**
 * A deployment belongs to its app: it is found only by callers who may read that app (in fly-token mode, asked of
 * Fly with the caller's own token; API keys and open access reach every app of the gateway's token). To anyone
 * else it does not exist, so its id reveals nothing.
 */
async function readableDeployment(ctx: GraphQLContext, id: string): Promise<DeploymentRecord | undefined> {
  const record = await ctx.services.deployments.get(id);
  if (!record || !ctx.services.canReadApp) return record;
  try {
    return (await ctx.services.canReadApp(record.app, ctx.signal)) ? record : undefined;
  } catch (error) {
    rethrowAsUserFacing(error);
  }
}

const deploymentIdSchema = z.string().regex(/^dep_[a-z0-9]{1,64}$/, 'expected a deployment id such as dep_0123456789abcdef0123');

/**
 * In fly-token mode, a cancel (which rolls machines back) needs a token Fly lets change the app, not only read it:
 * Fly is asked with a lease request on one of the deployment's leased machines (see `canWriteApp`).
 */
async function requireWriter(ctx: GraphQLContext, record: DeploymentRecord): Promise<void> {
  const machine = record.machines.find((m) => m.role !== 'green') ?? record.machines[0];
  if (!ctx.services.canWriteApp || !machine || FINAL_STATUSES.has(record.status)) return;
  let writable: boolean;
  try {
    writable = await ctx.services.canWriteApp(record.app, machine.machineId, ctx.signal);
  } catch (error) {
    rethrowAsUserFacing(error);
  }
  if (!writable) throw new ForbiddenError(`This Fly token may not change the app "${record.app}", so it may not cancel its deployment.`);
}

builder.queryFields((t) => ({
  deployment: t.field({
    type: DeploymentRef,
    nullable: true,
    description: 'A deployment by id (from any gateway instance); null when unknown.',
    args: { id: t.arg.string({ required: true, validate: { schema: deploymentIdSchema } }) },
    resolve: async (_root, { id }, ctx) => (await readableDeployment(ctx, id)) ?? null,
  }),
}));

builder.mutationFields((t) => ({
  deployApp: t.field({
    type: DeployAppSuccess,
    description:
      "Deploys an image to every machine of an app with a strategy; leases every machine first, so another holder's lease fails it before anything changes.",
    errors: { ...mutationErrors, directResult: true as const, union: { name: 'DeployAppResult' } },
    args: { input: t.arg({ type: DeployAppInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        const deployment = await ctx.services.deployments.deploy(
          {
            app: input.app,
            image: input.image,
            strategy: input.strategy ?? 'rolling',
            maxUnavailable: orUndefined(input.maxUnavailable),
            waitTimeoutSeconds: orUndefined(input.waitTimeoutSeconds),
            secretsVersion: orUndefined(input.secretsVersion),
            config: input.config
              ? {
                  env: input.config.env ? Object.fromEntries(input.config.env.map((e) => [e.name, e.value])) : undefined,
                  metadata: toRecord(input.config.metadata),
                  checks: orUndefined(input.config.checks) as Record<string, Record<string, unknown>> | undefined,
                  extra: orUndefined(input.config.extra) as Record<string, unknown> | undefined,
                }
              : undefined,
          },
          { signal: ctx.signal },
        );
        return { deployment };
      } catch (error) {
        rethrowDeployError(error, input.app);
      }
    },
  }),
  cancelDeployment: t.field({
    type: CancelDeploymentSuccess,
    description: 'Cancels a running deployment: the rollout stops and machines already changed return to their previous config.',
    errors: { ...mutationErrors, directResult: true as const, union: { name: 'CancelDeploymentResult' } },
    args: { id: t.arg.string({ required: true, validate: { schema: deploymentIdSchema } }) },
    resolve: async (_root, { id }, ctx) => {
      const record = await readableDeployment(ctx, id);
      if (!record) throw new NotFoundError(`no deployment ${id}`);
      await requireWriter(ctx, record);
      const cancelled = await ctx.services.deployments.cancel(id);
      if (!cancelled) throw new NotFoundError(`no deployment ${id}`);
      if (!cancelled.accepted) {
        const { status } = cancelled.record;
        throw new InvalidStateError(
          FINAL_STATUSES.has(status)
            ? `deployment ${id} already ended ${status.toUpperCase()}: there is nothing to cancel`
            : `deployment ${id} is already finishing: it can no longer be cancelled`,
        );
      }
      return { deployment: cancelled.record };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  deploymentProgress: t.field({
    type: DeploymentProgressRef,
    description: 'Every step of a deployment in order (from its first), then its final status; ends after the status.',
    args: { id: t.arg.string({ required: true, validate: { schema: deploymentIdSchema } }) },
    subscribe: async (_root, { id }, ctx) => {
      const record = await readableDeployment(ctx, id);
      if (!record) throw new NotFoundError(`no deployment ${id}`);
      try {
        // In fly-token mode the caller's access to the app is checked again while it follows (and ends it if lost).
        return await appSubscription(ctx, record.app, subscriptionSignal(ctx), (signal) => ctx.services.deployments.progress(id, signal), {
          checked: true,
        });
      } catch (error) {
        rethrowDeployError(error);
      }
    },
    resolve: (progress: DeploymentProgress) => progress,
  }),
}));
