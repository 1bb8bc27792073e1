import type { Gateway } from '../../src/gateway.js';

/** A GraphQL answer as the tests read it. */
export interface QueryAnswer {
  data?: any;
  errors?: any[];
  extensions?: any;
}

/** POSTs `text` to a gateway in process (no socket) and parses the JSON answer. */
export async function queryGateway(gw: { gateway: Gateway }, text: string): Promise<QueryAnswer> {
  const response = await gw.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return response.json() as Promise<QueryAnswer>;
}

/** The machines of one app with their state. */
export const machinesOf = (app: string) => `{ machines(app: "${app}") { nodes { machineId state } } }`;

/** Upstream answers with status 429 a gateway received, read from its metrics. */
export async function upstream429s(gw: { gateway: Gateway }): Promise<number> {
  const metric = await gw.gateway.metrics.upstreamCalls.get();
  return metric.values.filter((v) => v.metricName?.endsWith('_count') && v.labels.status === '429').reduce((sum, v) => sum + v.value, 0);
}
