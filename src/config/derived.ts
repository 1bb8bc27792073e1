import type { Config } from './schema.js';

/** `demo` without a Fly token (the embedded emulator), `live` with one. */
export function gatewayMode(config: Readonly<Config>): 'demo' | 'live' {
  return config.fly.token ? 'live' : 'demo';
}

/**
 * Whether the polling sync job runs. `auto` runs it against real Fly only: in demo mode the embedded emulator's
 * relay already pushes every change as a signed webhook.
 */
export function syncEnabled(config: Readonly<Config>): boolean {
  return config.sync.enabled === 'auto' ? gatewayMode(config) === 'live' : config.sync.enabled === 'true';
}

/**
 * Why GraphiQL is not served, or undefined when it is. With trusted documents it is not served either: it could
 * run none of the ad hoc operations it exists for.
 */
export function graphiqlOffReason(config: Readonly<Config>): string | undefined {
  if (config.graphql.trustedDocuments) return "GRAPHQL_TRUSTED_DOCUMENTS is set: only the manifest's operations run";
  if (config.graphql.graphiql) return undefined;
  return config.env === 'production' ? 'the production config turns it off (GRAPHIQL=true turns it on)' : 'GRAPHIQL=false';
}
