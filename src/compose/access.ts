/**
 * Who may call: the one admission rule every entrance uses (HTTP, SSE, graphql-ws, the whole-response cache), the
 * graphql-ws side of it, the trusted-documents manifest, and the API keys, reloadable from `API_KEYS_FILE`
 * (docs/RUNBOOK.md, "Access").
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createAdmission, type Admission } from '../api/auth/admission.js';
import { createCallerResolver } from '../api/auth/caller.js';
import { createKeyRing, type KeyReload } from '../api/auth/key-ring.js';
import { parseKeyEntries, parseKeysFile, type KeyEntry } from '../api/auth/keys.js';
import { createOidcVerifier } from '../api/auth/oidc.js';
import type { TokenVerdicts } from '../api/auth/token-verdicts.js';
import { loadTrustedDocuments, type TrustedDocuments } from '../api/auth/trusted-documents.js';
import { createWsAccess, type WsAccess } from '../api/auth/ws-access.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { CallerLimiter } from '../services/ports.js';

/** What {@link createAccess} builds. */
export interface Access {
  admission: Admission;
  wsAccess: WsAccess;
  trustedDocuments?: TrustedDocuments;
  /**
   * Re-reads `API_KEYS_FILE` (SIGHUP, or the file changed): what changed, or an error that left the accepted keys
   * as they were. Without a keys file, an error saying so.
   */
  reloadKeys(): KeyReload | Error;
  /** Starts re-reading the keys file whenever it changes (a no-op without one); `stopWatching` undoes it. */
  watchKeys(): void;
  stopWatching(): void;
}

function readKeysFile(file: string): KeyEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`API_KEYS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  try {
    return parseKeysFile(text);
  } catch (error) {
    throw new Error(`API_KEYS_FILE: ${file}, ${(error as Error).message}`, { cause: error });
  }
}

/** Builds the access parts from the config, the gateway's tenant and the backends' caller limiter. */
export function createAccess(
  config: Readonly<Config>,
  deps: { tenant: string; logger: Logger; clock: Clock; callerLimiter?: CallerLimiter; tokenVerdicts?: TokenVerdicts },
): Access {
  const { mode, apiKeys, keysFile, oidc: oidcSettings } = config.auth;
  // oidc mode accepts API keys beside the issuer's JWTs (none when no entries are configured).
  const usesKeys = mode === 'api-keys' || mode === 'oidc';
  // Read once at creation: a missing or malformed keys file stops the gateway before it serves anything; later
  // reloads that fail keep the keys accepted until then.
  const keys = createKeyRing(parseKeyEntries(usesKeys ? apiKeys : []), usesKeys && keysFile ? readKeysFile(keysFile) : []);
  const oidc =
    mode === 'oidc'
      ? createOidcVerifier({
          settings: { ...oidcSettings, issuer: oidcSettings.issuer!, audience: oidcSettings.audience! },
          clock: deps.clock,
          gatewayTenant: deps.tenant,
        })
      : undefined;
  const resolve = createCallerResolver({ mode, apiKeys, keys, gatewayTenant: deps.tenant, oidc });
  const admission = createAdmission({ mode, resolve, limiter: deps.callerLimiter, verdicts: deps.tokenVerdicts });
  const trustedDocuments = config.graphql.trustedDocuments ? loadTrustedDocuments(config.graphql.trustedDocuments) : undefined;

  const reloadKeys = (): KeyReload | Error => {
    if (!usesKeys || !keysFile) return new Error('no API_KEYS_FILE to reload (AUTH_MODE=api-keys or oidc, with API_KEYS_FILE)');
    let entries: KeyEntry[];
    try {
      entries = readKeysFile(keysFile);
    } catch (error) {
      deps.logger.error({ err: error }, 'API keys not reloaded: the accepted keys stay as they were');
      return error as Error;
    }
    const outcome = keys.replace(entries);
    deps.logger.info({ ...outcome, keys: keys.size() }, 'API keys reloaded');
    return outcome;
  };

  let watcher: FSWatcher | undefined;
  let pending: NodeJS.Timeout | undefined;
  return {
    admission,
    wsAccess: createWsAccess({ admission, trustedDocuments }),
    trustedDocuments,
    reloadKeys,
    watchKeys() {
      if (!usesKeys || !keysFile || watcher) return;
      // The directory, not the file: editors and mounted secrets replace the file (a rename), which ends a watch on it.
      const name = basename(keysFile);
      watcher = watch(dirname(keysFile), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        // One reload per burst of changes (a write is often several events).
        clearTimeout(pending);
        pending = setTimeout(reloadKeys, 50);
      });
      watcher.on('error', (error) => deps.logger.error({ err: error }, 'API_KEYS_FILE: watching stopped; SIGHUP still reloads'));
    },
    stopWatching() {
      clearTimeout(pending);
      watcher?.close();
      watcher = undefined;
    },
  };
}
