import { randomUUID } from 'node:crypto';
import {
  defaultFieldResolver,
  getNullableType,
  isAbstractType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../lib/logger.js';
import type { GraphQLContext } from '../context.js';

/** What a mutation acted on: identifiers only, never input values (configs, env, metadata values, files). */
export interface AuditTarget {
  app?: string;
  machineId?: string;
  volumeId?: string;
  deployment?: string;
}

/** One audit line's own fields; the plugin adds who asked and the request id. */
export interface AuditEntry {
  operation: string;
  target: AuditTarget;
  /** The result's type name (`RestartMachineSuccess`), a typed error's code (`LEASE_HELD`), or a deployment's final status. */
  outcome: string;
}

/** Where the schema's mutation wrapper hands its entries: put in each execution's context by {@link useAuditLog}. */
const AUDIT_SINK = Symbol('flygate.audit');
type AuditSink = (entry: AuditEntry) => void;
type Audited = GraphQLContext & { [AUDIT_SINK]?: AuditSink };

const wrapped = new WeakSet<GraphQLSchema>();

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length <= 128 ? value : undefined);

/** Mutations of an app itself, whose input names it `name`. */
const APP_MUTATIONS = new Set(['createApp', 'deleteApp']);

function targetOf(field: string, args: Record<string, unknown>, value: unknown): AuditTarget {
  const input = (args.input ?? {}) as Record<string, unknown>;
  const made = value as
    { deployment?: { id?: unknown }; machine?: { id?: unknown }; volume?: { volume?: { id?: unknown } } } | null | undefined;
  const target: AuditTarget = {
    app: text(input.app) ?? (APP_MUTATIONS.has(field) ? text(input.name) : undefined),
    machineId: text(input.machineId) ?? text(made?.machine?.id),
    volumeId: text(input.volumeId) ?? text(made?.volume?.volume?.id),
    // cancelDeployment(id); deployApp's id is only known from its result.
    deployment: text(args.id) ?? text(made?.deployment?.id),
  };
  return Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined)) as AuditTarget;
}

/** The result union's member for `value`; for a typed error (returned, not thrown, by the errors plugin) its code. */
async function outcomeOf(value: unknown, ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<string> {
  const type = getNullableType(info.returnType);
  const name = isAbstractType(type) && type.resolveType ? await type.resolveType(value, ctx, info, type) : undefined;
  // The errors plugin hands typed errors back behind a proxy that is no `instanceof Error`: read the code instead.
  const code = value !== null && typeof value === 'object' ? text((value as { code?: unknown }).code) : undefined;
  if (code && (name === undefined || name.endsWith('Error'))) return code;
  return typeof name === 'string' ? name : 'ok';
}

/**
 * Reports every mutation field's target and outcome to the execution's audit sink. Outermost wrapper (after the
 * write guard), so a refused call is audited too. Idempotent and logger-free, like the guard: the schema may be
 * shared by several gateways in one process, each with its own sink.
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  if (wrapped.has(schema)) return schema;
  wrapped.add(schema);
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const inner: GraphQLFieldResolver<unknown, Audited> = field.resolve ?? defaultFieldResolver;
    field.resolve = async (root, args: Record<string, unknown>, ctx: Audited, info) => {
      const sink = ctx[AUDIT_SINK];
      if (!sink) return inner(root, args, ctx, info);
      let value: unknown;
      try {
        value = await inner(root, args, ctx, info);
      } catch (error) {
        sink({
          operation: field.name,
          target: targetOf(field.name, args, undefined),
          outcome: text((error as { code?: unknown }).code) ?? 'ERROR',
        });
        throw error;
      }
      const target = targetOf(field.name, args, value);
      sink({ operation: field.name, target, outcome: await outcomeOf(value, ctx, info).catch(() => 'unknown') });
      if (field.name === 'deployApp' && target.deployment) auditFinalStatus(ctx, target, sink);
      return value;
    };
  }
  return schema;
}

/** A deployment outlives its request: its final status (as the API spells it) gets a line of its own when this instance ends it. */
function auditFinalStatus(ctx: GraphQLContext, target: AuditTarget, sink: AuditSink): void {
  const id = target.deployment!;
  const deployments = ctx.services.deployments;
  deployments
    .settled(id)
    .then(() => deployments.get(id))
    .then(
      (record) => sink({ operation: 'deployApp.finished', target, outcome: record?.status.toUpperCase() ?? 'unknown' }),
      () => undefined,
    );
}

/** A request id to quote: Fly's proxy's or the client's own when it looks like one, else a new one. */
function requestIdOf(request: Request | undefined): string {
  for (const name of ['fly-request-id', 'x-request-id']) {
    const value = request?.headers.get(name);
    if (value && /^[\w.:-]{1,128}$/.test(value)) return value;
  }
  return randomUUID();
}

/**
 * One structured `info` line per mutation field (and per deployment's end): `{ audit: true, caller, operation,
 * target, outcome, requestId }`. The caller is an API key's name or a Fly token's fingerprint, never a secret.
 * Needs the schema wrapped by {@link auditMutations}.
 */
export function useAuditLog(logger: Logger): Plugin {
  return {
    onExecute: ({ args, extendContext }) => {
      const ctx = args.contextValue as unknown as Audited & { request?: Request };
      const caller = ctx.caller?.name ?? 'anonymous';
      const requestId = requestIdOf(ctx.request);
      const sink: AuditSink = (entry) =>
        logger.info({ audit: true, caller, ...entry, requestId }, `audit: ${entry.operation} ${entry.outcome}`);
      extendContext({ [AUDIT_SINK]: sink } as Record<symbol, AuditSink>);
    },
  };
}
