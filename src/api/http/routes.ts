import type { HealthService } from '../../services/health.js';
import type { Metrics } from '../../lib/metrics.js';
import { createGraphiQLAssets } from './graphiql.js';

/** A plain HTTP route served beside GraphQL. Returns undefined to let the next route (or yoga) answer. */
export type Route = (request: Request, url: URL) => Promise<Response | undefined> | Response | undefined;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/** `/healthz`: the process is alive. `/readyz`: every dependency answers. `/metrics`: Prometheus text. */
export function healthRoutes({ health, metrics }: { health: HealthService; metrics: Metrics }): Route {
  return async (request, url) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    switch (url.pathname) {
      case '/healthz':
        return json({ status: 'pass' });
      case '/readyz': {
        const report = await health.check();
        // Degraded still serves traffic (an orchestrator must not pull it); only a failing report answers 503.
        return json(report, report.status === 'fail' ? 503 : 200);
      }
      case '/metrics':
        return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } });
      default:
        return undefined;
    }
  };
}

/** GraphiQL's static assets. */
export function graphiqlAssetRoute(): Route {
  const assets = createGraphiQLAssets();
  return (request, url) => {
    if (request.method !== 'GET') return undefined;
    // Browsers ask for a favicon on every page; answering it keeps the console clean.
    if (url.pathname === '/favicon.ico') return new Response(null, { status: 204 });
    return assets.serve(url.pathname);
  };
}
