import { z } from 'zod';
import { optionalBool, optionalInt, optionalString } from './common.js';

const stringList = z.array(z.string()).nullish();

/** `IssuedCertificate`: one key type of an issued certificate. */
export const flyIssuedCertificateSchema = z
  .object({ type: optionalString, certificate_authority: optionalString, expires_at: optionalString })
  .loose();

/** `CertificateEntry`: an ACME (`fly`) or uploaded (`custom`) certificate of a hostname. */
export const flyCertificateEntrySchema = z
  .object({
    source: optionalString,
    status: optionalString,
    issuer: optionalString,
    created_at: optionalString,
    expires_at: optionalString,
    issued: z.array(flyIssuedCertificateSchema).nullish(),
  })
  .loose();
export type FlyCertificateEntry = z.infer<typeof flyCertificateEntrySchema>;

/** `DNSRequirements`: the records the hostname's owner must add. */
export const flyDnsRequirementsSchema = z
  .object({
    a: stringList,
    aaaa: stringList,
    cname: optionalString,
    acme_challenge: z.object({ name: optionalString, target: optionalString }).loose().nullish(),
    ownership: z.object({ name: optionalString, app_value: optionalString, org_value: optionalString }).loose().nullish(),
  })
  .loose();
export type FlyDnsRequirements = z.infer<typeof flyDnsRequirementsSchema>;

/** `CertificateValidationError`. */
export const flyCertificateValidationErrorSchema = z
  .object({ code: optionalString, message: optionalString, remediation: optionalString, timestamp: optionalString })
  .loose();
export type FlyCertificateValidationError = z.infer<typeof flyCertificateValidationErrorSchema>;

/** `DNSRecords`: what the hostname's DNS answered at the last check. */
export const flyDnsRecordsSchema = z
  .object({
    a: stringList,
    aaaa: stringList,
    cname: stringList,
    acme_challenge_cname: optionalString,
    ownership_txt: optionalString,
    resolved_addresses: stringList,
    soa: optionalString,
  })
  .loose();
export type FlyDnsRecords = z.infer<typeof flyDnsRecordsSchema>;

/**
 * `CertificateDetail` (also `CertificateCheckResponse`, which adds `dns_records`, and the custom delete's answer,
 * which adds `warning`).
 */
export const flyCertificateDetailSchema = z
  .object({
    hostname: z.string(),
    status: optionalString,
    configured: optionalBool,
    acme_requested: optionalBool,
    dns_provider: optionalString,
    rate_limited_until: optionalString,
    certificates: z.array(flyCertificateEntrySchema).nullish(),
    dns_requirements: flyDnsRequirementsSchema.nullish(),
    validation: z
      .object({
        alpn_configured: optionalBool,
        dns_configured: optionalBool,
        http_configured: optionalBool,
        ownership_txt_configured: optionalBool,
      })
      .loose()
      .nullish(),
    validation_errors: z.array(flyCertificateValidationErrorSchema).nullish(),
    dns_records: flyDnsRecordsSchema.nullish(),
    warning: optionalString,
  })
  .loose();
export type FlyCertificateDetail = z.infer<typeof flyCertificateDetailSchema>;

/** `CertificateSummary`: a list item. */
export const flyCertificateSummarySchema = z
  .object({
    hostname: z.string(),
    status: optionalString,
    configured: optionalBool,
    acme_requested: optionalBool,
    acme_alpn_configured: optionalBool,
    acme_dns_configured: optionalBool,
    acme_http_configured: optionalBool,
    ownership_txt_configured: optionalBool,
    has_custom_certificate: optionalBool,
    has_fly_certificate: optionalBool,
    dns_provider: optionalString,
    created_at: optionalString,
    updated_at: optionalString,
  })
  .loose();
export type FlyCertificateSummary = z.infer<typeof flyCertificateSummarySchema>;

/** `listCertificatesResponse`. */
export const flyCertificateListSchema = z
  .object({
    certificates: z.array(flyCertificateSummarySchema).nullish(),
    next_cursor: z.string().nullish(),
    total_count: optionalInt,
  })
  .loose();
export type FlyCertificateList = z.infer<typeof flyCertificateListSchema>;
