import { describe, expect, it } from 'vitest';
import type { FlyMachineConfig } from '#src/flyio/wire/machine.js';
import { applyConfigPatch } from '#src/services/machines/config-patch.js';

const base: FlyMachineConfig = {
  image: 'old:1',
  env: { A: '1', B: '2' },
  metadata: { team: 'x' },
  guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
  services: [{ internal_port: 8080 }],
  restart: { policy: 'always', max_retries: 3 },
  auto_destroy: true,
  init: { cmd: ['serve'] },
} as FlyMachineConfig;

describe('applyConfigPatch', () => {
  it('should keep every field the patch leaves out', () => {
    expect(applyConfigPatch(base, {})).toEqual(base);
  });

  it('should merge guest fields one by one and ignore the ones left undefined', () => {
    const next = applyConfigPatch(base, { guest: { memoryMb: 1024, cpus: undefined, gpuKind: 'a100' } });
    expect(next.guest).toEqual({ cpu_kind: 'shared', cpus: 1, memory_mb: 1024, gpu_kind: 'a100' });
  });

  it('should replace env and metadata whole rather than merging keys', () => {
    const next = applyConfigPatch(base, { env: { C: '3' }, metadata: {} });
    expect(next.env).toEqual({ C: '3' });
    expect(next.metadata).toEqual({});
  });

  it('should map the camelCase fields to Fly names', () => {
    const next = applyConfigPatch(base, {
      restart: { policy: 'on-failure' },
      autoDestroy: false,
      mounts: [{ volume: 'vol_1', path: '/data' }],
    });
    // A restart without maxRetries drops the old max_retries: the policy object is replaced.
    expect(next.restart).toEqual({ policy: 'on-failure' });
    expect(next.auto_destroy).toBe(false);
    expect(next.mounts).toEqual([{ volume: 'vol_1', path: '/data' }]);
  });

  it('should carry extra keys verbatim, with typed fields winning over extra', () => {
    const next = applyConfigPatch(base, { image: 'typed:2', extra: { image: 'extra:3', dns: { skip_registration: true } } });
    expect(next.image).toBe('typed:2');
    expect((next as Record<string, unknown>).dns).toEqual({ skip_registration: true });
  });

  it('should leave the base and the patch untouched', () => {
    const baseCopy = structuredClone(base);
    const patch = { services: [{ internal_port: 9090 }], env: { Z: '1' }, extra: { init: { cmd: ['other'] } } };
    const patchCopy = structuredClone(patch);
    const next = applyConfigPatch(base, patch);
    (next.services![0] as Record<string, unknown>).internal_port = 1;
    next.env!.Z = 'changed';
    (next as { init: { cmd: string[] } }).init.cmd.push('x');
    expect(base).toEqual(baseCopy);
    expect(patch).toEqual(patchCopy);
  });
});
