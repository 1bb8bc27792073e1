import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors.js';
import type { Admission } from './admission.js';
import { allows, scopeFor, type AuthFailure, type Caller } from './caller.js';
import { WS_FORBIDDEN, WS_UNAUTHENTICATED } from './responses.js';
import { trustedQueryOf, type TrustedDocuments } from './trusted-documents.js';

/** The part of a socket access needs: closing it with a code. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** What one operation on a socket may do: run, or be refused with these errors (the socket may be closed too). */
export type WsVerdict = { ok: true } | { ok: false; errors: GraphQLError[] };

/** Access checks of graphql-ws sockets: who the socket is (at `connection_init`), and what each operation may do. */
export interface WsAccess {
  /**
   * Resolves `connectionParams.authorization` for a socket from `address`; closes the socket with 4401 and answers
   * false when nobody is named.
   */
  connect(
    connectionParams: Readonly<Record<string, unknown>> | undefined,
    socket: ClosableSocket,
    address: string,
  ): boolean | Promise<boolean>;
  /** Checks one operation: a subscription or query without `read` closes the socket with 4403; over the caller's rate, an error. */
  admit(socket: ClosableSocket, operation: 'query' | 'mutation' | 'subscription'): Promise<WsVerdict>;
  /** The caller of a connected socket (the context reads it). */
  callerOf(socket: object): Caller | undefined;
  /** The document text a subscribe message runs: its own query, or with trusted documents the manifest's (or an error). */
  queryOf(payload: { query?: unknown; documentId?: unknown; extensions?: unknown }): string | GraphQLError;
}

/** Options for {@link createWsAccess}. */
export interface WsAccessOptions {
  /** The same admission rule as HTTP. */
  admission: Admission;
  /** When set, only these documents run, named by id. */
  trustedDocuments?: TrustedDocuments;
}

/** Builds the graphql-ws side of access: the same resolver and limits as HTTP, with close codes instead of statuses. */
export function createWsAccess({ admission, trustedDocuments }: WsAccessOptions): WsAccess {
  const callers = new WeakMap<object, { caller: Caller; address: string }>();
  return {
    connect(params, socket, address) {
      const raw = params?.authorization ?? params?.Authorization;
      const accept = (caller: Caller | AuthFailure): boolean => {
        if (typeof caller === 'string') {
          socket.close(WS_UNAUTHENTICATED.code, WS_UNAUTHENTICATED.reason);
          return false;
        }
        callers.set(socket, { caller, address });
        return true;
      };
      const caller = admission.identify(typeof raw === 'string' ? raw : undefined);
      return typeof caller !== 'string' && 'then' in caller ? caller.then(accept) : accept(caller);
    },
    async admit(socket, operation) {
      const { caller, address } = callers.get(socket) ?? {};
      // A socket whose key a reload removed is closed as one that never had a key.
      if (!caller || address === undefined || caller.revoked?.aborted) {
        socket.close(WS_UNAUTHENTICATED.code, WS_UNAUTHENTICATED.reason);
        return { ok: false, errors: [new GraphQLError('Not authenticated.', { extensions: { code: ErrorCode.Unauthenticated } })] };
      }
      if (operation !== 'mutation' && !allows(caller, scopeFor(operation))) {
        socket.close(WS_FORBIDDEN.code, WS_FORBIDDEN.reason);
        return { ok: false, errors: [new GraphQLError('This API key may not read.', { extensions: { code: ErrorCode.Forbidden } })] };
      }
      const verdict = await admission.charge(caller, address);
      if (!verdict.ok) {
        const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
        const error = new GraphQLError(`Too many requests from this caller; retry in ${seconds} s.`, {
          extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: seconds, limit: 'caller' },
        });
        return { ok: false, errors: [error] };
      }
      return { ok: true };
    },
    callerOf: (socket) => callers.get(socket)?.caller,
    queryOf: (payload) => (trustedDocuments ? trustedQueryOf(trustedDocuments, payload) : String(payload.query ?? '')),
  };
}
