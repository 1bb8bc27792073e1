/**
 * TLS certificates of an app's hostnames: `App.certificates`, `App.certificate(hostname)` with what the owner of the
 * hostname must do next, and the mutations that add, check and remove them. Each is one declared Fly operation
 * (src/flyio/certificates.ts) exposed as it is (docs/ARCHITECTURE.md, "Adding a Fly operation"). The private key of
 * a custom certificate is an input only: no type here has a field that could hold it.
 */
import { z } from 'zod';
import {
  checkCertificate,
  deleteAcmeCertificate,
  deleteCertificate,
  deleteCustomCertificate,
  getCertificate,
  listCertificates,
  requestAcmeCertificate,
  uploadCustomCertificate,
  type CertificateRef as FlyCertificateRef,
} from '../../flyio/certificates.js';
import type {
  FlyCertificateDetail,
  FlyCertificateEntry,
  FlyCertificateSummary,
  FlyCertificateValidationError,
  FlyDnsRecords,
} from '../../flyio/wire/certificate.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { AppRef } from './app.js';
import { resolveFlyConnection, type ConnectionArgs } from './fly-connection.js';
import { appNameSchema } from './inputs.js';
import { nullOnNotFound } from './machines/machine.js';
import { operationMutation } from './machines/mutation-support.js';
import { parseTimestamp } from './scalars.js';

/** A hostname of an app, as a list item (summary) or read on its own (detail). */
export interface CertificateParent {
  appName: string;
  hostname: string;
  summary?: FlyCertificateSummary;
  detail?: FlyCertificateDetail;
}

/** Fly's page size limit for certificate lists. */
const MAX_CERTIFICATE_PAGE = 500;

/** The detail of a certificate: the parent's own, else one call per hostname (shared within the request, cached). */
function detailOf(p: CertificateParent, ctx: GraphQLContext): Promise<FlyCertificateDetail> | FlyCertificateDetail {
  return p.detail ?? ctx.loaders.call(getCertificate, { app: p.appName, hostname: p.hostname });
}

/** Where the certificate is, told from Fly's fields so that `status`, `configured` and `certificates` always agree. */
type CertificateState = 'ISSUED' | 'AWAITING_CERTIFICATE' | 'AWAITING_CONFIGURATION' | 'NOT_REQUESTED';

function stateOf(p: CertificateParent): CertificateState {
  const s = p.summary;
  const d = p.detail;
  const issued = d ? (d.certificates ?? []).some((c) => c.status === 'active') : !!(s?.has_fly_certificate || s?.has_custom_certificate);
  if (issued) return 'ISSUED';
  const acme = d?.acme_requested ?? s?.acme_requested ?? false;
  if (!acme) return 'NOT_REQUESTED';
  return (d?.configured ?? s?.configured) ? 'AWAITING_CERTIFICATE' : 'AWAITING_CONFIGURATION';
}

const CertificateStatusEnum = builder.enumType('CertificateStatus', {
  description: "Where a hostname's certificate is; derived from Fly's fields, so it never contradicts `configured` or `certificates`.",
  values: {
    ISSUED: { description: 'A certificate (Let’s Encrypt or uploaded) is active: TLS works.' },
    AWAITING_CERTIFICATE: { description: 'DNS is in place; Let’s Encrypt is issuing the certificate.' },
    AWAITING_CONFIGURATION: { description: 'Waiting for the DNS records in `dnsRecordsToAdd`.' },
    NOT_REQUESTED: { description: 'No certificate is requested or uploaded for the hostname.' },
  } as const,
});

const DnsRecordTypeEnum = builder.enumType('DnsRecordType', { values: ['A', 'AAAA', 'CNAME', 'TXT'] as const });
const DnsRecordPurposeEnum = builder.enumType('DnsRecordPurpose', {
  values: {
    ROUTING: { description: "Sends the hostname's traffic to the app (also proves control for TLS-ALPN and HTTP validation)." },
    ACME_CHALLENGE: {
      description: 'Delegates the DNS-01 challenge to Fly (needed for wildcards; lets a certificate issue before traffic moves).',
    },
    OWNERSHIP: { description: 'Proves the hostname is yours without moving traffic.' },
  } as const,
});

