/**
 * Hive Gateway with its response cache, set up as PERFORMANCE.md describes: one cache for every caller
 * (`session: () => null`) and a 5 s lifetime. Used only for the "Mesh + response cache" peer:
 *
 *   npx hive-gateway supergraph .out/supergraph.graphql -c peers/mesh/gateway.config.ts --port 4103
 */
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  responseCaching: { session: () => null, ttl: 5000 },
});
