import type { CallerLimiter, CallerLimitResult } from '../../services/ports.js';
import type { AuthFailure, AuthMode, Caller, CallerResolver } from './caller.js';
import type { TokenVerdicts } from './token-verdicts.js';

/** Why a request was not let in: nobody (acceptable) is named, or the caller is over its allowance. */
export type Refusal = { kind: 'unauthenticated'; failure: AuthFailure } | { kind: 'rate-limited'; retryAfterMs: number };

/** The answer of {@link Admission.admit}. */
export type AdmitResult = { ok: true; caller: Caller } | { ok: false; refusal: Refusal };

/**
 * The one rule for who gets in, used by every entrance: the GraphQL pipeline over HTTP (SSE included), graphql-ws
 * sockets and the whole-response cache in front of yoga. Scopes (read, write) are checked per operation, once its
 * kind is known, with `allows` from caller.ts.
 */
export interface Admission {
  /**
   * Who an `Authorization` value names, spending nothing; a failure names what was wrong. A promise only while a
   * JWT is verified for the first time (oidc mode).
   */
  identify(authorization: string | undefined): Caller | AuthFailure | Promise<Caller | AuthFailure>;
  /**
   * Spends one request of the caller's allowance. In fly-token mode a token Fly has not yet accepted spends its
   * client address's allowance instead (shared by every unverified token from there).
   */
  charge(caller: Caller, address: string): CallerLimitResult | Promise<CallerLimitResult>;
  /** {@link identify}, then {@link charge} (unless the allowance was already spent for this request). */
  admit(authorization: string | undefined, address: string, options?: { charged?: boolean }): AdmitResult | Promise<AdmitResult>;
  /** In fly-token mode, true until Fly has accepted the caller's token (a stream it opens checks it first). */
  unverified(caller: Caller): boolean;
}

/** Options for {@link createAdmission}. */
export interface AdmissionOptions {
  mode: AuthMode;
  resolve: CallerResolver;
  /** Per-caller request limits; absent when off (and always in `none` mode). */
  limiter?: CallerLimiter;
  /** fly-token mode: what Fly said of callers' tokens. */
  verdicts?: TokenVerdicts;
}

const FREE: CallerLimitResult = { ok: true };

/** Builds the {@link Admission} of one gateway. */
export function createAdmission({ mode, resolve, limiter, verdicts }: AdmissionOptions): Admission {
  const checksTokens = mode === 'fly-token' && verdicts !== undefined;
  const unverified = (caller: Caller): boolean => checksTokens && verdicts!.of(caller.tenant) !== 'accepted';

  function identify(authorization: string | undefined): Caller | AuthFailure | Promise<Caller | AuthFailure> {
    const caller = resolve(authorization);
    if (typeof caller === 'string' || !checksTokens || 'then' in caller) return caller;
    return verdicts!.of(caller.tenant) === 'rejected' ? 'rejected' : caller;
  }

  function charge(caller: Caller, address: string): CallerLimitResult | Promise<CallerLimitResult> {
    if (!limiter || mode === 'none') return FREE;
    return limiter.take(unverified(caller) ? `unverified:${address}` : caller.name);
  }

  return {
    identify,
    charge,
    unverified,
    admit(authorization, address, options = {}) {
      const admitCaller = (caller: Caller | AuthFailure): AdmitResult | Promise<AdmitResult> => {
        if (typeof caller === 'string') return { ok: false, refusal: { kind: 'unauthenticated', failure: caller } };
        if (options.charged) return { ok: true, caller };
        const verdict = charge(caller, address);
        const settle = (result: CallerLimitResult): AdmitResult =>
          result.ok ? { ok: true, caller } : { ok: false, refusal: { kind: 'rate-limited', retryAfterMs: result.retryAfterMs } };
        return 'then' in verdict ? verdict.then(settle) : settle(verdict);
      };
      const caller = identify(authorization);
      return typeof caller !== 'string' && 'then' in caller ? caller.then(admitCaller) : admitCaller(caller);
    },
  };
}
