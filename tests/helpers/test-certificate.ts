/**
 * A self-signed certificate for `secure.example.test` (valid until 2126) and its key, made for these tests with
 * openssl and used nowhere else: the custom-certificate tests upload them and check the key never comes back.
 * A second key that does not match, for the refusal.
 */
export const TEST_FULLCHAIN = `-----BEGIN CERTIFICATE-----
MIIB5zCCAY2gAwIBAgIUGxCWaDPvrRkI9iQuZdfewDT7zhQwCgYIKoZIzj0EAwIw
ODEcMBoGA1UEAwwTc2VjdXJlLmV4YW1wbGUudGVzdDEYMBYGA1UECgwPRmx5Z2F0
ZSBUZXN0IENBMCAXDTI2MTIwNzE5MDY0OVoYDzIxMjYxMTEzMTkwNjQ5WjA4MRww
GgYDVQQDDBNzZWN1cmUuZXhhbXBsZS50ZXN0MRgwFgYDVQQKDA9GbHlnYXRlIFRl
c3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQe1fHCsKeRhg6OUCfzNmpg
/paDYMtX9kDUBfyXbj3Ek/pX0b7c/LQkpivyd8HxNKKCpwq1Zzj/OZAcuEbBL1PW
o3MwcTAdBgNVHQ4EFgQUXvXfjK64Ml02GAcUZHc7pw+OZlkwHwYDVR0jBBgwFoAU
XvXfjK64Ml02GAcUZHc7pw+OZlkwDwYDVR0TAQH/BAUwAwEB/zAeBgNVHREEFzAV
ghNzZWN1cmUuZXhhbXBsZS50ZXN0MAoGCCqGSM49BAMCA0gAMEUCIEdftG8J+Uxq
/9k3fXvG8Ns8M6VbiaBrJ6h2gT01Ox+rAiEAyB4WIST/s7Clt4vxl99feNNdsIz2
EKpTM2CGNPdXNAk=
-----END CERTIFICATE-----
`;

/** The key of {@link TEST_FULLCHAIN}. */
export const TEST_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggvELwgrpx3ci3JIp
cK2uzTlxhj2164fxn6EciCDx2gOhRANCAAQe1fHCsKeRhg6OUCfzNmpg/paDYMtX
9kDUBfyXbj3Ek/pX0b7c/LQkpivyd8HxNKKCpwq1Zzj/OZAcuEbBL1PW
-----END PRIVATE KEY-----
`;

/** A key that matches no certificate here. */
export const OTHER_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpOlAUcZsUUtvoYKB
siqteYjZc9Muhy0sdyKJfd23ZQqhRANCAAS6Kij+iAfZs4nC00jNdsRmek9MPcOg
VBRqw0qxjWOs0jdzqsSWMd2+MwbSC3SqzHI0GuOHC9N1UAB3tAMTkNyG
-----END PRIVATE KEY-----
`;

/** The hostname {@link TEST_FULLCHAIN} covers. */
export const TEST_CERT_HOSTNAME = 'secure.example.test';
