import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { FlyClient } from '#src/flyio/types.js';
import { createRedis, duplicateRedis, hashPartOf, isCluster, redisRoleOptions } from '#src/infra/redis/client.js';
import { createRedisEventBus } from '#src/infra/redis/event-bus.js';
import { createManualClock } from '#src/lib/clock.js';
import { machineChangeTags, withReadCache } from '#src/services/cache/cached-fly.js';
import { createReadCache, type CacheEntity } from '#src/services/cache/read-cache.js';
import type { CacheStore } from '#src/services/ports.js';

// Nothing here connects: every client is lazy and disconnected at the end.
const lazy = { lazyConnect: true };

describe('hash slots', () => {
  it('should hash the first non-empty {...} section, else the whole key, as Redis Cluster does', () => {
    expect(hashPartOf('flygate:cache:{web}:t:machines:x')).toBe('web');
    expect(hashPartOf('{flygate}:events:epoch')).toBe('flygate');
    expect(hashPartOf('{a}{b}')).toBe('a');
    expect(hashPartOf('x{}{a}')).toBe('x{}{a}');
    expect(hashPartOf('x{a')).toBe('x{a');
    expect(hashPartOf('flygate:events')).toBe('flygate:events');
  });

  it('should put every cache entry in the slot of each of its tags, for every cached read', async () => {
    const written: Array<{ key: string; tags: readonly string[] }> = [];
    const store: CacheStore = {
      get: async () => undefined,
      set: async (key, _value, _ttl, tags) => void written.push({ key, tags }),
      invalidate: async () => undefined,
      onInvalidate: () => () => undefined,
      close: async () => undefined,
    };
    const ttlMs = Object.fromEntries(
      ['apps', 'app', 'machines', 'machine', 'events', 'volumes', 'volume', 'snapshots', 'regions'].map((e) => [e, 1_000]),
    ) as Record<CacheEntity, number>;
    const cache = createReadCache({ store, clock: createManualClock(), enabled: true, ttlMs, staleMs: 1_000 });
    // Every Fly call answers an empty list: only the keys and tags matter here.
    const answer = async () => [];
    const api = new Proxy({}, { get: () => answer });
    const fly = { apps: api, machines: api, volumes: api, platform: api } as unknown as FlyClient;
    const cached = withReadCache(fly, cache, 'tenant');
    const input = { app: 'web', machineId: 'm1', volumeId: 'v1', org: 'acme' };
    await Promise.all([
      cached.apps.list({ org: 'acme' }),
      cached.apps.listAll({ org: 'acme' }),
      cached.apps.get('web'),
      cached.machines.list(input),
      cached.machines.listAll(input),
      cached.machines.get(input),
      cached.machines.events(input),
      cached.volumes.list(input),
      cached.volumes.listAll(input),
      cached.volumes.get(input),
      cached.volumes.snapshots(input),
      cached.platform.regions(),
    ]);
    expect(written).toHaveLength(12);
    for (const { key, tags } of written) {
      expect(tags.length).toBeGreaterThan(0);
      // The store lists a key under `flygate:cache:tag:<tag>`, which hashes like the tag itself.
      for (const tag of tags) expect(hashPartOf(`flygate:cache:tag:${tag}`), `${key} / ${tag}`).toBe(hashPartOf(key));
    }
    const invalidated = machineChangeTags('web', 'm1').map(hashPartOf);
    expect(new Set(invalidated)).toEqual(new Set(['web']));
  });
});

describe('createRedis with cluster: true', () => {
  it('should build an ioredis Cluster whose nodes get the role settings and the URL credentials', () => {
    const cluster = createRedis('rediss://user:s3cret@10.0.0.1:7000', { role: 'cache', cluster: true, overrides: lazy });
    try {
      expect(isCluster(cluster)).toBe(true);
      // Fail fast: the cluster queues nothing while offline; each node command times out like the single client.
      expect(cluster.options.enableOfflineQueue).toBe(false);
      expect(cluster.options.lazyConnect).toBe(true);
      // A dead node costs a few short retries, not ioredis's 16 x 100 ms.
      expect(cluster.options).toMatchObject({ maxRedirections: 3, retryDelayOnFailover: 50 });
      expect(cluster.options.redisOptions).toMatchObject({
        username: 'user',
        password: 's3cret',
        tls: {},
        commandTimeout: 150,
        connectionName: 'flygate:cache',
      });
    } finally {
      cluster.disconnect();
    }
  });

  it('should keep one Redis a plain client', () => {
    const single = createRedis('redis://127.0.0.1:6379', { role: 'bus', overrides: lazy });
    try {
      expect(single).toBeInstanceOf(Redis);
      expect(isCluster(single)).toBe(false);
    } finally {
      single.disconnect();
    }
  });

  it('should duplicate a cluster as a cluster with the same nodes and credentials and the new settings', () => {
    const cluster = createRedis('redis://:pw@127.0.0.1:7000', { role: 'bus', cluster: true, overrides: lazy });
    const reader = duplicateRedis(cluster, { ...redisRoleOptions('subscriber'), connectionName: 'flygate:subscriber', ...lazy }) as Cluster;
    try {
      expect(reader).toBeInstanceOf(Cluster);
      expect(reader.options.enableOfflineQueue).toBe(true);
      expect(reader.options.redisOptions).toMatchObject({
        password: 'pw',
        commandTimeout: undefined,
        blockingTimeout: 30_000,
        connectionName: 'flygate:subscriber',
      });
    } finally {
      reader.disconnect();
      cluster.disconnect();
    }
  });

  it('should refuse an event stream key whose epoch would land in another slot', () => {
    const cluster = createRedis('redis://127.0.0.1:7000', { role: 'bus', cluster: true, overrides: lazy });
    try {
      expect(() => createRedisEventBus({ redis: cluster, stream: 'flygate:events' })).toThrow(/hash tag/);
      expect(() => createRedisEventBus({ redis: cluster, stream: '{flygate}:events' })).not.toThrow();
    } finally {
      cluster.disconnect();
    }
  });
});
