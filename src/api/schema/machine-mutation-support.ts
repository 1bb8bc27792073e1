import type { FlyMachine } from '../../flyio/wire/machine.js';
import { refreshMachine } from '../../services/loaders.js';
import type { WaitReport } from '../../services/machines/types.js';
import { builder, type Types } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { rethrowAsUserFacing } from '../errors.js';
import { WaitStateEnum } from './enums.js';
import { mutationErrors } from './errors.js';
import { appNameSchema, machineIdSchema, nonceSchema } from './inputs.js';
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
  return t.string({ required: false, description: "The lease nonce, when the machine is leased by the caller.", validate: { schema: nonceSchema } });
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

/** Payload of a mutation that returns the machine and, when asked, how waiting went. */
export interface MachinePayload {
  machine: MachineParent;
  wait?: WaitReport;
}

/** Creates the success object of one machine mutation (`<Name>Success`). */
export function machinePayloadType(name: string, description: string) {
  return builder.objectRef<MachinePayload>(name).implement({
    description,
    fields: (t) => ({
      machine: t.field({ type: MachineRef, description: 'The machine as it is after the change (and the wait).', resolve: (p) => p.machine }),
      wait: t.field({ type: WaitReportRef, nullable: true, description: 'Null unless `wait` was given.', resolve: (p) => p.wait ?? null }),
    }),
  });
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
  }
  return result;
}

/** Creates the success object of a mutation that has no target state to wait for: it returns the machine only. */
export function machineOnlyPayloadType(name: string, description: string) {
  return builder.objectRef<{ machine: MachineParent }>(name).implement({
    description,
    fields: (t) => ({
      machine: t.field({ type: MachineRef, description: 'The machine as it is after the change.', resolve: (p) => p.machine }),
    }),
  });
}

/** Error options of a machine mutation: every typed error, the payload directly in a union called `name`. */
export function machineMutationErrors(name: string) {
  return { ...mutationErrors, directResult: true as const, union: { name } };
}
