import type { CallOptions, FlyClient } from './types.js';

type AnyCall = (...args: unknown[]) => unknown;

/** Methods whose only parameter is the call options. */
const OPTIONS_ONLY = new Set(['platform.regions', 'tokens.current']);

function bind<T extends object>(resource: string, api: T, bound: CallOptions): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const call = value as AnyCall;
    out[name] = OPTIONS_ONLY.has(`${resource}.${name}`)
      ? (options?: CallOptions) => call({ ...options, ...bound })
      : (input: unknown, options?: CallOptions) => call(input, { ...options, ...bound });
  }
  return out as T;
}

/**
 * The same client, with `bound` added to the options of every call: what one caller's loaders and use cases get
 * (its name for Fly's rate budget, and in fly-token mode its own token). `close` is the client's own.
 */
export function withCallOptions(fly: FlyClient, bound: Pick<CallOptions, 'authorization' | 'caller'>): FlyClient {
  return {
    call: (operation, input, options) => fly.call(operation, input, { ...options, ...bound }),
    apps: bind('apps', fly.apps, bound),
    machines: bind('machines', fly.machines, bound),
    volumes: bind('volumes', fly.volumes, bound),
    orgs: bind('orgs', fly.orgs, bound),
    platform: bind('platform', fly.platform, bound),
    tokens: bind('tokens', fly.tokens, bound),
    close: () => fly.close(),
  };
}

/**
 * The same client, with every call made under a caller's own Fly token (`CallOptions.authorization`) instead of
 * the client's: what fly-token mode hands to one request's loaders and use cases.
 */
export function withAuthorization(fly: FlyClient, authorization: string): FlyClient {
  return withCallOptions(fly, { authorization });
}
