/**
 * Tokens the emulator mints and checks: an app's deploy token (`POST /v1/apps/{app}/deploy_token`, accepted by this
 * emulator afterwards for that app alone), verification of a token header with or without an access to check
 * (`/v1/tokens/authenticate`, `/v1/tokens/authorize`), and the two text tokens a machine asks for (`/v1/tokens/oidc`,
 * a signed JWT; `/v1/tokens/kms`). Tokens are random; only their digests are kept (auth.ts).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { TokenRegistry } from '../auth.js';
import { tokensFromHeader } from '../auth.js';
import type { Handlers, RouteContext } from '../context.js';
import { flyError, HttpError } from '../http-error.js';
import { objectBody, parseDurationMs } from '../request-helpers.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;
const YEAR_MS = 365 * 24 * 3_600_000;
/** Fly's deploy tokens last 20 years unless asked otherwise (`fly tokens create deploy`). */
const DEFAULT_EXPIRY_MS = 20 * YEAR_MS;

/** resset.Action bits: read, write, create, delete, control. */
const ACTION_BITS: Readonly<Record<string, number>> = { r: 1, w: 2, c: 4, d: 8, C: 16 };

const bytes = (buffer: Buffer) => [...buffer];
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An access's `action`: the spec's integer bit set, or its letters (`rw`). */
function actionOf(raw: unknown): number {
  if (raw === undefined || raw === null) return 1;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 31) return raw;
  if (typeof raw === 'string' && /^[rwcdC]+$/.test(raw)) return [...raw].reduce((bits, ch) => bits | ACTION_BITS[ch]!, 0);
  throw flyError(400, `invalid action: ${JSON.stringify(raw)}`);
}

/** The token routes; `tokens` is the emulator's registry, where a deploy token is granted. */
export function tokenRoutes(ctx: RouteContext, tokens: TokenRegistry): Handlers {
  const { store, clock } = ctx;
  const signingKey = randomBytes(32);

  /** Fly's `root.VerifiedToken` for a header the registry accepts; 401 otherwise. Never echoes the token itself. */
  const verify = (header: unknown) => {
    if (typeof header !== 'string' || header.trim() === '') throw flyError(400, 'header is required');
    const grant = tokens.describe(header);
    if (!grant) throw flyError(401, 'Authenticate: token validation error');
    const [first] = tokensFromHeader(header);
    const id = createHash('sha256')
      .update(first ?? '')
      .digest();
    const caveats: Array<Record<string, unknown>> = [{ type: 'Organization', body: { id: store.org } }];
    if (grant.apps !== 'all') caveats.push({ type: 'Apps', body: { apps: grant.apps } });
    if (grant.readOnly) caveats.push({ type: 'Action', body: { action: 'r' } });
    return {
      grant,
      token: {
        header: `FlyV1 fm2_${id.subarray(0, 8).toString('hex')}…`,
        caveats: { caveats },
        nonce: { kid: bytes(id.subarray(0, 16)), rnd: bytes(id.subarray(16)), proof: false },
        permission_token: [],
      },
    };
  };

  /** The app a header's token is bound to when it names exactly one. */
  const soleApp = (header: string | undefined): string | undefined => {
    const grant = tokens.describe(header);
    return grant && grant.apps !== 'all' && grant.apps.length === 1 ? grant.apps[0] : undefined;
  };

  return {
    'apps.deploy_token': ({ params, body }) => {
      const app = store.getApp(params.app_name);
      const input = objectBody(body);
      if (input.expiry !== undefined && typeof input.expiry !== 'string')
        throw flyError(400, 'expiry must be a duration string such as "720h"');
      const expiryMs = parseDurationMs(input.expiry) ?? DEFAULT_EXPIRY_MS;
      if (!(expiryMs > 0) || expiryMs > 100 * YEAR_MS) throw flyError(400, `invalid expiry: ${String(input.expiry)}`);
      const secret = `fm2_${randomBytes(24).toString('base64url')}`;
      tokens.grant(secret, [app.name]);
      return { status: 200, body: { token: `FlyV1 ${secret}` } };
    },
    'tokens.authenticate': ({ body }) => {
      const { token } = verify(objectBody(body).header);
      return { status: 200, body: [token] };
    },
    'tokens.authorize': ({ body }) => {
      const input = objectBody(body);
      const { grant, token } = verify(input.header);
      const rawAccess = input.access;
      if (rawAccess !== undefined && (rawAccess === null || typeof rawAccess !== 'object' || Array.isArray(rawAccess))) {
        throw flyError(400, 'access must be an object');
      }
      const access = (rawAccess ?? {}) as Record<string, unknown>;
      const action = actionOf(access.action);
      const appName = typeof access.app_name === 'string' ? access.app_name : undefined;
      const machineId = typeof access.machine_id === 'string' ? access.machine_id : undefined;
      if (typeof access.org_slug === 'string' && !store.resolveOrg(access.org_slug))
        throw flyError(401, 'unauthorized: organization not allowed');
      const app = appName === undefined ? undefined : store.apps.get(appName);
      if (appName !== undefined && (!app || (grant.apps !== 'all' && !grant.apps.includes(appName)))) {
        throw flyError(401, `unauthorized: the token does not grant access to the app ${appName}`);
      }
      if (machineId !== undefined && appName === undefined) throw flyError(400, 'machine_id needs app_name');
      if (machineId !== undefined) store.getMachine(appName!, machineId);
      if (grant.readOnly && (action & ~1) !== 0) throw flyError(401, 'unauthorized: the token may only read');
      const granted: Record<string, unknown> = { action };
      if (app) granted.appid = app.internalNumericId;
      if (machineId) granted.machine = machineId;
      if (Array.isArray(access.command)) granted.command = access.command.filter((c) => typeof c === 'string');
      return { status: 200, body: { access: granted, verified_token: token } };
    },
    'tokens.oidc': ({ body, headers }) => {
      const input = objectBody(body);
      if (input.aud !== undefined && typeof input.aud !== 'string') throw new HttpError(400, { error: 'aud must be a string' });
      const app = soleApp(headers.authorization);
      const now = Math.floor(clock.now() / 1000);
      const claims: Record<string, unknown> = {
        iss: `https://oidc.fly.io/${store.org}`,
        aud: (input.aud as string | undefined) || `https://fly.io/${store.org}`,
        sub: `${store.org}:${app ?? '*'}:*`,
        org_name: store.org,
        ...(app ? { app_name: app } : {}),
        iat: now,
        nbf: now,
        exp: now + 600,
        jti: randomBytes(8).toString('hex'),
      };
      if (input.aws_principal_tags === true) claims['https://aws.amazon.com/tags'] = { principal_tags: { org: [store.org] } };
      const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
      const signature = createHmac('sha256', signingKey).update(unsigned).digest('base64url');
      return { status: 200, body: `${unsigned}.${signature}`, headers: TEXT };
    },
    'tokens.kms': () => ({ status: 200, body: `FlyV1 fm2_kms_${randomBytes(24).toString('base64url')}`, headers: TEXT }),
  };
}
