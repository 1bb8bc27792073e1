import { describe, expect, it } from 'vitest';
import { summarizeAppHealth } from '#src/api/schema/app-health.js';
import type { FlyMachine } from '#src/flyio/wire/machine.js';

function buildMachine(overrides: Partial<FlyMachine> = {}): FlyMachine {
  return { id: Math.random().toString(16).slice(2, 16), state: 'started', checks: [{ name: 'http', status: 'passing' }], ...overrides };
}

describe('summarizeAppHealth', () => {
  it('should be EMPTY when the app has no machines left', () => {
    expect(summarizeAppHealth([buildMachine({ state: 'destroyed' })])).toMatchObject({ status: 'EMPTY', machineCount: 0 });
  });

  it('should be HEALTHY when every started machine passes every check', () => {
    const summary = summarizeAppHealth([buildMachine(), buildMachine(), buildMachine({ state: 'stopped', checks: [] })]);
    expect(summary.status).toBe('HEALTHY');
    expect(summary.byState).toEqual([
      { state: 'started', count: 2 },
      { state: 'stopped', count: 1 },
    ]);
    expect(summary.checks).toEqual({ passing: 2, warning: 0, critical: 0, unknown: 0 });
  });

  it('should be DEGRADED when a started machine has a failing check', () => {
    const summary = summarizeAppHealth([buildMachine(), buildMachine({ checks: [{ name: 'http', status: 'critical' }] })]);
    expect(summary).toMatchObject({ status: 'DEGRADED', checks: { passing: 1, critical: 1 } });
  });

  it('should be DEGRADED when machines run but one has failed', () => {
    expect(summarizeAppHealth([buildMachine(), buildMachine({ state: 'failed', checks: [] })]).status).toBe('DEGRADED');
  });

  it('should be DOWN when nothing runs and a machine failed', () => {
    expect(summarizeAppHealth([buildMachine({ state: 'failed' }), buildMachine({ state: 'stopped' })]).status).toBe('DOWN');
  });

  it('should be IDLE when nothing runs and nothing failed', () => {
    expect(summarizeAppHealth([buildMachine({ state: 'suspended' }), buildMachine({ state: 'stopped' })]).status).toBe('IDLE');
  });

  it('should count a check as unknown rather than failing when Fly reports a status this release does not know', () => {
    expect(summarizeAppHealth([buildMachine({ checks: [{ name: 'x', status: 'mystery' }] })]).checks.unknown).toBe(1);
  });
});
