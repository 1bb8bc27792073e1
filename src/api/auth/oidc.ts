import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../lib/clock.js';
import { parseAppScope, type AppScope } from '../../services/app-scope.js';
import { scopedTenant, type AuthFailure, type Caller } from './caller.js';
import { SCOPES, type Scope } from './keys.js';

/** What an OIDC issuer's tokens must be, and how their claims map to scopes and apps (`OIDC_*`). */
export interface OidcSettings {
  /** The `iss` every token must carry, exactly. */
  issuer: string;
  /** An `aud` every token must carry. */
  audience: string;
  /** Where the issuer's keys are; absent: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Tolerated clock difference for `exp`, `nbf` and `iat`, in seconds. */
  clockSkewSeconds: number;
  /** Signature algorithms accepted (asymmetric only: `none` and HMAC are never accepted). */
  algorithms: readonly string[];
  /** The claim holding scopes (a space-separated string or an array). */
  scopesClaim: string;
  /** Only scopes with this prefix count: `flygate:read` → `read`. */
  scopePrefix: string;
  /** The claim holding the apps the caller may reach: names or prefixes ending in `*` (array or `|`/space-separated). */
  appsClaim: string;
  /** After a fetch of the keys, how long an unknown `kid` waits before it may fetch them again, in ms. */
  jwksCooldownMs: number;
}

/** Verifies bearer JWTs of one issuer into callers; a token verified once is answered from memory until it expires. */
export interface OidcVerifier {
  identify(token: string): Caller | AuthFailure | Promise<Caller | AuthFailure>;
}

/** Algorithms that sign with a key pair: the only ones a token may use, whatever the settings say. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;
/** The shape of a compact JWS: three base64url parts. */
export const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** jose's errors that blame the token (signature, claims, algorithm, shape, key id), not the issuer. */
const TOKEN_FAULTS = [
  joseErrors.JWTClaimValidationFailed,
  joseErrors.JWTInvalid,
  joseErrors.JWSInvalid,
  joseErrors.JWSSignatureVerificationFailed,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
  joseErrors.JWKInvalid,
];
/** A caller with no apps: what a token without the apps claim reaches. */
const NO_APPS: AppScope = { names: new Set(), prefixes: [], text: '' };

function words(value: unknown, separators: RegExp): string[] {
  if (typeof value === 'string') return value.split(separators).filter((w) => w !== '');
  if (Array.isArray(value)) return value.filter((w): w is string => typeof w === 'string' && w !== '');
  return [];
}

/** The scopes a token's claim grants (unknown words are ignored). */
export function scopesOf(payload: JWTPayload, settings: Pick<OidcSettings, 'scopesClaim' | 'scopePrefix'>): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const word of words(payload[settings.scopesClaim], /\s+/)) {
    if (!word.startsWith(settings.scopePrefix)) continue;
    const scope = word.slice(settings.scopePrefix.length);
    if ((SCOPES as readonly string[]).includes(scope)) scopes.add(scope as Scope);
  }
  return scopes;
}

/** The apps a token's claim names (words that are no app name or prefix are ignored; none: no app). */
export function appsOf(payload: JWTPayload, appsClaim: string): AppScope {
  const valid = words(payload[appsClaim], /[\s|,]+/).filter((word) => {
    try {
      parseAppScope(word);
      return true;
    } catch {
      return false;
    }
  });
  return valid.length === 0 ? NO_APPS : parseAppScope(valid.join('|'));
}

/** Options for {@link createOidcVerifier}. */
export interface OidcVerifierOptions {
  settings: OidcSettings;
  clock: Clock;
  /** Tenant of the gateway's own Fly token (OIDC callers act with it, held to their apps). */
  gatewayTenant: string;
  /** Most verified tokens kept in memory. @default 10,000 */
  maxEntries?: number;
}

/**
 * Builds the verifier of `AUTH_MODE=oidc`. A token must be a JWS signed by a key of the issuer's JWKS with one of
 * the allowed asymmetric algorithms, name the issuer and the audience, carry `exp`, and be within its lifetime (with
 * the clock skew). The JWKS is fetched on first use and again for a `kid` it lacks, at most once per cooldown (jose's
 * remote key set), so a flood of made-up key ids costs the issuer one fetch per cooldown. The caller is
 * `oidc:<sub>`, with the scopes and apps its claims grant, and its streams end when the token expires.
 */
export function createOidcVerifier({ settings, clock, gatewayTenant, maxEntries = 10_000 }: OidcVerifierOptions): OidcVerifier {
  const algorithms = settings.algorithms.filter((alg) => ASYMMETRIC.test(alg));
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () =>
    (keys ??= (async () => {
      const url = settings.jwksUrl ?? (await discoverJwksUrl(settings.issuer));
      return createRemoteJWKSet(new URL(url), { cooldownDuration: settings.jwksCooldownMs, timeoutDuration: 5_000 });
    })().catch((error: unknown) => {
      // Discovery failed (the issuer is away): the next token asks again.
      keys = undefined;
      throw error;
    }));
  const verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: maxEntries });

  const callerOf = (payload: JWTPayload): Caller => {
    const apps = appsOf(payload, settings.appsClaim);
    const ending = new AbortController();
    const untilExpiry = (payload.exp! + settings.clockSkewSeconds) * 1000 - clock.now();
    // Beyond a timer's reach (about 24 days) the token outlives any stream worth ending.
    if (untilExpiry < MAX_TIMER_MS) clock.setTimeout(() => ending.abort(new Error('token expired')), Math.max(0, untilExpiry));
    return {
      name: `oidc:${typeof payload.sub === 'string' ? payload.sub : 'unknown'}`,
      scopes: scopesOf(payload, settings),
      tenant: scopedTenant(gatewayTenant, apps),
      apps,
      revoked: ending.signal,
    };
  };

  return {
    identify(token) {
      if (!JWT_SHAPE.test(token)) return 'malformed';
      const id = createHash('sha256').update(token).digest('hex');
      const known = verified.get(id);
      if (known) {
        if (known.expiresAt > clock.now()) return known.caller;
        verified.delete(id);
        return 'invalid-token';
      }
      return (async (): Promise<Caller | AuthFailure> => {
        try {
          const { payload } = await jwtVerify(token, await keySet(), {
            issuer: settings.issuer,
            audience: settings.audience,
            algorithms,
            clockTolerance: settings.clockSkewSeconds,
            currentDate: new Date(clock.now()),
            requiredClaims: ['exp'],
          });
          const caller = callerOf(payload);
          verified.set(id, { caller, expiresAt: (payload.exp! + settings.clockSkewSeconds) * 1000 });
          return caller;
        } catch (error) {
          // What is wrong with the token itself; anything else (the JWKS answered non-200, was not a key set, timed
          // out, or could not be reached) means it cannot be checked now.
          return TOKEN_FAULTS.some((fault) => error instanceof fault) ? 'invalid-token' : 'unverifiable';
        }
      })();
    },
  };
}

/** `jwks_uri` from the issuer's discovery document. */
async function discoverJwksUrl(issuer: string): Promise<string> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
  const body = (await response.json()) as { jwks_uri?: unknown };
  if (typeof body.jwks_uri !== 'string') throw new Error('OIDC discovery document has no jwks_uri');
  return body.jwks_uri;
}
