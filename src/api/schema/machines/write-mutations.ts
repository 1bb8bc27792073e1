import { z } from 'zod';
import type { MachineConfigPatch } from '../../../services/machines/config-patch.js';
import { builder } from '../../builder.js';
import { RestartPolicyEnum } from '../enums.js';
import { appNameSchema, EnvVarInput, MetadataEntryInput, orUndefined, regionSchema, toRecord, toWait, WaitInput } from '../inputs.js';
import { leasedTarget, leaseNonceField, machineMutation, machinePayloadType, machineTargetFields } from './mutation-support.js';

const jsonObject = z.record(z.string(), z.unknown());

const GuestInput = builder.inputType('GuestInput', {
  description: 'CPU and memory sizing; omitted fields keep their current value on update.',
  fields: (t) => ({
    cpuKind: t.string({
      required: false,
      validate: { schema: z.enum(['shared', 'performance'], { error: 'expected shared or performance' }) },
    }),
    cpus: t.int({ required: false, validate: { schema: z.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64') } }),
    memoryMb: t.int({
      required: false,
      validate: { schema: z.number().int().min(128, 'must be at least 128').max(262_144, 'must be at most 262144') },
    }),
    gpus: t.int({ required: false, validate: { schema: z.number().int().min(0, 'must be 0 or more').max(8, 'must be at most 8') } }),
    gpuKind: t.string({ required: false, validate: { schema: z.string().max(64, 'must be at most 64 characters') } }),
  }),
});

const RestartInput = builder.inputType('RestartInput', {
  fields: (t) => ({
    policy: t.field({ type: RestartPolicyEnum, required: true }),
    maxRetries: t.int({
      required: false,
      validate: { schema: z.number().int().min(0, 'must be 0 or more').max(100, 'must be at most 100') },
    }),
  }),
});

const MountInput = builder.inputType('MountInput', {
  fields: (t) => ({
    volume: t.string({
      required: true,
      description: 'Volume id (vol_...).',
      validate: { schema: z.string().regex(/^vol_[a-z0-9]+$/, 'expected a volume id such as vol_1234567890abcdef') },
    }),
    path: t.string({ required: true, validate: { schema: z.string().regex(/^\/.{0,254}$/, 'expected an absolute path') } }),
  }),
});

const MachineConfigInput = builder.inputType('MachineConfigInput', {
  description: 'Machine config. On update only the fields given change; env and metadata, when given, replace the whole map.',
  fields: (t) => ({
    image: t.string({
      required: false,
      validate: { schema: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters') },
    }),
    guest: t.field({ type: GuestInput, required: false }),
    env: t.field({ type: [EnvVarInput], required: false }),
    metadata: t.field({ type: [MetadataEntryInput], required: false }),
    services: t.field({
      type: 'JSON',
      required: false,
      description: "Fly's services array, as in the Machines API.",
      validate: { schema: z.array(jsonObject, { error: 'expected a list of service objects' }) },
    }),
    checks: t.field({
      type: 'JSON',
      required: false,
      description: "Fly's checks object: name -> check.",
      validate: { schema: z.record(z.string(), jsonObject, { error: 'expected an object of named check objects' }) },
    }),
    restart: t.field({ type: RestartInput, required: false }),
    mounts: t.field({ type: [MountInput], required: false }),
    autoDestroy: t.boolean({ required: false }),
    extra: t.field({
      type: 'JSON',
      required: false,
      description: 'Any other config keys, verbatim (typed fields win).',
      validate: { schema: jsonObject },
    }),
  }),
});

type ConfigArg = typeof MachineConfigInput.$inferInput;

function toPatch(config: ConfigArg): MachineConfigPatch {
  const g = config.guest;
  return {
    image: orUndefined(config.image),
    guest: g
      ? {
          cpuKind: orUndefined(g.cpuKind),
          cpus: orUndefined(g.cpus),
          memoryMb: orUndefined(g.memoryMb),
          gpus: orUndefined(g.gpus),
          gpuKind: orUndefined(g.gpuKind),
        }
      : undefined,
    env: config.env ? Object.fromEntries(config.env.map((e) => [e.name, e.value])) : undefined,
    metadata: toRecord(config.metadata),
    services: orUndefined(config.services) as MachineConfigPatch['services'],
    checks: orUndefined(config.checks) as MachineConfigPatch['checks'],
    restart: config.restart ? { policy: config.restart.policy, maxRetries: orUndefined(config.restart.maxRetries) } : undefined,
    mounts: config.mounts ? config.mounts.map((m) => ({ volume: m.volume, path: m.path })) : undefined,
    autoDestroy: orUndefined(config.autoDestroy),
    extra: orUndefined(config.extra) as MachineConfigPatch['extra'],
  };
}

const CreateMachineInput = builder.inputType('CreateMachineInput', {
  fields: (t) => ({
    app: t.string({ required: true, validate: { schema: appNameSchema } }),
    config: t.field({
      type: MachineConfigInput,
      required: true,
      validate: {
        refine: [(c) => typeof (c as ConfigArg).image === 'string', { message: 'image is required to create a machine', path: ['image'] }],
      },
    }),
    name: t.string({
      required: false,
      validate: { schema: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes') },
    }),
    region: t.string({ required: false, description: 'Region code; Fly picks one when omitted.', validate: { schema: regionSchema } }),
    skipLaunch: t.boolean({ required: false, description: 'Create without booting.' }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

const UpdateMachineInput = builder.inputType('UpdateMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    config: t.field({ type: MachineConfigInput, required: true }),
    currentVersion: t.string({
      required: false,
      description: 'Only update if the machine is still at this version.',
      validate: { schema: z.string().min(1).max(64) },
    }),
    leaseNonce: leaseNonceField(t),
    skipLaunch: t.boolean({ required: false, description: 'Apply without booting (a running machine is left stopped).' }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

machineMutation('createMachine', {
  description: 'Creates (and by default boots) a machine; with `wait`, returns once it is started.',
  input: CreateMachineInput,
  success: machinePayloadType('CreateMachineSuccess', 'The machine was created.'),
  run: (machines, input, options) => {
    const patch = toPatch(input.config);
    return machines.create(
      {
        app: input.app,
        config: { ...patch, image: patch.image ?? '' },
        name: orUndefined(input.name),
        region: orUndefined(input.region),
        skipLaunch: orUndefined(input.skipLaunch),
        wait: toWait(input.wait),
      },
      options,
    );
  },
});

machineMutation('updateMachine', {
  description: "Changes a machine's config (guarded by its version); with `wait`, returns once the new version is up.",
  input: UpdateMachineInput,
  success: machinePayloadType('UpdateMachineSuccess', "The machine's config was changed."),
  run: (machines, input, options) =>
    machines.update(
      {
        ...leasedTarget(input),
        config: toPatch(input.config),
        currentVersion: orUndefined(input.currentVersion),
        skipLaunch: orUndefined(input.skipLaunch),
        wait: toWait(input.wait),
      },
      options,
    ),
});
