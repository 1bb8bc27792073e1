import { readFileSync } from 'node:fs';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SERVED_OPERATIONS } from '#src/emulator/emulator.js';
import { SPEC_PATH, specAvailable } from '../../contract/spec-validator.js';

const DOC = new URL('../../../docs/API-COVERAGE.md', import.meta.url);
const SCHEMA = new URL('../../../schema/schema.graphql', import.meta.url);

interface Row {
  operation: string;
  fields: string[];
  note: string;
}

/** The table rows of docs/API-COVERAGE.md: `| \`METHOD /path\` | fields or — | note |`. */
function rows(text: string): Row[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [operation, graphql, note] = line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim());
      return {
        operation: operation.replace(/`/g, ''),
        fields: graphql === '—' ? [] : [...graphql.matchAll(/`([A-Za-z]+\.[A-Za-z]+)`/g)].map((m) => m[1]),
        note: note ?? '',
      };
    });
}

function specOperations(): string[] {
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    ['get', 'post', 'put', 'patch', 'delete'].filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

if (!specAvailable() && process.env.CI !== 'true') {
  describe('docs/API-COVERAGE.md', () => {
    it('should check the coverage table against the shared OpenAPI spec', (context) => {
      context.skip(`skipped: ${SPEC_PATH} is missing`);
    });
  });
} else {
  describe('docs/API-COVERAGE.md', () => {
    const table = rows(readFileSync(DOC, 'utf8'));
    const schema = buildSchema(readFileSync(SCHEMA, 'utf8'));

    it('should list every operation of the spec exactly once and nothing else', () => {
      const listed = table.map((row) => row.operation);
      expect(listed.filter((op, i) => listed.indexOf(op) !== i)).toEqual([]);
      expect([...listed].sort()).toEqual(specOperations().sort());
    });

    it('should name only fields that exist in the printed schema', () => {
      const missing = table
        .flatMap((row) => row.fields)
        .filter((name) => {
          const [typeName, field] = name.split('.');
          const type = schema.getType(typeName);
          return !isObjectType(type) || !type.getFields()[field];
        });
      expect(missing).toEqual([]);
    });

    it('should say why an operation has no field, and serve every operation that has one in the emulator', () => {
      expect(table.filter((row) => row.fields.length === 0 && row.note.length < 10).map((row) => row.operation)).toEqual([]);
      const served = new Set(SERVED_OPERATIONS);
      expect(table.filter((row) => row.fields.length > 0 && !served.has(row.operation)).map((row) => row.operation)).toEqual([]);
    });

    it('should state the count of operations served through GraphQL', () => {
      const count = table.filter((row) => row.fields.length > 0).length;
      expect(readFileSync(DOC, 'utf8')).toContain(`Served through GraphQL: **${count} of ${table.length}** operations.`);
    });
  });
}