/** One DNS record, ready to type into a DNS provider. */
interface DnsRecord {
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  name: string;
  value: string;
  purpose: 'ROUTING' | 'ACME_CHALLENGE' | 'OWNERSHIP';
}

const DnsRecordRef = builder.objectRef<DnsRecord>('DnsRecord').implement({
  description: 'A DNS record: its type, the name it is set on and its value.',
  fields: (t) => ({
    type: t.field({ type: DnsRecordTypeEnum, resolve: (r) => r.type }),
    name: t.exposeString('name'),
    value: t.exposeString('value'),
    purpose: t.field({ type: DnsRecordPurposeEnum, resolve: (r) => r.purpose }),
  }),
});

/** Every record Fly lists for the hostname, whichever way of proving control they serve. */
function requirements(hostname: string, d: FlyCertificateDetail): DnsRecord[] {
  const r = d.dns_requirements;
  if (!r) return [];
  const out: DnsRecord[] = [];
  const bare = hostname.replace(/^\*\./, '');
  for (const a of r.a ?? []) out.push({ type: 'A', name: bare, value: a, purpose: 'ROUTING' });
  for (const a of r.aaaa ?? []) out.push({ type: 'AAAA', name: bare, value: a, purpose: 'ROUTING' });
  if (r.cname) out.push({ type: 'CNAME', name: bare, value: r.cname, purpose: 'ROUTING' });
  if (r.acme_challenge?.name && r.acme_challenge.target) {
    out.push({ type: 'CNAME', name: r.acme_challenge.name, value: r.acme_challenge.target, purpose: 'ACME_CHALLENGE' });
  }
  if (r.ownership?.name && r.ownership.app_value) {
    out.push({ type: 'TXT', name: r.ownership.name, value: r.ownership.app_value, purpose: 'OWNERSHIP' });
  }
  return out;
}

/**
 * The records to add now: none once DNS is in place; for a wildcard the DNS-01 delegation; for an apex (which
 * cannot be a CNAME) its A/AAAA records; for any other hostname the one CNAME to the app.
 */
function toAdd(p: CertificateParent, d: FlyCertificateDetail): DnsRecord[] {
  const state = stateOf({ ...p, detail: d });
  if (state !== 'AWAITING_CONFIGURATION') return [];
  const all = requirements(p.hostname, d);
  if (p.hostname.startsWith('*.')) return all.filter((r) => r.purpose === 'ACME_CHALLENGE');
  const routing = all.filter((r) => r.purpose === 'ROUTING');
  const apex = p.hostname.split('.').length <= 2;
  const cname = routing.filter((r) => r.type === 'CNAME');
  return apex || cname.length === 0 ? routing.filter((r) => r.type !== 'CNAME') : cname;
}

const CertificateValidationErrorRef = builder.objectRef<FlyCertificateValidationError>('CertificateValidationError').implement({
  description: 'Why validation failed last time, and what to do about it.',
  fields: (t) => ({
    code: t.string({ nullable: true, resolve: (e) => e.code ?? null }),
    message: t.string({ nullable: true, resolve: (e) => e.message ?? null }),
    remediation: t.string({ nullable: true, resolve: (e) => e.remediation ?? null }),
    at: t.field({ type: 'DateTime', nullable: true, resolve: (e) => parseTimestamp(e.timestamp) }),
  }),
});

const CertificateSourceEnum = builder.enumType('CertificateSource', {
  values: {
    FLY: { value: 'fly', description: "Issued by Let's Encrypt for Fly." },
    CUSTOM: { value: 'custom', description: 'Uploaded.' },
  } as const,
});

const IssuedCertificateRef = builder.objectRef<FlyCertificateEntry>('IssuedCertificate').implement({
  description: 'One certificate of the hostname (its private key is never shown).',
  fields: (t) => ({
    source: t.field({
      type: CertificateSourceEnum,
      nullable: true,
      resolve: (c) => (c.source === 'fly' || c.source === 'custom' ? c.source : null),
    }),
    status: t.string({ nullable: true, description: 'active, pending_validation or pending_ownership.', resolve: (c) => c.status ?? null }),
    issuer: t.string({ nullable: true, resolve: (c) => c.issuer ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => parseTimestamp(c.created_at) }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => parseTimestamp(c.expires_at) }),
    keyTypes: t.stringList({ description: 'rsa and/or ecdsa.', resolve: (c) => (c.issued ?? []).flatMap((i) => (i.type ? [i.type] : [])) }),
  }),
});

