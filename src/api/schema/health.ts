import type { HealthCheckResult, HealthReport } from '../../services/health.js';
import { builder } from '../builder.js';

const HealthCheckRef = builder.objectRef<HealthCheckResult>('HealthCheck').implement({
  description: 'One dependency check.',
  fields: (t) => ({
    name: t.exposeString('name'),
    ok: t.boolean({ resolve: (c) => c.status === 'pass' }),
    latencyMs: t.exposeInt('latencyMs'),
    message: t.string({ nullable: true, resolve: (c) => c.message ?? null }),
  }),
});

/** GraphQL `Health`: the gateway's readiness report. */
export const HealthRef = builder.objectRef<HealthReport>('Health').implement({
  description: 'Readiness of the gateway and what it depends on.',
  fields: (t) => ({
    ok: t.boolean({ description: 'Every dependency passes.', resolve: (h) => h.status === 'pass' }),
    degraded: t.boolean({
      description: 'A dependency the gateway can work around is failing (Redis): it keeps answering, from memory and Fly.',
      resolve: (h) => h.status === 'degraded',
    }),
    mode: t.string({ description: '`demo` (embedded emulator) or `live` (real Fly API).', resolve: (h) => h.mode }),
    checks: t.field({ type: [HealthCheckRef], resolve: (h) => h.checks }),
  }),
});

builder.queryField('health', (t) =>
  t.field({ type: HealthRef, description: 'Gateway readiness, checked now.', resolve: (_root, _args, ctx) => ctx.services.health.check() }),
);
