import { describe, expect, it } from 'vitest';
import { createAdmission } from '#src/api/auth/admission.js';
import { createCallerResolver } from '#src/api/auth/caller.js';
import { createTokenVerdicts } from '#src/api/auth/token-verdicts.js';
import { createMemoryCallerLimiter } from '#src/infra/memory/caller-limiter.js';
import { createManualClock } from '#src/lib/clock.js';

const resolve = createCallerResolver({ mode: 'fly-token', apiKeys: [], gatewayTenant: 'gw' });

function setup() {
  const clock = createManualClock();
  const verdicts = createTokenVerdicts({ clock, acceptedForMs: 60_000, rejectedForMs: 10_000, maxEntries: 3 });
  const limiter = createMemoryCallerLimiter({ ratePerSecond: 1, burst: 2, now: () => clock.now() });
  const admission = createAdmission({ mode: 'fly-token', resolve, limiter, verdicts });
  const callerOf = (token: string) => {
    const caller = admission.identify(`Bearer ${token}`);
    if (typeof caller === 'string' || 'then' in caller) throw new Error(`not a caller at once: ${String(caller)}`);
    return caller;
  };
  return { clock, verdicts, admission, callerOf };
}

describe('admission in fly-token mode', () => {
  it('should charge unverified tokens to their address, and a verified one to itself', async () => {
    const { verdicts, admission, callerOf } = setup();
    expect((await admission.admit('Bearer a-0123456789', '10.0.0.1')).ok).toBe(true);
    expect((await admission.admit('Bearer b-0123456789', '10.0.0.1')).ok).toBe(true);
    // A third made-up token from the same address finds the address's burst spent.
    expect(await admission.admit('Bearer c-0123456789', '10.0.0.1')).toMatchObject({ ok: false, refusal: { kind: 'rate-limited' } });
    // Another address has an allowance of its own.
    expect((await admission.admit('Bearer c-0123456789', '10.0.0.2')).ok).toBe(true);
    verdicts.record(callerOf('a-0123456789').tenant, 'accepted');
    expect(admission.unverified(callerOf('a-0123456789'))).toBe(false);
    expect((await admission.admit('Bearer a-0123456789', '10.0.0.1')).ok).toBe(true);
  });

  it('should refuse a rejected token until the refusal expires', async () => {
    const { clock, verdicts, admission, callerOf } = setup();
    verdicts.record(callerOf('bad-0123456789').tenant, 'rejected');
    expect(admission.identify('Bearer bad-0123456789')).toBe('rejected');
    await clock.advance(10_001);
    expect(typeof admission.identify('Bearer bad-0123456789')).toBe('object');
  });

  it('should forget an acceptance after its time, and keep only the newest fingerprints', async () => {
    const { clock, verdicts } = setup();
    verdicts.record('one', 'accepted');
    await clock.advance(60_001);
    expect(verdicts.of('one')).toBeUndefined();
    for (const name of ['a', 'b', 'c', 'd']) verdicts.record(name, 'accepted');
    expect(verdicts.of('a')).toBeUndefined();
    expect(verdicts.of('d')).toBe('accepted');
  });
});
