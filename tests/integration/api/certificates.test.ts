import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { createManualClock } from '#src/lib/clock.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { OTHER_PRIVATE_KEY, TEST_CERT_HOSTNAME, TEST_FULLCHAIN, TEST_PRIVATE_KEY } from '../../helpers/test-certificate.js';

// App.certificates, App.certificate(hostname) and the certificate mutations: each one declared Fly operation, with
// exact upstream counts, the cache, typed errors and who may call them in every auth mode.

const CERT_FIELDS = `hostname status flyStatus configured acmeRequested
  validation { alpnConfigured httpConfigured dnsConfigured ownershipTxtConfigured }
  dnsRecordsToAdd { type name value purpose }
  dnsRequirements { type name value purpose }
  validationErrors { code message remediation }
  certificates { source status issuer expiresAt keyTypes }`;
const ONE = `query($app: String!, $hostname: String!) { app(name: $app) { certificate(hostname: $hostname) { ${CERT_FIELDS} } } }`;
const LIST = `query($app: String!, $filter: String, $first: Int, $after: String) {
  app(name: $app) { certificates(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { hostname status configured } } }
}`;
const LIST_WITH_DETAIL = `query($app: String!) { app(name: $app) { certificates { nodes { hostname status dnsRecordsToAdd { type name value } } } } }`;
const RESULT = `__typename ... on Error { code message } ... on InvalidInputError { issues { field message } }`;
const ADD = `mutation($app: String!, $hostname: String!) {
  addCertificate(input: { app: $app, hostname: $hostname }) { ${RESULT} ... on AddCertificateSuccess { certificate { ${CERT_FIELDS} } } }
}`;
const ADD_CUSTOM = `mutation($app: String!, $hostname: String!, $fullchain: String!, $privateKey: String!) {
  addCustomCertificate(input: { app: $app, hostname: $hostname, fullchain: $fullchain, privateKey: $privateKey }) {
    ${RESULT} ... on AddCustomCertificateSuccess { certificate { ${CERT_FIELDS} } }
  }
}`;
const CHECK = `mutation($app: String!, $hostname: String!) {
  checkCertificate(input: { app: $app, hostname: $hostname }) {
    ${RESULT} ... on CheckCertificateSuccess { certificate { hostname status configured dnsRecordsToAdd { type } } dnsFound { a aaaa cname resolvedAddresses } }
  }
}`;
const DELETE = `mutation($app: String!, $hostname: String!) { deleteCertificate(input: { app: $app, hostname: $hostname }) { ${RESULT} ... on DeleteCertificateSuccess { hostname } } }`;
const DELETE_ACME = `mutation($app: String!, $hostname: String!) {
  deleteAcmeCertificate(input: { app: $app, hostname: $hostname }) { ${RESULT} ... on DeleteAcmeCertificateSuccess { certificate { status acmeRequested } } }
}`;
const DELETE_CUSTOM = `mutation($app: String!, $hostname: String!) {
  deleteCustomCertificate(input: { app: $app, hostname: $hostname }) { ${RESULT} ... on DeleteCustomCertificateSuccess { warning certificate { status } } }
}`;

