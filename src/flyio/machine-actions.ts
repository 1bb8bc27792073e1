/**
 * Machine lifecycle actions and metadata writes, each a declared operation (src/flyio/operation.ts). All are unsafe
 * methods, so the request path sends each exactly once; their success bodies vary between Fly versions (empty,
 * `{ok:true}`, a start summary), so none is parsed. `MachinesApi` keeps a method per action for the code that calls
 * them by name (deployments); each is the declaration, called.
 */
import { callOperation } from './operation-call.js';
import { defineOperation, type FlyOperation } from './operation.js';
import { requireNonEmpty } from './request-parts.js';
import type { Requester } from './request.js';
import type { DestroyMachineInput, MachineRef, MachinesApi, SetMetadataInput, StopMachineInput } from './types.js';

const MACHINE = '/apps/{app}/machines/{machineId}';
const onMachine = ({ app, machineId }: MachineRef) => ({ app, machineId });

/** Seconds as the Go duration Fly expects (`30s`). */
function goDuration(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : `${seconds}s`;
}

/** An action on one machine: `POST …/<action>`, nothing parsed. */
function machineAction<Input extends MachineRef>(
  name: string,
  action: string,
  request: Pick<FlyOperation<Input, void>, 'body' | 'query'> = {},
): FlyOperation<Input, void> {
  return defineOperation<Input>({ name, method: 'POST', path: `${MACHINE}/${action}`, target: onMachine, ...request });
}

export const startMachine = machineAction<MachineRef>('machines.start', 'start');
export const suspendMachine = machineAction<MachineRef>('machines.suspend', 'suspend');
export const cordonMachine = machineAction<MachineRef>('machines.cordon', 'cordon');
export const uncordonMachine = machineAction<MachineRef>('machines.uncordon', 'uncordon');

export const stopMachine = machineAction<StopMachineInput>('machines.stop', 'stop', {
  body: ({ signal, timeoutSeconds }) => {
    const timeout = goDuration(timeoutSeconds);
    return signal !== undefined || timeout !== undefined ? { signal, timeout } : undefined;
  },
});

// The spec takes these as query parameters (fly-admin's JSON body is the deviation).
export const restartMachine = machineAction<StopMachineInput>('machines.restart', 'restart', {
  query: ({ signal, timeoutSeconds }) => ({ signal, timeout: goDuration(timeoutSeconds) }),
});

export const signalMachine = machineAction<MachineRef & { signal: string }>('machines.signal', 'signal', {
  body: ({ signal }) => ({ signal: requireNonEmpty('machines.signal', 'signal', signal) }),
});

/** `POST …/metadata/{key}`: sets one key without a restart. */
export const setMachineMetadata = defineOperation<SetMetadataInput>({
  name: 'machines.setMetadata',
  method: 'POST',
  path: `${MACHINE}/metadata/{key}`,
  body: ({ value }) => {
    if (typeof value !== 'string') requireNonEmpty('machines.setMetadata', 'value', value);
    return { value };
  },
  target: onMachine,
});

/** Input of {@link updateMachineMetadata}: keys to set and keys to remove, in one change. */
export interface UpdateMetadataInput extends MachineRef {
  set: Record<string, string>;
  remove: readonly string[];
  /** Refuse (412) unless the machine is still at this version. */
  machineVersion?: string;
}

/**
 * `PATCH …/metadata`: sets and removes several keys at once, without a restart (a removed key is sent as `null`).
 * Fly's `PUT …/metadata` is a deprecated alias of the same operation; the gateway sends the PATCH.
 */
export const updateMachineMetadata = defineOperation<UpdateMetadataInput>({
  name: 'machines.updateMetadata',
  method: 'PATCH',
  path: `${MACHINE}/metadata`,
  body: ({ set, remove, machineVersion }) => ({
    metadata: { ...Object.fromEntries(remove.map((key) => [key, null])), ...set },
    ...(machineVersion ? { machine_version: machineVersion } : {}),
  }),
  target: onMachine,
});

/** `DELETE …/metadata/{key}`. */
export const deleteMachineMetadata = defineOperation<MachineRef & { key: string }>({
  name: 'machines.deleteMetadata',
  method: 'DELETE',
  path: `${MACHINE}/metadata/{key}`,
  target: onMachine,
});

/**
 * `DELETE …`: the spec names the flag `force`; fly-go and fly-admin send `kill`. Fly ignores unknown query
 * parameters, so sending both makes a forced destroy effective under either reading without risking a 400.
 */
export const destroyMachine = defineOperation<DestroyMachineInput>({
  name: 'machines.destroy',
  method: 'DELETE',
  path: MACHINE,
  query: ({ force }) => (force ? { force: 'true', kill: 'true' } : {}),
  target: onMachine,
});

type ActionApi = Pick<
  MachinesApi,
  'destroy' | 'start' | 'stop' | 'restart' | 'suspend' | 'signal' | 'cordon' | 'uncordon' | 'setMetadata' | 'deleteMetadata'
>;

/** The actions as `MachinesApi` methods over a requester. */
export function createMachineActions(requester: Requester): ActionApi {
  const bind =
    <Input>(operation: FlyOperation<Input, void>) =>
    (input: Input, options?: Parameters<ActionApi['start']>[1]) =>
      callOperation(requester, operation, input, options);
  return {
    destroy: bind(destroyMachine),
    start: bind(startMachine),
    stop: bind(stopMachine),
    restart: bind(restartMachine),
    suspend: bind(suspendMachine),
    signal: bind(signalMachine),
    cordon: bind(cordonMachine),
    uncordon: bind(uncordonMachine),
    setMetadata: bind(setMachineMetadata),
    deleteMetadata: bind(deleteMachineMetadata),
  };
}
