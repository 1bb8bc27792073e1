import { defaultFieldResolver, GraphQLError, type GraphQLSchema } from 'graphql';
import { wrapOrThrow } from '@pothos/plugin-errors';
import { isFlyApiError } from '../../flyio/errors.js';
import { PUSH, pushTo, type Pushable } from '../../lib/push-stream.js';
import { anySignal } from '../../lib/signals.js';
import { ACCESS_REVOKED } from '../../services/services.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode, ForbiddenError, toUserFacingError, userFacingErrorClasses } from '../errors.js';
import { allows } from './caller.js';
import type { Scope } from './keys.js';

const guarded = new WeakSet<GraphQLSchema>();

function appOf(args: Record<string, unknown>): string | undefined {
  const input = args.input as { app?: unknown } | undefined;
  return typeof input?.app === 'string' ? input.app : undefined;
}

/** The scope a mutation field needs: `write`, unless the field names another in `extensions.scope` (`secrets`). */
export function mutationScope(field: { extensions?: Readonly<Record<string, unknown>> | null }): Scope {
  return field.extensions?.scope === 'secrets' ? 'secrets' : 'write';
}

/** Why the caller may not run this mutation, as the typed error it returns; undefined when it may. */
async function mutationDenied(ctx: GraphQLContext, args: Record<string, unknown>, scope: Scope): Promise<Error | undefined> {
  if (ctx.caller && !allows(ctx.caller, scope)) {
    return new ForbiddenError(
      scope === 'secrets'
        ? "This API key may not set or use the app's secrets: it lacks the secrets scope."
        : 'This API key may not change anything: it lacks the write scope.',
    );
  }
  const app = appOf(args);
  if (!app || !ctx.services.canReadApp) return undefined;
  try {
    // Work that runs under the gateway's own token (deployments) must not reach apps the caller's token cannot.
    if (!(await ctx.services.canReadApp(app, ctx.signal))) return new ForbiddenError(`This Fly token cannot read the app "${app}".`);
  } catch (error) {
    const typed = isFlyApiError(error) ? toUserFacingError(error) : undefined;
    if (typed) return typed;
    throw error;
  }
  return undefined;
}

/**
 * Puts the write check in front of every mutation field: a caller without `write` (`secrets` for the fields that
 * say so, see {@link mutationScope}) (or, in fly-token mode, whose
 * token cannot read `input.app`) gets a typed `ForbiddenError` result and nothing runs. Idempotent: the schema is
 * built once per process and shared, and the check reads only the request's context.
 */
export function guardMutations(schema: GraphQLSchema): GraphQLSchema {
  if (guarded.has(schema)) return schema;
  guarded.add(schema);
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const inner = field.resolve ?? defaultFieldResolver;
    const scope = mutationScope(field);
    field.resolve = async (root, args: Record<string, unknown>, ctx: GraphQLContext, info) => {
      const denied = await mutationDenied(ctx, args, scope);
      // Wrapped as the errors plugin wraps what a resolver throws, so the result union types it (graphql-js would
      // otherwise treat a returned Error as a field error).
      return denied ? wrapOrThrow(denied, [...userFacingErrorClasses]) : inner(root, args, ctx, info);
    };
  }
  return schema;
}

function forbiddenApp(app: string): GraphQLError {
  return new GraphQLError(`This Fly token cannot read the app "${app}".`, { extensions: { code: ErrorCode.Forbidden } });
}

type Stream<T> = AsyncIterableIterator<T>;

/**
 * A subscription to one app's events that, in fly-token mode, only opens when the caller's token can read the app
 * (else FORBIDDEN) and ends with FORBIDDEN once a periodic re-check finds it no longer can. Elsewhere it is `open`
 * unchanged. Not an async generator, for the reason events-service gives: return() must not wait for an event.
 */
export async function appSubscription<T>(
  ctx: GraphQLContext,
  app: string,
  signal: AbortSignal,
  open: (signal: AbortSignal) => Stream<T> | Promise<Stream<T>>,
  options: { checked?: boolean } = {},
): Promise<Stream<T>> {
  const { canReadApp, watchAppAccess } = ctx.services;
  if (!canReadApp || !watchAppAccess) return open(signal);
  // `checked`: the caller already asked Fly (and answers a refusal its own way); only the re-checks are left.
  if (!options.checked && !(await canReadApp(app, signal))) throw forbiddenApp(app);
  // Ends the re-checks however the subscription ends: its signal, the client's return(), or the stream running out.
  const ended = new AbortController();
  const until = anySignal([signal, ended.signal]);
  const revoked = watchAppAccess(app, until);
  let inner: Stream<T>;
  try {
    inner = await open(anySignal([until, revoked]));
  } catch (error) {
    ended.abort();
    throw error;
  }
  const finish = async () => {
    ended.abort();
    return (await inner.return?.()) ?? { value: undefined, done: true as const };
  };
  const stream: Stream<T> & Pushable<T> = {
    // Items pass as they are; the end (and a revocation) still comes through next().
    [PUSH]: (sink) => pushTo(inner, sink),
    async next() {
      const result = await inner.next();
      if (!result.done) return result;
      ended.abort();
      if (revoked.aborted && revoked.reason === ACCESS_REVOKED) throw forbiddenApp(app);
      return result;
    },
    return: finish,
    throw: async (error?: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
