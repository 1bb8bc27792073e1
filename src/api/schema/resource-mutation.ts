/**
 * The pieces every mutation on an app-level resource (an app, a volume) shares: its result union with every typed
 * error (plus any of its own), and the run that maps Fly's failures to those errors. A write through
 * `ctx.services.fly.call` drops what it changes from the read cache; what the request's own loaders read before it
 * is forgotten here, so later fields of the same operation see Fly as it now is.
 */
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import type { GraphQLContext } from '../context.js';
import { ForbiddenError, rethrowAsUserFacing, userFacingErrorClasses } from '../errors.js';

/** Error options of a resource mutation: every typed error and `extra`, the payload directly in a union `<Name>Result`. */
export function resourceMutationErrors(name: string, extra: readonly (new (...args: never[]) => Error)[] = []) {
  return {
    types: [...userFacingErrorClasses, ...extra],
    directResult: true as const,
    union: { name: `${name.charAt(0).toUpperCase()}${name.slice(1)}Result` },
  };
}

/** What a resource write may have changed in this request's loaders. */
export type ResourceScope = 'app' | 'volumes';

/**
 * Runs a write, mapping Fly's failures to typed errors, then makes the request's loaders forget what it changed.
 * Fly refusing the caller's own token (fly-token mode: a token that may read the app but not change it) is the same
 * FORBIDDEN as every other refusal; the gateway's own token being refused stays an operator error.
 */
export async function runResourceWrite<T>(ctx: GraphQLContext, scope: ResourceScope, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized && error.credential === 'caller')
      throw new ForbiddenError('Fly refused this change to your Fly token: it may not write here.', { requestId: error.requestId });
    rethrowAsUserFacing(error);
  } finally {
    forget(ctx, scope);
  }
}

function forget(ctx: GraphQLContext, scope: ResourceScope): void {
  const { loaders } = ctx;
  loaders.volumes.clearAll();
  loaders.volumesPage.clearAll();
  loaders.volume.clearAll();
  loaders.volumeSnapshots.clearAll();
  loaders.app.clearAll();
  loaders.forgetCalls();
  if (scope === 'app') {
    loaders.appsByOrg.clearAll();
    loaders.appsPage.clearAll();
    loaders.machines.clearAll();
    loaders.machinesPage.clearAll();
    loaders.machine.clearAll();
  }
}
