import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { FlyErrorCode, isFlyApiError } from '../../../flyio/errors.js';
import type { FlyOperation } from '../../../flyio/operation.js';
import type { FlyMachine } from '../../../flyio/wire/machine.js';
import { refreshMachine } from '../../../services/loaders.js';
import type { MachineUseCases } from '../../../services/machines/machine-use-cases.js';
import type { MachineOutcome, UseCaseOptions, WaitReport } from '../../../services/machines/types.js';
import { builder, type Types } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { ForbiddenError, rethrowAsUserFacing } from '../../errors.js';
import { WaitStateEnum } from '../enums.js';
import { mutationErrors } from '../errors.js';
import { appNameSchema, machineIdSchema, nonceSchema, orUndefined } from '../inputs.js';
import { MachineRef, type MachineParent } from './machine.js';

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** `app` and `machineId`, validated. */
export function machineTargetFields(t: InputFields) {
  return {
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    machineId: t.string({ required: true, description: 'Fly machine id.', validate: { schema: machineIdSchema } }),
  };
}

/** The nonce of a lease the caller holds, needed while the machine is leased. */
export function leaseNonceField(t: InputFields) {
  return t.string({
    required: false,
    description: 'The lease nonce, when the machine is leased by the caller.',
    validate: { schema: nonceSchema },
  });
}

/** The machine an input names, with the caller's lease nonce when it gave one: what most machine use cases start from. */
export function leasedTarget(input: { app: string; machineId: string; leaseNonce?: string | null }) {
  return { app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce) };
}

/** The machine an input names (what a declared machine operation's input starts from). */
export function machineOf(input: { app: string; machineId: string }) {
  return { app: input.app, machineId: input.machineId };
}

/** The caller's lease nonce, when the input gave one (the extras of an action with nothing to wait for). */
export function leaseOf(input: { leaseNonce?: string | null }) {
  return { leaseNonce: orUndefined(input.leaseNonce) };
}

/** The machine alone from an action's outcome (actions with no target state answer the machine only). */
export async function machineOnly(outcome: Promise<MachineOutcome>): Promise<FlyMachine> {
  return (await outcome).machine;
}

/** What a wait achieved. */
export const WaitReportRef = builder.objectRef<WaitReport>('WaitReport').implement({
  description: 'Outcome of waiting for the target state.',
  fields: (t) => ({
    targetState: t.field({ type: WaitStateEnum, resolve: (w) => w.targetState }),
    reached: t.exposeBoolean('reached', { description: 'False when the timeout passed first; `machine` shows where it got to.' }),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
  }),
});

/**
 * The success object of a machine mutation and how it is filled from what the use case returned: `machineOf` names
 * the machine to hand to the loaders (undefined when Fly no longer shows it), `shape` builds the payload.
 */
export interface MachinePayload<Result, Shape, Input = { app: string }> {
  type: ObjectRef<Types, Shape>;
  machineOf: (result: Result) => FlyMachine | undefined;
  shape: (result: Result, input: Input) => Shape;
}

/** Payload of a mutation that returns the machine and, when asked, how waiting went. */
export interface MachineWithWait {
  machine: MachineParent;
  wait?: WaitReport;
}

/** Success object (`<Name>Success`) of a mutation whose use case returns the machine and an optional wait report. */
export function machinePayloadType(name: string, description: string): MachinePayload<MachineOutcome, MachineWithWait> {
  const type = builder.objectRef<MachineWithWait>(name).implement({
    description,
    fields: (t) => ({
      machine: t.field({
        type: MachineRef,
        description: 'The machine as it is after the change (and the wait).',
        resolve: (p) => p.machine,
      }),
      wait: t.field({ type: WaitReportRef, nullable: true, description: 'Null unless `wait` was given.', resolve: (p) => p.wait ?? null }),
    }),
  });
  return {
    type,
    machineOf: (r) => r.machine,
    shape: (r, input) => ({ machine: { appName: input.app, machine: r.machine }, wait: r.wait }),
  };
}

/** Success object of a mutation that has no target state to wait for: its use case returns the machine only. */
export function machineOnlyPayloadType(name: string, description: string): MachinePayload<FlyMachine, { machine: MachineParent }> {
  const type = builder.objectRef<{ machine: MachineParent }>(name).implement({
    description,
    fields: (t) => ({
      machine: t.field({ type: MachineRef, description: 'The machine as it is after the change.', resolve: (p) => p.machine }),
    }),
  });
  return { type, machineOf: (m) => m, shape: (m, input) => ({ machine: { appName: input.app, machine: m } }) };
}

/**
 * Runs a machine mutation: Fly failures become typed errors, and the per-request loaders learn the new machine so
 * later fields of the same operation do not see what was loaded before the change.
 */
export async function runMachineMutation<T>(
  ctx: GraphQLContext,
  app: string,
  action: () => Promise<T>,
  machineOf: (result: T) => FlyMachine | undefined,
): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    rethrowAsUserFacing(error);
  }
  const machine = machineOf(result);
  if (machine) refreshMachine(ctx.loaders, app, machine);
  else {
    ctx.loaders.machines.clearAll();
    ctx.loaders.machinesPage.clearAll();
    ctx.loaders.forgetCalls();
  }
  return result;
}

