/**
 * TLS certificates as the emulator plays them (MACHINES-API.md §2.5): a hostname added to an app waits until its
 * DNS points at the app (or delegates the ACME challenge), then Let's Encrypt "issues" it a little later on the
 * emulator clock. DNS is the emulator's own make-believe, set through the control API, so tests and the demo decide
 * when a record "exists". Every change of a certificate's status is published as a `certificate.changed` notice.
 */
import { createHash } from 'node:crypto';
import type { TimerHandle } from '../lib/clock.js';
import type { RouteContext } from './context.js';
import { ipsOf } from './ip-assignments.js';
import type { CertificateRecord, DnsRecord } from './types.js';

/** Certificate status as the emulator answers it (Fly's REST API leaves the values open; these follow flyctl's wording). */
export type CertificateStatus = 'awaiting_configuration' | 'awaiting_certificates' | 'ready';

const DAY_MS = 86_400_000;
/** How long an ACME certificate lasts. */
const ACME_LIFETIME_MS = 90 * DAY_MS;

/** The certificate engine of one emulator: DNS, issuance timers and the wire shapes. */
export interface Certificates {
  /**
   * Sets what a hostname's DNS answers (undefined removes it), now or once `afterMs` of the emulator clock have
   * passed (as a record takes time to propagate); then re-evaluates the hostname's certificate.
   */
  setDns(hostname: string, records: Partial<DnsRecord> | undefined, afterMs?: number): void;
  /** Re-evaluates one certificate: schedules issuance when its DNS is in place and none is pending. */
  evaluate(cert: CertificateRecord): void;
  /** Forgets a certificate's pending issuance (on delete). */
  cancel(hostname: string): void;
  status(cert: CertificateRecord): CertificateStatus;
  /** `CertificateDetail` of the spec (also the body of the ACME delete). */
  detail(cert: CertificateRecord): Record<string, unknown>;
  /** `CertificateSummary` of the spec (list items). */
  summary(cert: CertificateRecord): Record<string, unknown>;
  /** `CertificateCheckResponse`: the detail plus what DNS answers now. */
  check(cert: CertificateRecord): Record<string, unknown>;
  /** Publishes a `certificate.changed` notice for the certificate as it now is (or `deleted`). */
  changed(cert: CertificateRecord, deleted?: boolean): void;
  /** Cancels every pending timer (emulator stop). */
  dispose(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Fly's shared anycast IPv4 for an app without addresses of its own: stable per app name. */
export function sharedV4For(app: string): string {
  const digest = createHash('sha256').update(app).digest();
  return `66.241.124.${(digest[0] % 250) + 2}`;
}

/** Creates the certificate engine; `issueDelayMs` is how long issuance takes once DNS is in place. */
export function createCertificates(ctx: RouteContext, options: { issueDelayMs: number }): Certificates {
  const { store, clock } = ctx;
  const timers = new Map<string, TimerHandle>();

  const v4Targets = (app: string) => {
    const own = ipsOf(store, app)
      .filter((ip) => ip.type === 'v4' || ip.type === 'shared_v4')
      .map((ip) => ip.ip);
    return own.length > 0 ? own : [sharedV4For(app)];
  };
  const v6Targets = (app: string) =>
    ipsOf(store, app)
      .filter((ip) => ip.type === 'v6')
      .map((ip) => ip.ip);
  const cnameTarget = (cert: CertificateRecord) => `${cert.app}.fly.dev`;
  const challengeName = (cert: CertificateRecord) => `_acme-challenge.${cert.hostname.replace(/^\*\./, '')}`;
  const challengeTarget = (cert: CertificateRecord) => `${cert.hostname.replace(/^\*\./, '')}.${cert.token.slice(0, 6)}.flydns.net`;
  const ownershipValue = (cert: CertificateRecord, of: 'app' | 'org') => `${of}-${cert.token.slice(6, 18)}`;

  /** Which of the ways to prove control over the hostname its DNS satisfies now. */
  function validation(cert: CertificateRecord) {
    const dns = store.dns.get(cert.hostname.replace(/^\*\./, ''));
    const wildcard = cert.hostname.startsWith('*.');
    const pointsHere =
      !!dns &&
      !wildcard &&
      (dns.a.some((a) => v4Targets(cert.app).includes(a)) ||
        dns.aaaa.some((a) => v6Targets(cert.app).includes(a)) ||
        dns.cname.includes(cnameTarget(cert)));
    const challenge = !!dns && dns.acmeChallengeCname === challengeTarget(cert);
    const ownership = !!dns && (dns.ownershipTxt === ownershipValue(cert, 'app') || dns.ownershipTxt === ownershipValue(cert, 'org'));
    return { alpn: pointsHere, http: pointsHere, dns: challenge, ownership };
  }

  const configured = (cert: CertificateRecord) => {
    const v = validation(cert);
    return v.alpn || v.dns;
  };

  function status(cert: CertificateRecord): CertificateStatus {
    if (cert.custom || cert.issuedAtMs !== undefined) return 'ready';
    return cert.acmeRequested && configured(cert) ? 'awaiting_certificates' : 'awaiting_configuration';
  }

  function changed(cert: CertificateRecord, deleted = false): void {
    store.emitResource('certificate.changed', cert.app, {
      kind: 'certificate',
      id: cert.hostname,
      state: deleted ? 'deleted' : status(cert),
      version: String(cert.updatedAtMs),
    });
  }

  function issue(hostname: string): void {
    timers.delete(hostname);
    const cert = store.certificates.get(hostname);
    if (!cert || !cert.acmeRequested || cert.issuedAtMs !== undefined || !configured(cert)) return;
    cert.issuedAtMs = clock.now();
    cert.updatedAtMs = cert.issuedAtMs;
    changed(cert);
  }

  function evaluate(cert: CertificateRecord): void {
    if (!cert.acmeRequested || cert.issuedAtMs !== undefined || timers.has(cert.hostname) || !configured(cert)) return;
    timers.set(
      cert.hostname,
      clock.setTimeout(() => issue(cert.hostname), options.issueDelayMs),
    );
  }

  function entries(cert: CertificateRecord) {
    const out: Record<string, unknown>[] = [];
    if (cert.acmeRequested) {
      const issued = cert.issuedAtMs;
      out.push({
        source: 'fly',
        status: issued !== undefined ? 'active' : configured(cert) ? 'pending_validation' : 'pending_ownership',
        issuer: "Let's Encrypt",
        created_at: iso(cert.createdAtMs),
        ...(issued !== undefined
          ? {
              expires_at: iso(issued + ACME_LIFETIME_MS),
              issued: (['ecdsa', 'rsa'] as const).map((type) => ({
                type,
                certificate_authority: 'lets_encrypt',
                expires_at: iso(issued + ACME_LIFETIME_MS),
              })),
            }
          : { issued: [] }),
      });
    }
    if (cert.custom) {
      const c = cert.custom;
      out.push({
        source: 'custom',
        status: 'active',
        issuer: c.issuer,
        created_at: iso(c.createdAtMs),
        expires_at: iso(c.expiresAtMs),
        issued: [{ type: c.keyType, certificate_authority: c.issuer, expires_at: iso(c.expiresAtMs) }],
      });
    }
    return out;
  }

  function validationErrors(cert: CertificateRecord) {
    if (status(cert) !== 'awaiting_configuration' || !cert.acmeRequested) return [];
    const wildcard = cert.hostname.startsWith('*.');
    return [
      {
        code: wildcard ? 'acme_challenge_not_configured' : 'dns_not_configured',
        message: wildcard
          ? `${challengeName(cert)} is not a CNAME to ${challengeTarget(cert)}`
          : `No A, AAAA or CNAME record of ${cert.hostname} points at ${cert.app}`,
        remediation: wildcard
          ? `Add a CNAME record ${challengeName(cert)} -> ${challengeTarget(cert)}`
          : `Add a CNAME record ${cert.hostname} -> ${cnameTarget(cert)}, or A/AAAA records for the app's addresses`,
        timestamp: iso(clock.now()),
      },
    ];
  }

  function detail(cert: CertificateRecord): Record<string, unknown> {
    const v = validation(cert);
    const v6 = v6Targets(cert.app);
    return {
      hostname: cert.hostname,
      status: status(cert),
      configured: configured(cert),
      acme_requested: cert.acmeRequested,
      dns_provider: store.dns.has(cert.hostname.replace(/^\*\./, '')) ? 'external' : 'unknown',
      certificates: entries(cert),
      dns_requirements: {
        a: v4Targets(cert.app),
        aaaa: v6,
        cname: cnameTarget(cert),
        acme_challenge: { name: challengeName(cert), target: challengeTarget(cert) },
        ownership: {
          name: `_fly-ownership.${cert.hostname.replace(/^\*\./, '')}`,
          app_value: ownershipValue(cert, 'app'),
          org_value: ownershipValue(cert, 'org'),
        },
      },
      validation: {
        alpn_configured: v.alpn,
        http_configured: v.http,
        dns_configured: v.dns,
        ownership_txt_configured: v.ownership,
      },
      validation_errors: validationErrors(cert),
    };
  }

  return {
    setDns(hostname, records, afterMs) {
      if (afterMs !== undefined && afterMs > 0) {
        const key = `dns:${hostname}`;
        const pending = timers.get(key);
        if (pending !== undefined) clock.clearTimeout(pending);
        timers.set(
          key,
          clock.setTimeout(() => {
            timers.delete(key);
            this.setDns(hostname, records);
          }, afterMs),
        );
        return;
      }
      if (records) {
        store.dns.set(hostname, {
          a: records.a ?? [],
          aaaa: records.aaaa ?? [],
          cname: records.cname ?? [],
          acmeChallengeCname: records.acmeChallengeCname,
          ownershipTxt: records.ownershipTxt,
        });
      } else store.dns.delete(hostname);
      for (const cert of [store.certificates.get(hostname), store.certificates.get(`*.${hostname}`)]) {
        if (cert) evaluate(cert);
      }
    },
    evaluate,
    cancel(hostname) {
      const timer = timers.get(hostname);
      if (timer !== undefined) clock.clearTimeout(timer);
      timers.delete(hostname);
    },
    status,
    detail,
    summary(cert) {
      const v = validation(cert);
      return {
        hostname: cert.hostname,
        status: status(cert),
        configured: configured(cert),
        acme_requested: cert.acmeRequested,
        acme_alpn_configured: v.alpn,
        acme_http_configured: v.http,
        acme_dns_configured: v.dns,
        ownership_txt_configured: v.ownership,
        has_fly_certificate: cert.issuedAtMs !== undefined,
        has_custom_certificate: !!cert.custom,
        created_at: iso(cert.createdAtMs),
        updated_at: iso(cert.updatedAtMs),
      };
    },
    check(cert) {
      const bare = cert.hostname.replace(/^\*\./, '');
      const dns = store.dns.get(bare);
      return {
        ...detail(cert),
        dns_records: {
          a: dns?.a ?? [],
          aaaa: dns?.aaaa ?? [],
          cname: dns?.cname ?? [],
          resolved_addresses: [...(dns?.a ?? []), ...(dns?.aaaa ?? [])],
          ...(dns?.acmeChallengeCname ? { acme_challenge_cname: dns.acmeChallengeCname } : {}),
          ...(dns?.ownershipTxt ? { ownership_txt: dns.ownershipTxt } : {}),
          soa: `ns1.${bare.split('.').slice(-2).join('.')}`,
        },
      };
    },
    changed,
    dispose() {
      for (const timer of timers.values()) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
