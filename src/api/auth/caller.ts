import { createHash } from 'node:crypto';
import { stripAuthScheme } from '../../flyio/auth.js';
import { createKeyVerifier, parseKeyEntries, type Scope } from './keys.js';

/** Who is calling, resolved once per HTTP request or WebSocket connection. */
export interface Caller {
  /** The API key's name, `fly-token:<fingerprint>`, or `anonymous` when access is open. */
  name: string;
  scopes: ReadonlySet<Scope>;
  /** Partition key of caches, rate budgets and subscriptions: whose Fly token the data was read with. */
  tenant: string;
  /** In fly-token mode, the caller's own Fly token, forwarded on every Fly call made for it. Never stored or logged. */
  flyAuthorization?: string;
}

/** How a request failed to name a caller (`rejected`: a Fly token Fly itself refused a moment ago). */
export type AuthFailure = 'missing' | 'unknown' | 'malformed' | 'rejected';

/** Access modes (`AUTH_MODE`). */
export type AuthMode = 'none' | 'api-keys' | 'fly-token';

/** Whether `caller` may run an operation of this kind. `admin` covers everything. */
export function allows(caller: Caller, needed: Scope): boolean {
  return caller.scopes.has('admin') || caller.scopes.has(needed);
}

/** The scope an operation needs: mutations write, everything else reads. */
export function scopeFor(operation: 'query' | 'mutation' | 'subscription'): Scope {
  return operation === 'mutation' ? 'write' : 'read';
}

/** A short, non-reversible name for a Fly token (same form as the read cache's tenant). */
export function flyTokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

const ALL: ReadonlySet<Scope> = new Set<Scope>(['read', 'write', 'secrets', 'admin']);
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;
/** Printable ASCII without spaces or commas-only: what a token in a header can be. */
const TOKEN_TEXT = /^[\x21-\x7e]+( [\x21-\x7e]+)?$/;

/** Options for {@link createCallerResolver}. */
export interface CallerResolverOptions {
  mode: AuthMode;
  /** `API_KEYS` entries (api-keys mode). */
  apiKeys: readonly string[];
  /** Tenant of calls made with the gateway's own Fly token (none and api-keys modes). */
  gatewayTenant: string;
}

/** Resolves the `Authorization` value of a request (or `connectionParams.authorization`) to a caller. */
export type CallerResolver = (authorization: string | undefined) => Caller | AuthFailure;

/**
 * Builds the one function that turns an `Authorization` value into a {@link Caller}, for HTTP and WebSockets alike.
 * - `none`: everyone is `anonymous` with every scope, on the gateway's token.
 * - `api-keys`: `Bearer <key>`, looked up by hash among `API_KEYS`; the key's name and scopes, the gateway's token.
 * - `fly-token`: `Bearer <token>` or `FlyV1 <macaroons>`, forwarded to Fly, which decides what it may read or change;
 *   read, write and secrets scopes (Fly's answer is the real check), tenant = the token's fingerprint.
 */
export function createCallerResolver({ mode, apiKeys, gatewayTenant }: CallerResolverOptions): CallerResolver {
  const anonymous: Caller = { name: 'anonymous', scopes: ALL, tenant: gatewayTenant };
  const verify = createKeyVerifier(parseKeyEntries(mode === 'api-keys' ? apiKeys : []));
  // Fly decides what a token may change, secrets included (a read-only token's writes are refused by Fly).
  const flyScopes: ReadonlySet<Scope> = new Set<Scope>(['read', 'write', 'secrets']);
  return (authorization) => {
    if (mode === 'none') return anonymous;
    if (authorization === undefined || authorization.trim() === '') return 'missing';
    if (mode === 'api-keys') {
      const key = BEARER.exec(authorization)?.[1];
      if (!key) return 'malformed';
      const entry = verify(key);
      return entry ? { name: entry.name, scopes: entry.scopes, tenant: gatewayTenant } : 'unknown';
    }
    const trimmed = authorization.trim();
    if (!TOKEN_TEXT.test(trimmed) || !/^(bearer|flyv1)\s/i.test(trimmed)) return 'malformed';
    const token = stripAuthScheme(trimmed);
    if (token === '') return 'malformed';
    const fingerprint = flyTokenFingerprint(token);
    return { name: `fly-token:${fingerprint}`, scopes: flyScopes, tenant: fingerprint, flyAuthorization: token };
  };
}

const callers = new WeakMap<Request, Caller>();

/** Remembers the caller of an HTTP request (the auth plugin does, before the GraphQL pipeline runs). */
export function rememberCaller(request: Request, caller: Caller): void {
  callers.set(request, caller);
}

/**
 * The caller of an HTTP request, once the auth plugin resolved it (undefined before, or when it was refused). Parts
 * that run before the GraphQL pipeline (a response cache) key by `callerOf(request).tenant`.
 */
export function callerOf(request: Request): Caller | undefined {
  return callers.get(request);
}
