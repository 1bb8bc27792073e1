import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envBindings } from '#src/config/schema.js';

describe('README configuration table', () => {
  it('should list exactly the environment variables the config loader reads when compared with the bindings', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## HTTP routes'));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(['APP_ENV', ...Object.keys(envBindings)].sort());
  });
});
