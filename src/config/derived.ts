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