const CertificateValidationRef = builder
  .objectRef<{ alpn: boolean; http: boolean; dns: boolean; ownership: boolean }>('CertificateValidation')
  .implement({
    description: 'Which ways of proving control over the hostname its DNS satisfies.',
    fields: (t) => ({
      alpnConfigured: t.exposeBoolean('alpn', { description: 'TLS-ALPN: the hostname reaches the app.' }),
      httpConfigured: t.exposeBoolean('http', { description: 'HTTP-01: the hostname reaches the app.' }),
      dnsConfigured: t.exposeBoolean('dns', { description: 'DNS-01: `_acme-challenge` is delegated to Fly.' }),
      ownershipTxtConfigured: t.exposeBoolean('ownership'),
    }),
  });

/** GraphQL `Certificate`. */
export const CertificateRef = builder.objectRef<CertificateParent>('Certificate').implement({
  description:
    "A hostname of an app and its TLS certificates. List items carry Fly's summary; fields only the detail has " +
    '(`dnsRecordsToAdd`, `dnsRequirements`, `validationErrors`, `certificates`) cost one Fly call per hostname, cached.',
  fields: (t) => ({
    hostname: t.exposeString('hostname'),
    appName: t.exposeString('appName'),
    status: t.field({
      type: CertificateStatusEnum,
      description: 'Where it is (derived from the fields below, so the two always agree).',
      resolve: (p) => stateOf(p),
    }),
    flyStatus: t.string({
      nullable: true,
      description: "Fly's own status text.",
      resolve: (p) => p.detail?.status ?? p.summary?.status ?? null,
    }),
    configured: t.boolean({
      description: "Whether the hostname's DNS proves control (routing or ACME challenge).",
      resolve: (p) => p.detail?.configured ?? p.summary?.configured ?? false,
    }),
    acmeRequested: t.boolean({ resolve: (p) => p.detail?.acme_requested ?? p.summary?.acme_requested ?? false }),
    validation: t.field({
      type: CertificateValidationRef,
      resolve: (p) => {
        const v = p.detail?.validation;
        const s = p.summary;
        return {
          alpn: v?.alpn_configured ?? s?.acme_alpn_configured ?? false,
          http: v?.http_configured ?? s?.acme_http_configured ?? false,
          dns: v?.dns_configured ?? s?.acme_dns_configured ?? false,
          ownership: v?.ownership_txt_configured ?? s?.ownership_txt_configured ?? false,
        };
      },
    }),
    dnsRecordsToAdd: t.field({
      type: [DnsRecordRef],
      description: 'What to add at your DNS provider now (empty once DNS is in place): the next step.',
      resolve: async (p, _args, ctx) => toAdd(p, await detailOf(p, ctx)),
    }),
    dnsRequirements: t.field({
      type: [DnsRecordRef],
      description: 'Every record Fly accepts for this hostname, with what each is for.',
      resolve: async (p, _args, ctx) => requirements(p.hostname, await detailOf(p, ctx)),
    }),
    validationErrors: t.field({
      type: [CertificateValidationErrorRef],
      resolve: async (p, _args, ctx) => (await detailOf(p, ctx)).validation_errors ?? [],
    }),
    certificates: t.field({
      type: [IssuedCertificateRef],
      resolve: async (p, _args, ctx) => (await detailOf(p, ctx)).certificates ?? [],
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'List items only.',
      resolve: (p) => parseTimestamp(p.summary?.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'List items only.',
      resolve: (p) => parseTimestamp(p.summary?.updated_at),
    }),
  }),
});

/** A page of certificates, with how many match the filter in all. */
export const CertificateConnection = builder.connectionObject({ type: CertificateRef, name: 'CertificateConnection' });

builder.objectField(CertificateConnection, 'totalCount', (t) =>
  t.int({
    nullable: true,
    description: 'How many hostnames match the filter (Fly counts them).',
    resolve: (c) => (c as unknown as { totalCount?: number }).totalCount ?? null,
  }),
);

/** The app's hostnames as a connection over Fly's cursors, with Fly's total. */
async function resolveCertificates(app: string, filter: string | undefined, args: ConnectionArgs, ctx: GraphQLContext) {
  let totalCount: number | undefined;
  const page = async (cursor: string | undefined, limit: number) => {
    const answer = await ctx.loaders.call(listCertificates, { app, filter, cursor, limit: Math.min(limit, MAX_CERTIFICATE_PAGE) });
    totalCount ??= answer.total_count;
    return { items: answer.certificates ?? [], nextCursor: answer.next_cursor ?? undefined };
  };
  const connection = await resolveFlyConnection(
    args,
    {
      async all() {
        const items: FlyCertificateSummary[] = [];
        let cursor: string | undefined;
        do {
          const next = await page(cursor, MAX_CERTIFICATE_PAGE);
          items.push(...next.items);
          cursor = next.nextCursor;
        } while (cursor);
        return items;
      },
      page,
    },
    (summary): CertificateParent => ({ appName: app, hostname: summary.hostname, summary }),
  );
  return { ...connection, totalCount };
}

const hostnameSchema = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'expected a lowercase DNS name such as www.example.com',
  );

