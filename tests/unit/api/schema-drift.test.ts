import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../../../codegen.js';
import { printSchemaFile, schemaFilePath } from '#src/api/schema/print.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('committed schema artifacts', () => {
  it('should match the printed schema when the Pothos types change (run npm run codegen)', () => {
    expect(readFileSync(schemaFilePath, 'utf8')).toBe(printSchemaFile());
  });

  it('should match what codegen generates when run on the committed schema and operations (run npm run codegen)', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...codegenConfig, cwd: root, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = readFileSync(path.resolve(root, output.filename), 'utf8');
      expect(committed, output.filename).toBe(output.content);
    }
  }, 60_000);
});
