import { describe, expect, it } from 'vitest';
import { machineChangeId } from '#src/services/events/types.js';
import { parseWebhookBody } from '#src/services/webhooks/parse.js';

const base = { timestamp: '2026-01-01T12:00:00.000Z' };
const ref = { app: 'web', machine_id: '1857156b526dd8' };

function parse(body: unknown, webhookId = 'msg_7') {
  return parseWebhookBody(JSON.stringify(body), webhookId);
}

function idOf(body: unknown, webhookId?: string): string {
  const result = parse(body, webhookId);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.event.id;
}

describe('parseWebhookBody', () => {
  it('should map machine.created with its initial state when data.state is given', () => {
    expect(parse({ ...base, type: 'machine.created', data: { ...ref, state: 'created' } })).toEqual({
      ok: true,
      event: {
        id: machineChangeId({ type: 'machine.created', app: 'web', machineId: ref.machine_id }),
        type: 'machine.created',
        timestamp: base.timestamp,
        app: 'web',
        machineId: ref.machine_id,
        to: 'created',
        source: 'webhook',
      },
    });
  });

  it('should map machine.updated with its version when data.version is given', () => {
    const result = parse({ ...base, type: 'machine.updated', data: { ...ref, version: '01J9ZQ7Q0S0000000000000000' } });
    expect(result.ok && result.event).toMatchObject({ type: 'machine.updated', version: '01J9ZQ7Q0S0000000000000000' });
  });

  it('should map machine.destroyed when data holds only the machine reference', () => {
    const result = parse({ ...base, type: 'machine.destroyed', data: ref });
    expect(result.ok && result.event).toMatchObject({
      type: 'machine.destroyed',
      id: machineChangeId({ type: 'machine.destroyed', app: 'web', machineId: ref.machine_id }),
    });
  });

  it('should key machine.event by the Fly event id when it carries a Fly event', () => {
    const event = {
      id: '01HZX0000000000000000000AB',
      type: 'exit',
      status: 'stopped',
      source: 'flyd',
      timestamp: 1767268800000,
      request: { exit_event: { exit_code: 0 } },
    };
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

  describe('dedupe ids shared with the sync job', () => {
    const changed = (data: Record<string, unknown>) => ({
      ...base,
      type: 'machine.state_changed',
      data: { ...ref, from: 'stopped', to: 'started', ...data },
    });

    it('should key a state change by webhook-id when it carries no updated_at', () => {
      expect(idOf(changed({}))).toBe('webhook:msg_7');
      expect(idOf(changed({}), 'msg_8')).toBe('webhook:msg_8');
    });

    it('should key a state change with updated_at by machine, new state and updated_at whatever the webhook-id', () => {
      const at = '2026-01-01T12:00:05.250Z';
      const id = idOf(changed({ updated_at: at }));
      expect(id).toBe(
        machineChangeId({ type: 'machine.state_changed', app: 'web', machineId: ref.machine_id, to: 'started', updatedAt: at }),
      );
      expect(idOf(changed({ updated_at: at }), 'msg_other')).toBe(id);
      // The same instant in another notation, and another previous state: the same change.
      expect(idOf(changed({ updated_at: '2026-01-01T13:00:05.250+01:00', from: 'starting' }))).toBe(id);
    });

    it('should give two state changes to the same state at different times different ids', () => {
      const first = idOf(changed({ updated_at: '2026-01-01T12:00:01Z' }));
      const stopped = idOf(changed({ from: 'started', to: 'stopped', updated_at: '2026-01-01T12:00:02Z' }));
      const again = idOf(changed({ updated_at: '2026-01-01T12:00:03Z' }));
      expect(new Set([first, stopped, again]).size).toBe(3);
    });

    it('should key machine.updated by its new version when previous_version says the version moved', () => {
      const updated = (data: Record<string, unknown>) => ({ ...base, type: 'machine.updated', data: { ...ref, version: 'v2', ...data } });
      expect(idOf(updated({ previous_version: 'v1' }))).toBe(
        machineChangeId({ type: 'machine.updated', app: 'web', machineId: ref.machine_id, version: 'v2' }),
      );
      expect(idOf(updated({ previous_version: 'v1' }), 'msg_9')).toBe(idOf(updated({ previous_version: 'v1' })));
      // Same version (a metadata change) or no previous version: the webhook-id, so it is never folded into another.
      expect(idOf(updated({ previous_version: 'v2' }))).toBe('webhook:msg_7');
      expect(idOf(updated({}))).toBe('webhook:msg_7');
    });

    it('should key created and destroyed by the machine whatever the webhook-id', () => {
      const created = { ...base, type: 'machine.created', data: { ...ref, state: 'created' } };
      expect(idOf(created, 'msg_a')).toBe(idOf(created, 'msg_b'));
      const destroyed = { ...base, type: 'machine.destroyed', data: ref };
      expect(idOf(destroyed, 'msg_a')).toBe(idOf(destroyed, 'msg_b'));
      expect(idOf(destroyed)).not.toBe(idOf(created));
    });

    it('should reject an updated_at that is not an RFC 3339 date-time', () => {
      expect(parse(changed({ updated_at: 'yesterday' }))).toEqual({
        ok: false,
        errors: ["data.updated_at: expected the machine's updated_at after the change, an RFC 3339 date-time"],
      });
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
      errors: [
        'type: expected one of machine.created, machine.state_changed, machine.updated, machine.destroyed, machine.event, app.created, app.destroyed, volume.created, volume.updated, volume.extended, volume.destroyed, volume.snapshot_created, secrets.changed, certificate.changed, ip.allocated, ip.released, postgres.changed',
      ],
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