/**
 * Runs a write sent with the caller's own Fly token (fly-token mode). The write check already found that the token
 * can read the app, so Fly's 401 now means it may not change it: a typed `ForbiddenError` for the caller, not the
 * `UNAUTHORIZED` that stands for the gateway's own token being refused.
 */
export async function asCallerWrite<T>(ctx: GraphQLContext, app: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (ctx.caller?.flyAuthorization && isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized) {
      throw new ForbiddenError(`Fly refused to let this token change the app "${app}" (it may only read it): nothing was changed.`);
    }
    throw error;
  }
}

/** Error options of a machine mutation: every typed error, the payload directly in a union called `name`. */
export function machineMutationErrors(name: string) {
  return { ...mutationErrors, directResult: true as const, union: { name } };
}

/** One machine mutation, declared: everything but the use-case call and the payload is the same for all of them. */
export interface MachineMutation<Input extends { app: string }, Result, Shape> {
  description: string;
  /** The single required `input` argument; its fields validate themselves (zod), failures come back as InvalidInputError. */
  input: InputObjectRef<Types, Input>;
  success: MachinePayload<Result, Shape, Input>;
  /** Calls the use case; `options` carries the request's abort signal. */
  run: (machines: MachineUseCases, input: Input, options: UseCaseOptions) => Promise<Result>;
}

/**
 * Adds `Mutation.<name>(input: ...)`, returning the success object or a typed error in a union named after the field
 * (`startMachine` -> `StartMachineResult`); the use case's failures are mapped and the loaders refreshed by
 * {@link runMachineMutation}.
 */
export function machineMutation<Input extends { app: string }, Result, Shape extends object>(
  name: string,
  m: MachineMutation<Input, Result, Shape>,
): void {
  // Pothos cannot resolve its argument and result types while Input and Shape are still open; `m` ties the input
  // ref, the use case and the payload together, so the field is declared over their erased forms.
  const input = m.input as InputObjectRef<Types, { app: string }>;
  const success = m.success as unknown as MachinePayload<unknown, object, { app: string }>;
  const run = m.run as (machines: MachineUseCases, input: { app: string }, options: UseCaseOptions) => Promise<unknown>;
  builder.mutationField(name, (t) =>
    t.field({
      type: success.type,
      description: m.description,
      errors: machineMutationErrors(`${name.charAt(0).toUpperCase()}${name.slice(1)}Result`),
      args: { input: t.arg({ type: input, required: true }) },
      resolve: async (_root, args, ctx) => {
        const result = await runMachineMutation(
          ctx,
          args.input.app,
          () => run(ctx.services.machines, args.input, { signal: ctx.signal }),
          success.machineOf,
        );
        return success.shape(result, args.input);
      },
    }),
  );
}

/**
 * A thin write, declared: a mutation that is nothing but one declared Fly operation on a machine (src/flyio/operation.ts).
 * No use case and no binding: the input maps to the operation's input, the lease nonce (when the input has one) rides
 * along, failures become typed errors, and the caller's loaders forget what the write may have changed.
 */
export interface OperationMutation<Input extends { app: string }, OpInput, Output, Shape> {
  description: string;
  input: InputObjectRef<Types, Input>;
  operation: FlyOperation<OpInput, Output>;
  /** The operation's input from the mutation's (validated) input. */
  toInput: (input: Input) => OpInput;
  /** The success object (`<Name>Success`) and how Fly's answer fills it. */
  success: { type: ObjectRef<Types, Shape>; shape: (output: Output, input: Input) => Shape };
  /** The API-key scope it needs instead of `write` (`api/auth/guards.ts`). */
  scope?: 'secrets';
}

/** Adds `Mutation.<name>(input: ...)` for one declared operation; see {@link OperationMutation}. */
export function operationMutation<Input extends { app: string }, OpInput, Output, Shape extends object>(
  name: string,
  m: OperationMutation<Input, OpInput, Output, Shape>,
): void {
  // Erased for Pothos as in machineMutation: `m` ties the input, the operation and the payload together.
  const input = m.input as InputObjectRef<Types, { app: string; leaseNonce?: string | null }>;
  const toInput = m.toInput as unknown as (input: { app: string }) => OpInput;
  const shape = m.success.shape as unknown as (output: Output, input: { app: string }) => object;
  builder.mutationField(name, (t) =>
    t.field({
      type: m.success.type as ObjectRef<Types, object>,
      description: m.description,
      extensions: m.scope ? { scope: m.scope } : undefined,
      errors: machineMutationErrors(`${name.charAt(0).toUpperCase()}${name.slice(1)}Result`),
      args: { input: t.arg({ type: input, required: true }) },
      resolve: async (_root, args, ctx) => {
        const options = { signal: ctx.signal, leaseNonce: orUndefined(args.input.leaseNonce) };
        const output = await runMachineMutation(
          ctx,
          args.input.app,
          () => asCallerWrite(ctx, args.input.app, () => ctx.services.fly.call(m.operation, toInput(args.input), options)),
          () => undefined,
        );
        return shape(output, args.input);
      },
    }),
  );
}
