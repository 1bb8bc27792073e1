import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/schema.js';

/** The part of the config that decides which browser origins may call the gateway. */
export type OriginPolicy = Pick<Config['server'], 'corsOrigins' | 'corsAllowLocalhost'>;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    // Only the canonical form counts: an origin with a path, credentials or odd spelling is not what a browser sends.
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopbackHosts.has(url.hostname) && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * Whether a browser page on `origin` may talk to the gateway: exact members of `corsOrigins`, plus loopback origins
 * on any port when `corsAllowLocalhost` is on. The opaque origin `null` (sandboxed frames, file://) never is.
 * Used for CORS answers and for WebSocket upgrades, which browsers send with an Origin but without a preflight.
 */
export function isOriginAllowed(origin: string, policy: OriginPolicy): boolean {
  if (policy.corsOrigins.includes(origin)) return true;
  return policy.corsAllowLocalhost && isLoopbackOrigin(origin);
}

const allowedMethods = 'GET, POST, OPTIONS';

function addVary(headers: Headers, value: string): void {
  const current = headers.get('vary');
  headers.set('vary', current ? `${current}, ${value}` : value);
}

/**
 * CORS by the configured origin list, replacing yoga's default (which echoes any origin with credentials). An allowed
 * origin gets its own value back with credentials; any other gets no CORS header at all, so the browser withholds the
 * answer. Preflights are answered here for every path with 204.
 */
export function useCors(policy: OriginPolicy): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method.toUpperCase() !== 'OPTIONS') return;
      endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'content-length': '0' } }));
    },
    onResponse({ request, response }) {
      addVary(response.headers, 'Origin');
      const origin = request.headers.get('origin');
      if (origin === null || !isOriginAllowed(origin, policy)) return;
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-allow-credentials', 'true');
      if (request.method.toUpperCase() === 'OPTIONS') {
        response.headers.set('access-control-allow-methods', allowedMethods);
        const asked = request.headers.get('access-control-request-headers');
        if (asked) {
          response.headers.set('access-control-allow-headers', asked);
          addVary(response.headers, 'Access-Control-Request-Headers');
        }
        response.headers.set('access-control-max-age', '600');
      }
    },
  };
}
