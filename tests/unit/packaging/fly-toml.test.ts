import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { envBindings, secretPaths } from '#src/config/schema.js';
import { flyDurationMs, readDockerfile, readFlyToml, STAND_IN_API_KEYS, stageEnv } from '../../helpers/packaging-files.js';

/**
 * What the gateway does after SHUTDOWN_GRACE_MS before it exits: the event bus close (bounded to 2 s) and QUIT on
 * each of its two Redis connections (1 s each), see stop() in src/gateway.ts. kill_timeout must leave room for it.
 */
const CLOSE_AFTER_GRACE_MS = 4_000;
/** The per-probe timeout of the health service: a /readyz answer can take this long when a dependency hangs. */
const PROBE_TIMEOUT_MS = 2_000;

interface FlyToml {
  kill_signal: string;
  kill_timeout: string | number;
  env: Record<string, string>;
  http_service: {
    internal_port: number;
    auto_stop_machines: string | boolean;
    min_machines_running: number;
    concurrency: { type: string; soft_limit: number; hard_limit: number };
    checks: { method: string; path: string; interval: string; timeout: string; grace_period: string }[];
  };
  checks: Record<string, { type: string; port: number; path: string; timeout: string }>;
  metrics: { port: number; path: string };
}

const fly = readFlyToml() as unknown as FlyToml;
const secretEnvNames = [
  ...Object.entries(envBindings)
    .filter(([, target]) => (secretPaths as readonly string[]).includes(target))
    .map(([name]) => name),
];

/** The config the image gets on Fly: fly.toml's env plus stand-ins for the secrets set with `fly secrets set`. */
function deployedConfig() {
  return loadConfig({
    env: {
      ...fly.env,
      FLY_API_TOKEN: 'fo1_stand-in-token',
      REDIS_URL: 'redis://default:stand-in@fly-flygate-redis.upstash.io:6379?family=6',
      WEBHOOK_SECRET: `whsec_${Buffer.from('stand-in webhook secret').toString('base64')}`,
      API_KEYS: STAND_IN_API_KEYS,
    },
  });
}

describe('fly.toml', () => {
  it('should load as a valid production config in live mode when the documented secrets are set', () => {
    const config = deployedConfig();
    expect(config.env).toBe('production');
    expect(config.fly.baseUrl).toBe('http://_api.internal:4280');
    expect(config.graphql.introspection).toBe(false);
    // Fly's private network is IPv6: '::' accepts it and IPv4 alike.
    expect(config.server.host).toBe('::');
  });

  it('should only set variables the config loader reads (or that other parts add) when listing [env]', () => {
    const known = new Set([...Object.keys(envBindings), 'APP_ENV']);
    expect(Object.keys(fly.env).filter((key) => !known.has(key))).toEqual([]);
  });

  it('should keep every secret out of the file when they are set with fly secrets instead', () => {
    expect(secretEnvNames).toEqual(expect.arrayContaining(['FLY_API_TOKEN', 'REDIS_URL', 'WEBHOOK_SECRET', 'API_KEYS']));
    expect(Object.keys(fly.env).filter((key) => secretEnvNames.includes(key))).toEqual([]);
  });

  it('should send traffic, checks and scrapes to the port the gateway listens on when compared with the config', () => {
    const port = deployedConfig().server.port;
    expect(fly.http_service.internal_port).toBe(port);
    expect(fly.metrics.port).toBe(port);
    for (const check of Object.values(fly.checks)) expect(check.port).toBe(port);
    const runtime = readDockerfile().stages.at(-1)!;
    expect(Number(stageEnv(runtime).PORT)).toBe(port);
  });

  it('should check /readyz for routing, /healthz for liveness and scrape /metrics when reading the paths', () => {
    expect(fly.http_service.checks.map((check) => check.path)).toEqual(['/readyz']);
    expect(Object.values(fly.checks).map((check) => [check.type, check.path])).toEqual([['http', '/healthz']]);
    expect(fly.metrics.path).toBe('/metrics');
  });

  it('should give a readiness check more time than one health probe may take when it times out', () => {
    for (const check of fly.http_service.checks) expect(flyDurationMs(check.timeout)).toBeGreaterThan(PROBE_TIMEOUT_MS);
  });

  it('should let the gateway drain for SHUTDOWN_GRACE_MS and close Redis before Fly kills it when stopping', () => {
    const graceMs = deployedConfig().server.shutdownGraceMs;
    expect(fly.env.SHUTDOWN_GRACE_MS).toBe(String(graceMs));
    expect(fly.kill_signal).toBe('SIGTERM');
    const killMs = flyDurationMs(fly.kill_timeout);
    expect(killMs).toBeGreaterThanOrEqual(graceMs + CLOSE_AFTER_GRACE_MS);
    // Not much more: a stuck instance should not linger through a deploy.
    expect(killMs).toBeLessThanOrEqual(graceMs + 10_000);
    // Fly's ceiling for kill_timeout.
    expect(killMs).toBeLessThanOrEqual(300_000);
  });

  it('should keep several instances running and limit connections below the gateway own limit when configured', () => {
    expect(fly.http_service.min_machines_running).toBeGreaterThanOrEqual(2);
    expect(fly.http_service.auto_stop_machines).toBe('off');
    expect(fly.http_service.concurrency.type).toBe('connections');
    expect(fly.http_service.concurrency.hard_limit).toBeLessThanOrEqual(deployedConfig().server.maxConnections);
    expect(fly.http_service.concurrency.soft_limit).toBeLessThan(fly.http_service.concurrency.hard_limit);
  });
});

describe('flyDurationMs', () => {
  it('should read Fly durations and bare seconds when parsing kill_timeout forms', () => {
    expect(flyDurationMs('15s')).toBe(15_000);
    expect(flyDurationMs('1m30s')).toBe(90_000);
    expect(flyDurationMs('500ms')).toBe(500);
    expect(flyDurationMs(5)).toBe(5_000);
    expect(() => flyDurationMs('15 seconds')).toThrow(/not a Fly duration/);
  });
});
