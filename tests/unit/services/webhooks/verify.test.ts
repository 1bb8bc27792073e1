import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { decodeWebhookSecret, parseWebhookSecrets, signWebhook } from '#src/services/webhooks/signature.js';
import { createWebhookVerifier } from '#src/services/webhooks/verify.js';

const SECRET_A = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const SECRET_B = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const NOW_S = 1_767_225_600; // 2026-01-01T00:00:00Z
const BODY = '{"type":"machine.destroyed","timestamp":"2026-01-01T00:00:00Z","data":{"app":"a","machine_id":"m"}}';

function setup(secrets = [SECRET_A]) {
  const clock = createManualClock(NOW_S * 1000);
  return { clock, verifier: createWebhookVerifier({ secrets, clock }) };
}

/** Signs with the reference Standard Webhooks library, an implementation independent of ours. */
function referenceHeaders(secret: string, id = 'msg_1', timestampS = NOW_S, body = BODY) {
  const signature = new Webhook(secret).sign(id, new Date(timestampS * 1000), body);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampS), 'webhook-signature': signature };
}

describe('createWebhookVerifier', () => {
  it('should accept a message when the reference library signed it with the configured secret', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A))).toEqual({ ok: true, id: 'msg_1', timestamp: NOW_S });
  });

  it('should accept raw bytes and a Headers object when they carry a valid signature', () => {
    const { verifier } = setup();
    const headers = new Headers(referenceHeaders(SECRET_A));
    expect(verifier.verify(new TextEncoder().encode(BODY), headers).ok).toBe(true);
  });

  it('should accept a rotated message when the second of two signatures is valid', () => {
    const { verifier } = setup();
    const valid = referenceHeaders(SECRET_A)['webhook-signature'];
    const stale = referenceHeaders(SECRET_B)['webhook-signature'];
    const headers = { ...referenceHeaders(SECRET_A), 'webhook-signature': `${stale} ${valid}` };
    expect(verifier.verify(BODY, headers).ok).toBe(true);
  });

  it('should accept a message signed with either secret when two secrets are configured', () => {
    const { verifier } = setup([SECRET_A, SECRET_B]);
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A)).ok).toBe(true);
    expect(verifier.verify(BODY, referenceHeaders(SECRET_B)).ok).toBe(true);
  });

  it('should reject when the signature was made with another secret', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, referenceHeaders(SECRET_B))).toEqual({ ok: false, reason: 'no signature matches' });
  });

  it('should reject when the body differs by one byte from what was signed', () => {
    const { verifier } = setup();
    expect(verifier.verify(`${BODY} `, referenceHeaders(SECRET_A)).ok).toBe(false);
  });

  it('should reject when the id or timestamp differs from what was signed', () => {
    const { verifier } = setup();
    const signature = referenceHeaders(SECRET_A)['webhook-signature'];
    expect(verifier.verify(BODY, { ...referenceHeaders(SECRET_A, 'msg_2'), 'webhook-signature': signature }).ok).toBe(false);
    expect(verifier.verify(BODY, { ...referenceHeaders(SECRET_A, 'msg_1', NOW_S - 1), 'webhook-signature': signature }).ok).toBe(false);
  });

  it('should reject when the timestamp is more than 300 s old', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S - 301))).toEqual({
      ok: false,
      reason: 'webhook-timestamp is more than 300 s in the past',
    });
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S - 300)).ok).toBe(true);
  });

  it('should reject when the timestamp is more than 300 s in the future', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S + 301))).toEqual({
      ok: false,
      reason: 'webhook-timestamp is more than 300 s in the future',
    });
  });

  it('should reject a message when the clock has moved past its tolerance', async () => {
    const { verifier, clock } = setup();
    const headers = referenceHeaders(SECRET_A);
    await clock.advance(301_000);
    expect(verifier.verify(BODY, headers).ok).toBe(false);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('should name the header when %s is missing', (name) => {
    const { verifier } = setup();
    const headers: Record<string, string | undefined> = { ...referenceHeaders(SECRET_A), [name]: undefined };
    expect(verifier.verify(BODY, headers)).toEqual({ ok: false, reason: `missing ${name} header` });
  });

  it('should reject when the timestamp is not whole seconds', () => {
    const { verifier } = setup();
    const headers = { ...referenceHeaders(SECRET_A), 'webhook-timestamp': `${NOW_S}.5` };
    expect(verifier.verify(BODY, headers)).toEqual({ ok: false, reason: 'webhook-timestamp must be Unix time in whole seconds' });
  });

  it('should reject when the signature header holds no v1 entry', () => {
    const { verifier } = setup();
    const headers = { ...referenceHeaders(SECRET_A), 'webhook-signature': 'v1a,abc v2,xyz' };
    expect(verifier.verify(BODY, headers)).toEqual({ ok: false, reason: 'webhook-signature holds no v1 signature' });
  });

  it('should not mention the secret when it rejects', () => {
    const { verifier } = setup();
    const result = verifier.verify(BODY, referenceHeaders(SECRET_B));
    expect(JSON.stringify(result)).not.toContain(SECRET_A.slice(6, 20));
  });

  it('should refuse to start when a secret is not base64 and not reveal it', () => {
    expect(() => createWebhookVerifier({ secrets: [SECRET_A, 'whsec_not base64!'] })).toThrow(/secret #2 is not of the form/);
    expect(() => createWebhookVerifier({ secrets: [SECRET_A, 'whsec_not base64!'] })).not.toThrow(/not base64!/);
    expect(() => createWebhookVerifier({ secrets: [] })).toThrow(/at least one/);
  });
});

describe('signWebhook', () => {
  it('should produce headers the reference library accepts when given one secret', () => {
    const headers = signWebhook({ secrets: [SECRET_A], id: 'msg_9', timestamp: Math.floor(Date.now() / 1000), body: BODY });
    expect(() => new Webhook(SECRET_A).verify(BODY, headers)).not.toThrow();
  });

  it('should sign once per secret when rotating', () => {
    const headers = signWebhook({ secrets: [SECRET_A, SECRET_B], id: 'msg_9', timestamp: NOW_S, body: BODY });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(setup([SECRET_B]).verifier.verify(BODY, headers).ok).toBe(true);
  });
});

describe('parseWebhookSecrets', () => {
  it('should split on spaces and commas when several secrets are configured', () => {
    expect(parseWebhookSecrets(` ${SECRET_A}, ${SECRET_B}\n`)).toEqual([SECRET_A, SECRET_B]);
  });

  it('should accept a secret without the whsec_ prefix when it is base64', () => {
    expect(decodeWebhookSecret(SECRET_A.slice(6))).toHaveLength(32);
  });
});

describe('createWebhookVerifier edge cases', () => {
  const validSignature = () => referenceHeaders(SECRET_A)['webhook-signature'];
  const withSignature = (signature: string) => ({ ...referenceHeaders(SECRET_A), 'webhook-signature': signature });

  it.each([
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['64 bytes', Buffer.alloc(64, 1).toString('base64')],
    ['nothing', ''],
  ])('should reject a v1 signature of %s without reaching timingSafeEqual', (_label, encoded) => {
    const { verifier } = setup();
    expect(() => verifier.verify(BODY, withSignature(`v1,${encoded}`))).not.toThrow();
    expect(verifier.verify(BODY, withSignature(`v1,${encoded}`))).toEqual({
      ok: false,
      reason: "webhook-signature's v1 signature is not 32 bytes of base64 (an HMAC-SHA256)",
    });
  });

  it('should still accept the valid signature when a wrong-length one sits beside it', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, withSignature(`v1,${Buffer.alloc(31).toString('base64')} ${validSignature()}`)).ok).toBe(true);
    expect(verifier.verify(BODY, withSignature(`${validSignature()} v1,${Buffer.alloc(33).toString('base64')}`)).ok).toBe(true);
  });

  it('should say the v1 signature is the wrong size, not missing, when it is v1,AAAA', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, withSignature('v1,AAAA'))).toEqual({
      ok: false,
      reason: "webhook-signature's v1 signature is not 32 bytes of base64 (an HMAC-SHA256)",
    });
  });

  it('should reject a well-formed 32-byte signature that does not match', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, withSignature(`v1,${Buffer.alloc(32, 5).toString('base64')}`))).toEqual({
      ok: false,
      reason: 'no signature matches',
    });
  });

  it('should read only entries whose scheme is exactly v1', () => {
    const { verifier } = setup();
    const encoded = validSignature().slice(3);
    for (const entry of [`v1a,${encoded}`, `xv1,${encoded}`, `V1,${encoded}`, `v1${encoded}`, `,${encoded}`]) {
      expect(verifier.verify(BODY, withSignature(entry))).toEqual({ ok: false, reason: 'webhook-signature holds no v1 signature' });
    }
  });

  it('should split the signature header on any whitespace and ignore padding around it', () => {
    const { verifier } = setup();
    const stale = referenceHeaders(SECRET_B)['webhook-signature'];
    expect(verifier.verify(BODY, withSignature(`  ${stale}\t \n${validSignature()}  `)).ok).toBe(true);
  });

  it('should check every configured secret against every signature', () => {
    const { verifier } = setup([SECRET_B, SECRET_A]);
    const other = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const stale = referenceHeaders(other)['webhook-signature'];
    expect(verifier.verify(BODY, withSignature(`${validSignature()} ${stale}`))).toEqual({ ok: true, id: 'msg_1', timestamp: NOW_S });
  });

  it('should bound the webhook-id at 256 printable characters', () => {
    const { verifier } = setup();
    const reason = 'webhook-id must be 1-256 printable ASCII characters without spaces';
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'i'.repeat(256))).ok).toBe(true);
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'i'.repeat(257)))).toEqual({ ok: false, reason });
    for (const id of ['msg 1', 'msg_é', 'msg\u007f', '\tmsg']) {
      expect(verifier.verify(BODY, { ...referenceHeaders(SECRET_A), 'webhook-id': id })).toEqual({ ok: false, reason });
    }
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, '!~')).ok).toBe(true);
  });

  it('should require 1 to 12 digits in webhook-timestamp', () => {
    const { verifier } = setup();
    const reason = 'webhook-timestamp must be Unix time in whole seconds';
    for (const value of ['-1', '+1767225600', '1767225600 ', ' 1767225600', '0x1', '1e9', '1234567890123', 'now']) {
      expect(verifier.verify(BODY, { ...referenceHeaders(SECRET_A), 'webhook-timestamp': value })).toEqual({ ok: false, reason });
    }
  });

  it('should accept a timestamp exactly at the tolerance in the future, and honour a custom tolerance', () => {
    const { verifier } = setup();
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S + 300)).ok).toBe(true);
    const clock = createManualClock(NOW_S * 1000 + 999);
    const strict = createWebhookVerifier({ secrets: [SECRET_A], clock, toleranceSeconds: 10 });
    expect(strict.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S - 10)).ok).toBe(true);
    expect(strict.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S + 10)).ok).toBe(true);
    expect(strict.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S - 11))).toEqual({
      ok: false,
      reason: 'webhook-timestamp is more than 10 s in the past',
    });
    expect(strict.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S + 11))).toEqual({
      ok: false,
      reason: 'webhook-timestamp is more than 10 s in the future',
    });
  });

  it('should use the system clock when none is given', () => {
    const verifier = createWebhookVerifier({ secrets: [SECRET_A] });
    const nowS = Math.floor(Date.now() / 1000);
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', nowS)).ok).toBe(true);
    expect(verifier.verify(BODY, referenceHeaders(SECRET_A, 'msg_1', NOW_S - 86_400)).ok).toBe(false);
  });

  it('should find headers in a plain object whatever their case, and treat empty values as missing', () => {
    const { verifier } = setup();
    const headers = referenceHeaders(SECRET_A);
    const shouting = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webhook-Signature': headers['webhook-signature'],
    };
    expect(verifier.verify(BODY, shouting).ok).toBe(true);
    expect(verifier.verify(BODY, { ...headers, 'webhook-id': '' })).toEqual({ ok: false, reason: 'missing webhook-id header' });
    expect(verifier.verify(BODY, {})).toEqual({ ok: false, reason: 'missing webhook-id header' });
  });

  it('should read any object with a get method as headers, as servers hand over their own Headers class', () => {
    const { verifier } = setup();
    const headers = referenceHeaders(SECRET_A);
    const lookalike = { get: (name: string) => (headers as Record<string, string>)[name] ?? null };
    expect(verifier.verify(BODY, lookalike as unknown as Headers).ok).toBe(true);
    const empty = { get: () => null };
    expect(verifier.verify(BODY, empty as unknown as Headers)).toEqual({ ok: false, reason: 'missing webhook-id header' });
  });
});
