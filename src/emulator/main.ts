import { createEmulator } from './emulator.js';

/** Standalone emulator: demo data, Fly's rate limits and the activity loop, on EMULATOR_PORT (default 4280). */
async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? 4280);
  const emulator = createEmulator({ seed: 'demo', rateLimit: true, token: process.env.EMULATOR_TOKEN || undefined });
  const url = await emulator.start({ port, host: '127.0.0.1' });
  emulator.startActivity(5000);
  // This is a local development token for the emulator only, so printing it is intended.
  process.stdout.write(
    [
      `Fly Machines API emulator listening on ${url} (API under ${url}/v1)`,
      `Accepted token: ${emulator.token}`,
      `Point clients at it with: FLY_API_BASE_URL=${url} FLY_API_TOKEN=${emulator.token}`,
      '',
    ].join('\n'),
  );
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
