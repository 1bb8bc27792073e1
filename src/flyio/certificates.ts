/**
 * TLS certificates of an app's hostnames (MACHINES-API.md §2.5), each a declared operation (src/flyio/operation.ts).
 * The custom upload carries a private key: it is only ever in that request's body, never in a name, path, query,
 * error or span (the request path records none of those from a body).
 */
import { defineOperation } from './operation.js';
import {
  flyCertificateDetailSchema,
  flyCertificateListSchema,
  type FlyCertificateDetail,
  type FlyCertificateList,
} from './wire/certificate.js';

const CERTIFICATES = '/apps/{app}/certificates';
const ONE = `${CERTIFICATES}/{hostname}`;
const onApp = ({ app }: { app: string }) => ({ app, collection: 'certificates' as const });

/** A hostname of an app. */
export interface CertificateRef {
  app: string;
  hostname: string;
}

/** Input of {@link listCertificates}: Fly's hostname filter (a substring) and its cursor. */
export interface ListCertificatesInput {
  app: string;
  filter?: string;
  cursor?: string;
  /** 1 to 500; Fly's default is 25. */
  limit?: number;
}

/** `GET …/certificates`: one page of the app's hostnames, with the total that match the filter. */
export const listCertificates = defineOperation<ListCertificatesInput, FlyCertificateList>({
  name: 'certificates.list',
  method: 'GET',
  path: CERTIFICATES,
  query: ({ filter, cursor, limit }) => ({ filter, cursor, limit }),
  response: flyCertificateListSchema,
  target: onApp,
  cache: 'app',
});

/** `GET …/certificates/{hostname}`: the hostname's certificates, the DNS records it needs and how validation went. */
export const getCertificate = defineOperation<CertificateRef, FlyCertificateDetail>({
  name: 'certificates.get',
  method: 'GET',
  path: ONE,
  response: flyCertificateDetailSchema,
  target: onApp,
  cache: 'app',
});

/** `POST …/certificates/acme`: adds the hostname and asks Let's Encrypt for a certificate once its DNS is in place. */
export const requestAcmeCertificate = defineOperation<CertificateRef, FlyCertificateDetail>({
  name: 'certificates.acme.create',
  method: 'POST',
  path: `${CERTIFICATES}/acme`,
  body: ({ hostname }) => ({ hostname }),
  response: flyCertificateDetailSchema,
  target: onApp,
});

/** Input of {@link uploadCustomCertificate}. `privateKey` is write-only: sent once, never answered or kept. */
export interface CustomCertificateInput extends CertificateRef {
  fullchain: string;
  privateKey: string;
}

/** `POST …/certificates/custom`: uploads a certificate chain and its private key for the hostname. */
export const uploadCustomCertificate = defineOperation<CustomCertificateInput, FlyCertificateDetail>({
  name: 'certificates.custom.create',
  method: 'POST',
  path: `${CERTIFICATES}/custom`,
  body: ({ hostname, fullchain, privateKey }) => ({ hostname, fullchain, private_key: privateKey }),
  response: flyCertificateDetailSchema,
  target: onApp,
});

/** `POST …/certificates/{hostname}/check`: looks at the hostname's DNS again and answers what it found. */
export const checkCertificate = defineOperation<CertificateRef, FlyCertificateDetail>({
  name: 'certificates.check',
  method: 'POST',
  path: `${ONE}/check`,
  response: flyCertificateDetailSchema,
  target: onApp,
});

/** `DELETE …/certificates/{hostname}`: removes the hostname and every certificate of it. */
export const deleteCertificate = defineOperation<CertificateRef>({
  name: 'certificates.delete',
  method: 'DELETE',
  path: ONE,
  target: onApp,
});

/** `DELETE …/certificates/{hostname}/acme`: removes the Let's Encrypt certificate, keeping the hostname. */
export const deleteAcmeCertificate = defineOperation<CertificateRef, FlyCertificateDetail>({
  name: 'certificates.acme.delete',
  method: 'DELETE',
  path: `${ONE}/acme`,
  response: flyCertificateDetailSchema,
  target: onApp,
});

/** `DELETE …/certificates/{hostname}/custom`: removes the uploaded certificate; `warning` says when none is left. */
export const deleteCustomCertificate = defineOperation<CertificateRef, FlyCertificateDetail>({
  name: 'certificates.custom.delete',
  method: 'DELETE',
  path: `${ONE}/custom`,
  response: flyCertificateDetailSchema,
  target: onApp,
});
