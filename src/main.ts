/**
 * Entry point for `npm start`: load config, build the gateway, start it, stop it cleanly on SIGINT/SIGTERM.
 * The only place that reads `process.env`.
 */
import { graphiqlOffReason } from './config/derived.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createGateway } from './gateway.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw error;
  }

  const gateway = createGateway(config);
  const { url } = await gateway.start().catch((error: unknown) => {
    throw new Error(startFailureMessage(error, config), { cause: error });
  });
  const graphiqlOff = graphiqlOffReason(config);
  const lines = [
    graphiqlOff
      ? `Flygate is running: GraphQL at ${url} (no GraphiQL: ${graphiqlOff})`
      : `Flygate is running: GraphQL and GraphiQL at ${url}`,
    `  health: ${url.replace(/\/graphql$/, '/readyz')}`,
  ];
  if (gateway.mode === 'demo') {
    lines.push(
      `  DEMO MODE: no FLY_API_TOKEN set, so the gateway talks to its embedded Fly Machines API emulator at ${gateway.emulator?.url}`,
      '  with demo data that changes every few seconds. Set FLY_API_TOKEN to use the real Fly API.',
    );
    if (config.auth.mode === 'fly-token') {
      lines.push(
        '  AUTH_MODE=fly-token: try "Authorization: Bearer emu_demo_tenant_a" or "... emu_demo_tenant_b" (each sees half the demo apps).',
      );
    }
  } else {
    lines.push(`  LIVE MODE: talking to the Fly Machines API at ${config.fly.baseUrl} (org ${config.fly.org})`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}, shutting down…\n`);
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Re-reads API_KEYS_FILE (the gateway logs the outcome); without one it is ignored.
  process.on('SIGHUP', () => {
    if (config.auth.keysFile) gateway.reloadKeys();
  });
}

/** What went wrong at start, with the setting to change where one is to blame (a port already taken). */
function startFailureMessage(error: unknown, config: ReturnType<typeof loadConfig>): string {
  const { code, port, message } = error as { code?: string; port?: number; message?: string };
  if (code !== 'EADDRINUSE') return message ?? String(error);
  const setting = port !== undefined && port === config.emulator.port && port !== config.server.port ? 'EMULATOR_PORT' : 'PORT';
  return `port ${port ?? '?'} is already in use (is another Flygate running?): stop what listens there, or set ${setting} to a free port (${setting}=0 picks one).`;
}

main().catch((error: unknown) => {
  process.stderr.write(`Flygate failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
