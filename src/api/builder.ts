import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import ZodPlugin from '@pothos/plugin-zod';
import type { ZodError } from 'zod';
import type { GraphQLContext } from './context.js';
import { InvalidInputError, type InputIssue } from './errors.js';

/** Scalars the schema uses, with their server-side types. */
type Scalars = {
  DateTime: { Input: Date; Output: Date | string };
  JSON: { Input: unknown; Output: unknown };
};

/** Turns zod's issues into one message that names every offending argument, e.g. `input.machineId: ...`. */
export function zodToInvalidInput(error: ZodError): InvalidInputError {
  const issues: InputIssue[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(arguments)',
    message: issue.message,
  }));
  const message = `Invalid argument${issues.length > 1 ? 's' : ''}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
  return new InvalidInputError(message, { issues });
}

/** The one Pothos builder. Only builds the builder; types live in `schema/<type>.ts`. */
export const builder = new SchemaBuilder<{ Context: GraphQLContext; Scalars: Scalars; DefaultFieldNullability: false }>({
  // The errors plugin comes first so it wraps (and can type) failures of the plugins after it, zod included.
  // Federation only marks entities; the plain schema is unchanged unless `buildFederatedSchema` asks for the subgraph.
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin, SimpleObjectsPlugin, ZodPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
    nodesQueryOptions: false,
  },
  // Argument validation failures become typed InvalidInputError results on mutations; they are raised before any
  // resolver or authorization runs, and this gateway has no per-field authorization to bypass.
  errors: { defaultTypes: [], unsafelyHandleInputErrors: true },
  zod: { validationError: (error) => zodToInvalidInput(error) },
});

/** The builder's type parameters, for helpers that take Pothos field builders or refs. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

builder.queryType({});
builder.mutationType({});
