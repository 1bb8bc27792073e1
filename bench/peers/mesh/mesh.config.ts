/**
 * GraphQL Mesh composition of the full Fly Machines OpenAPI document, pointed at the bench's upstream stub. The
 * runner composes it at bench time into bench/.out/supergraph.graphql:
 *
 *   UPSTREAM_URL=http://127.0.0.1:4290 npx mesh-compose -c peers/mesh/mesh.config.ts -o .out/supergraph.graphql
 *
 * The spec has no links between apps and machines, so a dashboard there is 1 + N requests; MESH_LINK=true adds the
 * one hand-written `@resolveTo` link (App.machines) so that a single query can ask for it, as PERFORMANCE.md did.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const spec = fileURLToPath(new URL('../../../../shared/fly/machines-openapi3.json', import.meta.url));
const link = process.env.MESH_LINK === 'true';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Machines', {
        source: spec,
        endpoint: process.env.UPSTREAM_URL ?? 'http://127.0.0.1:4290',
        operationHeaders: { Authorization: '{context.headers.authorization}' },
      }),
    },
  ],
  additionalTypeDefs: link
    ? /* GraphQL */ `
        extend type App {
          machines: [Machines_list_response]
            @resolveTo(
              sourceName: "Machines"
              sourceTypeName: "Query"
              sourceFieldName: "Machines_list"
              requiredSelectionSet: "{ name }"
              sourceArgs: { app_name: "{root.name}" }
            )
        }
      `
    : undefined,
});