type Answer = {
  data: any;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

async function ask(built: BuiltTestGateway, query: string, variables: Record<string, unknown>, authorization?: string): Promise<Answer> {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

describe('certificates', () => {
  let built: BuiltTestGateway;
  // The emulator's own clock: issuance happens when the test advances it, not after some real time.
  const emulatorClock = createManualClock();
  const app = 'shop';
  const q = (query: string, variables: Record<string, unknown> = {}) => ask(built, query, { app, ...variables });

  beforeAll(async () => {
    built = await buildTestGateway({
      env: { CACHE_RESPONSE_MAX_BYTES: '0' },
      emulatorOptions: { clock: emulatorClock, certificateIssueMs: 1000 },
    });
    built.emu.control.createApp(app);
    built.emu.control.createApp('elsewhere');
  });
  afterAll(async () => built?.close());

  it('should add a hostname with one call and say which DNS record to add next, in fields that agree with each other', async () => {
    const added = await q(ADD, { hostname: 'www.shop.example' });
    expect(added.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.acme.create': 1 });
    const cert = added.data.addCertificate.certificate;
    expect(cert).toMatchObject({ hostname: 'www.shop.example', status: 'AWAITING_CONFIGURATION', configured: false, acmeRequested: true });
    expect(cert.dnsRecordsToAdd).toEqual([{ type: 'CNAME', name: 'www.shop.example', value: 'shop.fly.dev', purpose: 'ROUTING' }]);
    expect(cert.dnsRequirements).toEqual(
      expect.arrayContaining([
        { type: 'A', name: 'www.shop.example', value: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), purpose: 'ROUTING' },
        {
          type: 'CNAME',
          name: '_acme-challenge.www.shop.example',
          value: expect.stringContaining('.flydns.net'),
          purpose: 'ACME_CHALLENGE',
        },
        { type: 'TXT', name: '_fly-ownership.www.shop.example', value: expect.any(String), purpose: 'OWNERSHIP' },
      ]),
    );
    expect(cert.validationErrors).toEqual([
      expect.objectContaining({ code: 'dns_not_configured', remediation: expect.stringContaining('shop.fly.dev') }),
    ]);
    expect(cert.certificates).toEqual([expect.objectContaining({ source: 'FLY', status: 'pending_ownership', keyTypes: [] })]);
  });

  it('should ask for A/AAAA records for an apex and the ACME delegation for a wildcard', async () => {
    built.emu.control.allocateIp(app, { type: 'v6' });
    const apex = (await q(ADD, { hostname: 'shop.example' })).data.addCertificate.certificate;
    expect(apex.dnsRecordsToAdd.map((r: { type: string }) => r.type).sort()).toEqual(['A', 'AAAA']);
    const wildcard = (await q(ADD, { hostname: '*.shop.example' })).data.addCertificate.certificate;
    expect(wildcard.dnsRecordsToAdd).toEqual([
      { type: 'CNAME', name: '_acme-challenge.shop.example', value: expect.stringContaining('.flydns.net'), purpose: 'ACME_CHALLENGE' },
    ]);
  });

  it('should read one certificate with one call, then from the cache, and answer null for a hostname the app does not have', async () => {
    const first = await q(ONE, { hostname: 'www.shop.example' });
    expect(first.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 1, 'certificates.get': 1 });
    expect(first.data.app.certificate.status).toBe('AWAITING_CONFIGURATION');
    const second = await q(ONE, { hostname: 'www.shop.example' });
    expect(second.extensions.upstreamCalls.byOperation).toEqual({});
    expect(second.data).toEqual(first.data);
    const missing = await q(ONE, { hostname: 'nope.shop.example' });
    expect(missing.data.app.certificate).toBeNull();
    expect(missing.errors).toBeUndefined();
  });

  it('should page the list with Fly cursors and its total, filter by substring, and cost one get per hostname only when detail is selected', async () => {
    const first = await q(LIST, { first: 2 });
    expect(first.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.list': 1 });
    const page = first.data.app.certificates;
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((n: { hostname: string }) => n.hostname)).toEqual(['*.shop.example', 'shop.example']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await q(LIST, { first: 2, after: page.pageInfo.endCursor });
    expect(rest.data.app.certificates.nodes.map((n: { hostname: string }) => n.hostname)).toEqual(['www.shop.example']);
    expect(rest.data.app.certificates.pageInfo.hasNextPage).toBe(false);
    const filtered = await q(LIST, { filter: 'www' });
    expect(filtered.data.app.certificates).toMatchObject({ totalCount: 1, nodes: [{ hostname: 'www.shop.example' }] });

    built.emu.resetRequestCounts();
    const detailed = await q(LIST_WITH_DETAIL);
    expect(detailed.data.app.certificates.nodes).toHaveLength(3);
    // www.shop.example's detail is still cached from the test above; the two others are asked once each.
    expect(built.emu.requestCounts()).toEqual({ 'certificates.list': 1, 'certificates.get': 2 });
  });

  it('should move to ISSUED once DNS points at the app: check drops the cached detail, and the next read shows the certificate', async () => {
    built.emu.control.setDns('www.shop.example', { cname: ['shop.fly.dev'] });
    const checked = await q(CHECK, { hostname: 'www.shop.example' });
    expect(checked.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.check': 1 });
    expect(checked.data.checkCertificate).toMatchObject({
      certificate: { status: 'AWAITING_CERTIFICATE', configured: true, dnsRecordsToAdd: [] },
      dnsFound: { cname: ['shop.fly.dev'], a: [] },
    });
    await emulatorClock.advance(999);
    expect(built.emu.control.getCertificate(app, 'www.shop.example').status).toBe('awaiting_certificates');
    await emulatorClock.advance(1);
    const after = await q(ONE, { hostname: 'www.shop.example' });
    expect(after.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 1, 'certificates.get': 1 });
    const cert = after.data.app.certificate;
    expect(cert).toMatchObject({ status: 'ISSUED', configured: true, dnsRecordsToAdd: [], validationErrors: [] });
    expect(cert.validation).toMatchObject({ alpnConfigured: true, httpConfigured: true });
    expect(cert.certificates).toEqual([
      expect.objectContaining({ source: 'FLY', status: 'active', keyTypes: ['ecdsa', 'rsa'], expiresAt: expect.any(String) }),
    ]);
  });

  it('should upload a custom certificate, keep the private key out of the answer, and refuse a key that does not match', async () => {
    const added = await q(ADD_CUSTOM, { hostname: TEST_CERT_HOSTNAME, fullchain: TEST_FULLCHAIN, privateKey: TEST_PRIVATE_KEY });
    expect(added.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.custom.create': 1 });
    expect(added.data.addCustomCertificate.certificate).toMatchObject({
      status: 'ISSUED',
      acmeRequested: false,
      certificates: [{ source: 'CUSTOM', status: 'active', issuer: 'Flygate Test CA', keyTypes: ['ecdsa'] }],
    });
    const refused = await q(ADD_CUSTOM, { hostname: TEST_CERT_HOSTNAME, fullchain: TEST_FULLCHAIN, privateKey: OTHER_PRIVATE_KEY });
    expect(refused.data.addCustomCertificate).toMatchObject({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT' });
    expect(refused.data.addCustomCertificate.message).toContain('does not match');
    const notPem = await q(ADD_CUSTOM, { hostname: TEST_CERT_HOSTNAME, fullchain: TEST_FULLCHAIN, privateKey: 'hunter2-not-a-key' });
    expect(notPem.data.addCustomCertificate).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.privateKey' }] });
    expect(notPem.extensions.upstreamCalls.byOperation).toEqual({});
    for (const answer of [added, refused, notPem]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(TEST_PRIVATE_KEY.split('\n')[1]);
      expect(text).not.toContain('hunter2');
    }
  });

  it('should remove the custom certificate with a warning when none is left, the ACME one, then the hostname', async () => {
    const custom = await q(DELETE_CUSTOM, { hostname: TEST_CERT_HOSTNAME });
    expect(custom.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.custom.delete': 1 });
    expect(custom.data.deleteCustomCertificate).toMatchObject({
      warning: expect.stringContaining('no certificate left'),
      certificate: { status: 'NOT_REQUESTED' },
    });
    const again = await q(DELETE_CUSTOM, { hostname: TEST_CERT_HOSTNAME });
    expect(again.data.deleteCustomCertificate.__typename).toBe('NotFoundError');
    const acme = await q(DELETE_ACME, { hostname: 'www.shop.example' });
    expect(acme.data.deleteAcmeCertificate).toMatchObject({ certificate: { status: 'NOT_REQUESTED', acmeRequested: false } });
    const removed = await q(DELETE, { hostname: 'www.shop.example' });
    expect(removed.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.delete': 1 });
    expect(removed.data.deleteCertificate).toEqual({ __typename: 'DeleteCertificateSuccess', hostname: 'www.shop.example' });
    expect((await q(ONE, { hostname: 'www.shop.example' })).data.app.certificate).toBeNull();
    expect((await q(DELETE, { hostname: 'www.shop.example' })).data.deleteCertificate.__typename).toBe('NotFoundError');
  });

  it('should refuse a bad hostname before Fly is asked, and a hostname another app holds as Fly does', async () => {
    const bad = await q(ADD, { hostname: 'Not A Host' });
    expect(bad.data.addCertificate).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.hostname' }] });
    expect(bad.extensions.upstreamCalls.byOperation).toEqual({});
    const taken = await ask(built, ADD, { app: 'elsewhere', hostname: 'shop.example' });
    expect(taken.data.addCertificate).toMatchObject({ __typename: 'InvalidInputError', message: expect.stringContaining('another app') });
    expect(taken.extensions.upstreamCalls.byOperation).toEqual({ 'certificates.acme.create': 1 });
  });
});

describe('who may see and change certificates', () => {
  it('should let a read key list and read certificates but not add, check or delete them (FORBIDDEN, nothing sent to Fly)', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` } });
    try {
      built.emu.control.createApp('keyed');
      built.emu.control.addCertificate('keyed', 'www.keyed.example');
      const asReader = (query: string, hostname: string) => ask(built, query, { app: 'keyed', hostname }, `Bearer ${reader.key}`);
      expect((await asReader(ONE, 'www.keyed.example')).data.app.certificate.status).toBe('AWAITING_CONFIGURATION');
      expect((await ask(built, LIST, { app: 'keyed' }, `Bearer ${reader.key}`)).data.app.certificates.totalCount).toBe(1);
      built.emu.resetRequestCounts();
      for (const [mutation, field] of [
        [ADD, 'addCertificate'],
        [CHECK, 'checkCertificate'],
        [DELETE, 'deleteCertificate'],
        [DELETE_ACME, 'deleteAcmeCertificate'],
        [DELETE_CUSTOM, 'deleteCustomCertificate'],
      ] as const) {
        expect((await asReader(mutation, 'www.keyed.example')).data[field].__typename).toBe('ForbiddenError');
      }
      const custom = await ask(
        built,
        ADD_CUSTOM,
        { app: 'keyed', hostname: TEST_CERT_HOSTNAME, fullchain: TEST_FULLCHAIN, privateKey: TEST_PRIVATE_KEY },
        `Bearer ${reader.key}`,
      );
      expect(custom.data.addCustomCertificate.__typename).toBe('ForbiddenError');
      expect(built.emu.requestCounts()).toEqual({});
      const written = await ask(built, ADD, { app: 'keyed', hostname: 'api.keyed.example' }, `Bearer ${writer.key}`);
      expect(written.data.addCertificate.__typename).toBe('AddCertificateSuccess');
      expect(built.emu.requestCounts()).toEqual({ 'certificates.acme.create': 1 });
    } finally {
      await built.close();
    }
  });

  it("should keep another tenant's certificates out of reach in fly-token mode: nothing read, nothing changed", async () => {
    const TOKEN_A = 'emu_tenant_cert_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_cert_b_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['cert-a'], [TOKEN_B]: ['cert-b'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('cert-a');
      emu.control.createApp('cert-b');
      emu.control.addCertificate('cert-a', 'www.cert-a.example');
      const own = await ask(built, ONE, { app: 'cert-a', hostname: 'www.cert-a.example' }, `Bearer ${TOKEN_A}`);
      expect(own.data.app.certificate.hostname).toBe('www.cert-a.example');
      const stranger = await ask(built, ONE, { app: 'cert-a', hostname: 'www.cert-a.example' }, `Bearer ${TOKEN_B}`);
      // Fly tells the token the app does not exist; the gateway answers as for any app that does not exist: null.
      expect(stranger.data.app).toBeNull();
      expect(JSON.stringify(stranger)).not.toContain('www.cert-a.example');
      emu.resetRequestCounts();
      const deleted = await ask(built, DELETE, { app: 'cert-a', hostname: 'www.cert-a.example' }, `Bearer ${TOKEN_B}`);
      expect(['ForbiddenError', 'NotFoundError']).toContain(deleted.data.deleteCertificate.__typename);
      const added = await ask(built, ADD, { app: 'cert-a', hostname: 'evil.cert-a.example' }, `Bearer ${TOKEN_B}`);
      expect(['ForbiddenError', 'NotFoundError']).toContain(added.data.addCertificate.__typename);
      expect(Object.keys(emu.requestCounts()).filter((route) => route.startsWith('certificates.'))).toEqual([]);
      expect(emu.control.getCertificate('cert-a', 'www.cert-a.example').hostname).toBe('www.cert-a.example');
      const mine = await ask(built, ADD, { app: 'cert-b', hostname: 'www.cert-b.example' }, `Bearer ${TOKEN_B}`);
      expect(mine.data.addCertificate.__typename).toBe('AddCertificateSuccess');
    } finally {
      await built.close();
      await emu.stop();
    }
  });

  it('should serve certificates with no auth at all when AUTH_MODE is none', async () => {
    const built = await buildTestGateway({ env: { AUTH_MODE: 'none' } });
    try {
      built.emu.control.createApp('open');
      const added = await ask(built, ADD, { app: 'open', hostname: 'www.open.example' });
      expect(added.data.addCertificate.__typename).toBe('AddCertificateSuccess');
      expect((await ask(built, ONE, { app: 'open', hostname: 'www.open.example' })).data.app.certificate.acmeRequested).toBe(true);
    } finally {
      await built.close();
    }
  });
});