builder.objectFields(AppRef, (t) => ({
  certificates: t.connection(
    {
      type: CertificateRef,
      description: "The app's hostnames and their certificates (one Fly call per page of up to 500; cached as long as the app).",
      args: { filter: t.arg.string({ required: false, description: 'Only hostnames containing this text.' }) },
      resolve: (app, args, ctx) => resolveCertificates(app.name, args.filter ?? undefined, args, ctx),
    },
    CertificateConnection,
  ),
  certificate: t.field({
    type: CertificateRef,
    nullable: true,
    description:
      'One hostname of the app with what to do next (one Fly call; cached as long as the app). Null when the app has no such hostname.',
    args: { hostname: t.arg.string({ required: true, validate: { schema: hostnameSchema } }) },
    resolve: async (app, args, ctx) => {
      const detail = await ctx.loaders.call(getCertificate, { app: app.name, hostname: args.hostname }).catch(nullOnNotFound);
      return detail ? { appName: app.name, hostname: detail.hostname, detail } : null;
    },
  }),
}));

type InputFields = PothosSchemaTypes.InputFieldBuilder<import('../builder.js').Types, 'InputObject'>;
const certificateFields = (t: InputFields) => ({
  app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
  hostname: t.string({
    required: true,
    description: 'The hostname, e.g. www.example.com or *.example.com.',
    validate: { schema: hostnameSchema },
  }),
});
const certificateOf = ({ app, hostname }: FlyCertificateRef): FlyCertificateRef => ({ app, hostname });

/** `{ certificate }`: the success object of a mutation answered with the certificate as it now is. */
function certificatePayload(name: string, description: string) {
  return {
    type: builder.objectRef<{ certificate: CertificateParent }>(name).implement({
      description,
      fields: (t) => ({ certificate: t.field({ type: CertificateRef, resolve: (p) => p.certificate }) }),
    }),
    shape: (detail: FlyCertificateDetail, input: FlyCertificateRef) => ({
      certificate: { appName: input.app, hostname: detail.hostname, detail },
    }),
  };
}

const CertificateInput = builder.inputType('CertificateInput', { fields: (t) => certificateFields(t) });

operationMutation('addCertificate', {
  description: "Adds a hostname to the app and requests a Let's Encrypt certificate for it; `dnsRecordsToAdd` says what DNS it waits for.",
  input: CertificateInput,
  operation: requestAcmeCertificate,
  toInput: certificateOf,
  success: certificatePayload('AddCertificateSuccess', 'The hostname was added; the certificate is issued once its DNS is in place.'),
});

const pemSchema = (what: string, marker: RegExp) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(64_000, 'must be at most 64000 characters')
    .refine((value) => marker.test(value), `must be a PEM ${what}`);

