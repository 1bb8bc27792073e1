import { describe, expect, it } from 'vitest';
import { parseWebhookBody } from '../../../../src/services/webhooks/parse.js';

const base = { timestamp: '2026-01-01T12:00:00.000Z' };
const ref = { app: 'web', machine_id: '1857156b526dd8' };

function parse(body: unknown) {
  return parseWebhookBody(JSON.stringify(body), 'msg_7');
}

describe('parseWebhookBody', () => {
  it('should map machine.created with its initial state when data.state is given', () => {
    expect(parse({ ...base, type: 'machine.created', data: { ...ref, state: 'created' } })).toEqual({
      ok: true,
      event: { id: 'webhook:msg_7', type: 'machine.created', timestamp: base.timestamp, app: 'web', machineId: ref.machine_id, to: 'created', source: 'webhook' },
    });
  });

  it('should map machine.updated with its version when data.version is given', () => {
    const result = parse({ ...base, type: 'machine.updated', data: { ...ref, version: '01J9ZQ7Q0S0000000000000000' } });
    expect(result.ok && result.event).toMatchObject({ type: 'machine.updated', version: '01J9ZQ7Q0S0000000000000000' });
  });

  it('should map machine.destroyed when data holds only the machine reference', () => {
    const result = parse({ ...base, type: 'machine.destroyed', data: ref });
    expect(result.ok && result.event).toMatchObject({ type: 'machine.destroyed', id: 'webhook:msg_7' });
  });

  it('should key machine.event by the Fly event id when it carries a Fly event', () => {
    const event = { id: '01HZX0000000000000000000AB', type: 'exit', status: 'stopped', source: 'flyd', timestamp: 1767268800000, request: { exit_event: { exit_code: 0 } } };
    const result = parse({ ...base, type: 'machine.event', data: { ...ref, event } });
    expect(result.ok && result.event).toEqual({
      id: 'fly:01HZX0000000000000000000AB',
      type: 'machine.event',
      timestamp: base.timestamp,
      app: 'web',
      machineId: ref.machine_id,
      source: 'webhook',
      event,
    });
  });

  it('should accept unknown extra fields when the known ones are valid', () => {
    expect(parse({ ...base, type: 'machine.destroyed', data: { ...ref, region: 'ams' }, relay: 'v2' }).ok).toBe(true);
  });

  it('should accept a timestamp with a numeric offset', () => {
    expect(parse({ type: 'machine.destroyed', timestamp: '2026-01-01T12:00:00+02:00', data: ref }).ok).toBe(true);
  });

  it('should list the allowed types when the type is unknown', () => {
    expect(parse({ ...base, type: 'machine.exploded', data: ref })).toEqual({
      ok: false,
      errors: ['type: expected one of machine.created, machine.state_changed, machine.updated, machine.destroyed, machine.event'],
    });
  });

  it('should say an object is expected when the body is an array', () => {
    expect(parse([])).toEqual({ ok: false, errors: ['(body): expected a JSON object {type, timestamp, data}'] });
  });

  it('should report every missing field by path when state_changed lacks from and to', () => {
    expect(parse({ ...base, type: 'machine.state_changed', data: { app: 'web' } })).toEqual({
      ok: false,
      errors: [
        'data.machine_id: expected the machine id (a non-empty string)',
        'data.from: expected the previous state (a non-empty string)',
        'data.to: expected the new state (a non-empty string)',
      ],
    });
  });

  it('should say milliseconds are expected when the Fly event timestamp is a string', () => {
    const event = { id: 'e1', type: 'start', timestamp: '2026-01-01T00:00:00Z' };
    expect(parse({ ...base, type: 'machine.event', data: { ...ref, event } })).toEqual({
      ok: false,
      errors: ['data.event.timestamp: expected Unix time in milliseconds (a number)'],
    });
  });
});
