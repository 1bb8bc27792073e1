import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from './index.js';

/** Where the committed SDL lives. */
export const schemaFilePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema/schema.graphql');

/** The SDL exactly as committed: sorted, with a trailing newline. */
export function printSchemaFile(): string {
  return `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;
}