const AddCustomCertificateInput = builder.inputType('AddCustomCertificateInput', {
  fields: (t) => ({
    ...certificateFields(t),
    fullchain: t.string({
      required: true,
      description: 'The certificate and its intermediates, PEM.',
      validate: { schema: pemSchema('certificate chain', /-----BEGIN CERTIFICATE-----/) },
    }),
    privateKey: t.string({
      required: true,
      description: 'Its private key, PEM. Write-only: sent to Fly once, never shown, logged, traced, cached or published.',
      validate: { schema: pemSchema('private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/) },
    }),
  }),
});

operationMutation('addCustomCertificate', {
  description: 'Uploads a certificate and its private key for a hostname of the app (the key is never returned).',
  input: AddCustomCertificateInput,
  operation: uploadCustomCertificate,
  toInput: ({ app, hostname, fullchain, privateKey }) => ({ app, hostname, fullchain, privateKey }),
  success: certificatePayload('AddCustomCertificateSuccess', 'The certificate was uploaded.'),
});

/** What the hostname's DNS answered at the check. */
const DnsLookupRef = builder.objectRef<FlyDnsRecords>('DnsLookup').implement({
  description: "What the hostname's DNS answered when Fly checked it.",
  fields: (t) => ({
    a: t.stringList({ resolve: (r) => r.a ?? [] }),
    aaaa: t.stringList({ resolve: (r) => r.aaaa ?? [] }),
    cname: t.stringList({ resolve: (r) => r.cname ?? [] }),
    acmeChallengeCname: t.string({ nullable: true, resolve: (r) => r.acme_challenge_cname ?? null }),
    ownershipTxt: t.string({ nullable: true, resolve: (r) => r.ownership_txt ?? null }),
    resolvedAddresses: t.stringList({ resolve: (r) => r.resolved_addresses ?? [] }),
  }),
});

operationMutation('checkCertificate', {
  description: "Has Fly look at the hostname's DNS again (a certificate is issued once it is in place) and says what it found.",
  input: CertificateInput,
  operation: checkCertificate,
  toInput: certificateOf,
  success: {
    type: builder.objectRef<{ certificate: CertificateParent; dnsFound: FlyDnsRecords | null }>('CheckCertificateSuccess').implement({
      description: 'The certificate after the check, and what DNS answered.',
      fields: (t) => ({
        certificate: t.field({ type: CertificateRef, resolve: (p) => p.certificate }),
        dnsFound: t.field({ type: DnsLookupRef, nullable: true, resolve: (p) => p.dnsFound }),
      }),
    }),
    shape: (detail, input) => ({
      certificate: { appName: input.app, hostname: detail.hostname, detail },
      dnsFound: detail.dns_records ?? null,
    }),
  },
});

operationMutation('deleteCertificate', {
  description: 'Removes the hostname from the app with every certificate of it.',
  input: CertificateInput,
  operation: deleteCertificate,
  toInput: certificateOf,
  success: {
    type: builder.objectRef<{ hostname: string }>('DeleteCertificateSuccess').implement({
      description: 'The hostname was removed.',
      fields: (t) => ({ hostname: t.exposeString('hostname') }),
    }),
    shape: (_none, input) => ({ hostname: input.hostname }),
  },
});

operationMutation('deleteAcmeCertificate', {
  description: "Removes the hostname's Let's Encrypt certificate, keeping the hostname (and an uploaded certificate).",
  input: CertificateInput,
  operation: deleteAcmeCertificate,
  toInput: certificateOf,
  success: certificatePayload('DeleteAcmeCertificateSuccess', "The Let's Encrypt certificate was removed."),
});

operationMutation('deleteCustomCertificate', {
  description: "Removes the hostname's uploaded certificate; `warning` says when no certificate is left.",
  input: CertificateInput,
  operation: deleteCustomCertificate,
  toInput: certificateOf,
  success: {
    type: builder.objectRef<{ certificate: CertificateParent; warning: string | null }>('DeleteCustomCertificateSuccess').implement({
      description: 'The uploaded certificate was removed.',
      fields: (t) => ({
        certificate: t.field({ type: CertificateRef, resolve: (p) => p.certificate }),
        warning: t.string({ nullable: true, resolve: (p) => p.warning }),
      }),
    }),
    shape: (detail, input) => ({ certificate: { appName: input.app, hostname: detail.hostname, detail }, warning: detail.warning ?? null }),
  },
});
