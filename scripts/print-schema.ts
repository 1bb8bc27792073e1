/** Writes the printed SDL to schema/schema.graphql (`npm run schema:print`); a test fails when it drifts. */
import { writeFileSync } from 'node:fs';
import { printSchemaFile, schemaFilePath } from '../src/api/schema/print.js';

writeFileSync(schemaFilePath, printSchemaFile());
process.stdout.write(`wrote ${schemaFilePath}\n`);
