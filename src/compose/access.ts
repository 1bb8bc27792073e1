/**
 * Who may call: the one admission rule every entrance uses (HTTP, SSE, graphql-ws, the whole-response cache), the
 * graphql-ws side of it, and the trusted-documents manifest (docs/RUNBOOK.md, "Access").
 */
import { createAdmission, type Admission } from '../api/auth/admission.js';
import { createCallerResolver } from '../api/auth/caller.js';
import type { TokenVerdicts } from '../api/auth/token-verdicts.js';
import { loadTrustedDocuments, type TrustedDocuments } from '../api/auth/trusted-documents.js';
import { createWsAccess, type WsAccess } from '../api/auth/ws-access.js';
import type { Config } from '../config/schema.js';
import type { CallerLimiter } from '../services/ports.js';

/** What {@link createAccess} builds. */
export interface Access {
  admission: Admission;
  wsAccess: WsAccess;
  trustedDocuments?: TrustedDocuments;
}

/** Builds the access parts from the config, the gateway's tenant and the backends' caller limiter. */
export function createAccess(
  config: Readonly<Config>,
  deps: { tenant: string; callerLimiter?: CallerLimiter; tokenVerdicts?: TokenVerdicts },
): Access {
  const { mode, apiKeys } = config.auth;
  const resolve = createCallerResolver({ mode, apiKeys, gatewayTenant: deps.tenant });
  const admission = createAdmission({ mode, resolve, limiter: deps.callerLimiter, verdicts: deps.tokenVerdicts });
  // Read once at creation: a missing or malformed manifest stops the gateway before it serves anything.
  const trustedDocuments = config.graphql.trustedDocuments ? loadTrustedDocuments(config.graphql.trustedDocuments) : undefined;
  return { admission, wsAccess: createWsAccess({ admission, trustedDocuments }), trustedDocuments };
}
