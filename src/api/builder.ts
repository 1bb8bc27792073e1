import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import ZodPlugin from '@pothos/plugin-zod';
import type { GraphQLContext } from './context.js';

/** Scalars the schema uses, with their server-side types. */
type Scalars = {
  DateTime: { Input: Date; Output: Date | string };
  JSON: { Input: unknown; Output: unknown };
};

/** The one Pothos builder. Only builds the builder; types live in `schema/<type>.ts`. */
export const builder = new SchemaBuilder<{ Context: GraphQLContext; Scalars: Scalars; DefaultFieldNullability: false }>({
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin, SimpleObjectsPlugin, ZodPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
    nodesQueryOptions: false,
  },
  errors: { defaultTypes: [] },
  zod: {},
});

builder.queryType({});
