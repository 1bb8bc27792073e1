import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const list = (dir: string, ext: string) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(ext) && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -ext.length))
    .sort();

// dist/ is built once per run by tests/global-setup.ts with `npm run build`.
describe('npm run build', () => {
  it('should compile every source file to one module at the same place under dist/ when it runs', () => {
    expect(list('dist', '.js')).toEqual(list('src', '.ts'));
    expect(list('dist', '.js.map')).toEqual(list('src', '.ts'));
  });

  it('should not wrap functions to keep their names when compiling (each wrapped closure costs a dictionary)', () => {
    // tsx and esbuild's keepNames emit a `__name(fn, "name")` call per function; the build must not.
    const wrapped = list('dist', '.js').filter((file) => readFileSync(path.join(root, 'dist', `${file}.js`), 'utf8').includes('__name('));
    expect(wrapped).toEqual([]);
    // It is still a transform of our code, not a bundle: imports stay imports.
    expect(readFileSync(path.join(root, 'dist/main.js'), 'utf8')).toMatch(/from "\.\/gateway\.js"/);
  });
});
