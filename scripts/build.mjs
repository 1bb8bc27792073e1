// Compiles src/ to dist/ (one .js file per .ts file, same layout), which `npm start` and the image run.
// Plain JavaScript so it runs before anything is compiled. esbuild strips the types file by file; it is not asked
// to keep function names, which tsx does (it wraps every function in a defineProperty of `name`, leaving each
// closure with a dictionary of its own: ~7 KiB per open subscription and a slower cold path). Types are checked
// by `npm run typecheck`, not here.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
// dist/ sits beside src/ at the same depth, so paths resolved from import.meta.url (config/, schema/) still hold.
const out = path.join(root, 'dist');

const sources = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => path.join(src, file));

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: sources,
  outdir: out,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
