/**
 * `npm run key:create -- NAME SCOPES [APPS]`: prints a new API key (give it to the client, once) and the `API_KEYS`
 * entry that accepts it (only its sha256 is in the entry). SCOPES is `read`, `write`, `secrets`, `admin` joined by `+`; APPS,
 * when given, limits the key to those apps (names, or prefixes ending in `*`, joined by `|`).
 */
import { createKey, parseScopes } from '../src/api/auth/keys.js';

const [name, scopes, apps] = process.argv.slice(2);
if (!name || !scopes) {
  process.stderr.write(
    'usage: npm run key:create -- NAME SCOPES [APPS]   (SCOPES: read, write, secrets, admin joined by +, e.g. read+write; APPS: e.g. web|team-a-*)\n',
  );
  process.exit(2);
}
try {
  const { key, entry } = createKey(name, parseScopes(scopes), apps);
  process.stdout.write(
    [
      `key:   ${key}`,
      `entry: ${entry}`,
      '',
      'Give the key to the client (Authorization: Bearer <key>); it is not stored anywhere.',
      'Append the entry to API_KEYS (comma-separated) or as a line of API_KEYS_FILE. Keep the old entry of the same name until clients have moved, then remove it.',
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
