import type { CallOptions, FlyClient } from './types.js';

type AnyCall = (...args: unknown[]) => unknown;

/** Methods whose only parameter is the call options. */
const OPTIONS_ONLY = new Set(['platform.regions', 'tokens.current']);

function bind<T extends object>(resource: string, api: T, authorization: string): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const call = value as AnyCall;
    out[name] = OPTIONS_ONLY.has(`${resource}.${name}`)
      ? (options?: CallOptions) => call({ ...options, authorization })
      : (input: unknown, options?: CallOptions) => call(input, { ...options, authorization });
  }
  return out as T;
}

/**
 * The same client, with every call made under a caller's own Fly token (`CallOptions.authorization`) instead of
 * the client's: what fly-token mode hands to one request's loaders and use cases. `close` is the client's own.
 */
export function withAuthorization(fly: FlyClient, authorization: string): FlyClient {
  return {
    call: (operation, input, options) => fly.call(operation, input, { ...options, authorization }),
    apps: bind('apps', fly.apps, authorization),
    machines: bind('machines', fly.machines, authorization),
    volumes: bind('volumes', fly.volumes, authorization),
    orgs: bind('orgs', fly.orgs, authorization),
    platform: bind('platform', fly.platform, authorization),
    tokens: bind('tokens', fly.tokens, authorization),
    close: () => fly.close(),
  };
}
