import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Certificates } from '../certificates.js';
import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody } from '../request-helpers.js';
import type { CertificateRecord, CustomCertificateRecord } from '../types.js';

// A hostname Fly accepts: lowercase DNS labels, at least two, optionally one leading wildcard label.
const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Hostnames Fly serves itself: certificates for them are Fly's, never the app's. */
const FLY_DOMAINS = /(^|\.)(fly\.dev|flycast|internal)$/;

const unprocessable = (message: string) => flyError(422, message);

function hostnameOf(body: Record<string, unknown>): string {
  const hostname = body.hostname;
  if (typeof hostname !== 'string' || hostname.length > 253 || !HOSTNAME.test(hostname)) {
    throw unprocessable('hostname must be a valid DNS name (lowercase, optionally starting with "*.")');
  }
  if (FLY_DOMAINS.test(hostname)) throw unprocessable(`${hostname} is served by Fly: it needs no certificate of the app's`);
  return hostname;
}

/**
 * Checks an uploaded chain and key: both must parse, match each other and cover the hostname. Messages never
 * quote either (the key is a secret; the chain could be one pasted by mistake).
 */
function parseCustom(hostname: string, fullchain: unknown, privateKey: unknown, nowMs: number): CustomCertificateRecord {
  if (typeof fullchain !== 'string' || !fullchain.includes('BEGIN CERTIFICATE'))
    throw unprocessable('fullchain must be a PEM certificate chain');
  if (typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) throw unprocessable('private_key must be a PEM private key');
  let cert: X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    cert = new X509Certificate(fullchain);
  } catch {
    throw unprocessable('fullchain could not be parsed as an X.509 certificate');
  }
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw unprocessable('private_key could not be parsed');
  }
  if (!cert.checkPrivateKey(key)) throw unprocessable('private_key does not match the certificate');
  if (!cert.checkHost(hostname.replace(/^\*\./, 'wildcard-check.'))) throw unprocessable(`the certificate does not cover ${hostname}`);
  const expiresAtMs = Date.parse(cert.validTo);
  if (!(expiresAtMs > nowMs)) throw unprocessable('the certificate has expired');
  const issuer = /(?:^|\n)O=([^\n]+)/.exec(cert.issuer)?.[1] ?? /(?:^|\n)CN=([^\n]+)/.exec(cert.issuer)?.[1] ?? 'unknown';
  return { issuer, keyType: key.asymmetricKeyType === 'rsa' ? 'rsa' : 'ecdsa', createdAtMs: nowMs, expiresAtMs };
}

/** Handlers for `/v1/apps/{app_name}/certificates` (MACHINES-API.md §2.5). */
export function certificateRoutes(ctx: RouteContext, certs: Certificates): Handlers {
  const { store, clock } = ctx;

  const find = (app: string, hostname: string): CertificateRecord => {
    store.getApp(app);
    const cert = store.certificates.get(hostname);
    if (!cert || cert.app !== app) throw flyError(404, `certificate not found: ${hostname}`);
    return cert;
  };

  /** The app's record for a hostname, made when absent; 422 when another app holds the hostname. */
  const claim = (app: string, hostname: string): CertificateRecord => {
    const held = store.certificates.get(hostname);
    if (held && held.app !== app) throw unprocessable(`${hostname} is already in use by another app`);
    if (held) return held;
    const now = clock.now();
    return { app, hostname, createdAtMs: now, updatedAtMs: now, acmeRequested: false, token: ctx.ids.shortId(18) };
  };

  const save = (cert: CertificateRecord) => {
    cert.updatedAtMs = clock.now();
    store.certificates.set(cert.hostname, cert);
    certs.evaluate(cert);
    certs.changed(cert);
  };

  return {
    'certificates.list': ({ params, query }) => {
      store.getApp(params.app_name);
      const filter = query.get('filter') ?? '';
      const all = [...store.certificates.values()]
        .filter((c) => c.app === params.app_name && c.hostname.includes(filter))
        .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
      const rawLimit = query.get('limit');
      const limit = rawLimit === null || rawLimit === '' ? 25 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1) throw unprocessable(`invalid limit: ${rawLimit}`);
      // The cursor is the last hostname of the previous page, so a page never repeats or skips a hostname.
      const cursor = query.get('cursor');
      const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
      const rest = after ? all.filter((c) => c.hostname > after) : all;
      const page = rest.slice(0, Math.min(limit, 500));
      const more = page.length < rest.length;
      return {
        status: 200,
        body: {
          certificates: page.map(certs.summary),
          total_count: all.length,
          ...(more ? { next_cursor: Buffer.from(page[page.length - 1].hostname).toString('base64url') } : {}),
        },
      };
    },
    'certificates.acme.create': ({ params, body }) => {
      store.getApp(params.app_name);
      const hostname = hostnameOf(objectBody(body));
      const cert = claim(params.app_name, hostname);
      if (cert.acmeRequested) throw unprocessable(`${hostname} already has a certificate requested`);
      cert.acmeRequested = true;
      save(cert);
      return { status: 201, body: certs.detail(cert) };
    },
    'certificates.custom.create': ({ params, body }) => {
      store.getApp(params.app_name);
      const input = objectBody(body);
      const hostname = hostnameOf(input);
      const cert = claim(params.app_name, hostname);
      cert.custom = parseCustom(hostname, input.fullchain, input.private_key, clock.now());
      save(cert);
      return { status: 201, body: certs.detail(cert) };
    },
    'certificates.get': ({ params }) => ({ status: 200, body: certs.detail(find(params.app_name, params.hostname)) }),
    'certificates.delete': ({ params }) => {
      const cert = find(params.app_name, params.hostname);
      certs.cancel(cert.hostname);
      store.certificates.delete(cert.hostname);
      certs.changed(cert, true);
      return { status: 204 };
    },
    'certificates.acme.delete': ({ params }) => {
      const cert = find(params.app_name, params.hostname);
      if (!cert.acmeRequested) throw flyError(404, `no ACME certificate for ${cert.hostname}`);
      certs.cancel(cert.hostname);
      cert.acmeRequested = false;
      cert.issuedAtMs = undefined;
      save(cert);
      return { status: 200, body: certs.detail(cert) };
    },
    'certificates.custom.delete': ({ params }) => {
      const cert = find(params.app_name, params.hostname);
      if (!cert.custom) throw flyError(404, `no custom certificate for ${cert.hostname}`);
      cert.custom = undefined;
      save(cert);
      const warning =
        cert.issuedAtMs === undefined
          ? `${cert.hostname} has no certificate left: TLS for it fails until an ACME certificate is issued`
          : undefined;
      return { status: 200, body: { ...certs.detail(cert), ...(warning ? { warning } : {}) } };
    },
    'certificates.check': ({ params }) => {
      const cert = find(params.app_name, params.hostname);
      certs.evaluate(cert);
      return { status: 200, body: certs.check(cert) };
    },
  };
}
