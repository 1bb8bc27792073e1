/**
 * The benchmarks measure Flygate as `npm start` runs it: compiled to dist/ by its own build script, not its sources
 * under tsx (whose function-name wrappers cost memory per closure and CPU on every request).
 */
import { spawnSync } from 'node:child_process';

/** Runs `scripts/build.mjs` in the checkout `dir`; throws when it fails. */
export function buildFlygate(dir: string): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building Flygate in ${dir} failed`);
}
