/**
 * `npm run key:create -- NAME SCOPES`: prints a new API key (give it to the client, once) and the `API_KEYS` entry
 * that accepts it (only its sha256 is in the entry). SCOPES is `read`, `write`, `secrets`, `admin` joined by `+`.
 */
import { createKey, parseScopes } from '../src/api/auth/keys.js';

const [name, scopes] = process.argv.slice(2);
if (!name || !scopes) {
  process.stderr.write('usage: npm run key:create -- NAME SCOPES   (SCOPES: read, write, secrets, admin joined by +, e.g. read+write)\n');
  process.exit(2);
}
try {
  const { key, entry } = createKey(name, parseScopes(scopes));
  process.stdout.write(
    [
      `key:   ${key}`,
      `entry: ${entry}`,
      '',
      'Give the key to the client (Authorization: Bearer <key>); it is not stored anywhere.',
      'Append the entry to API_KEYS (comma-separated). Keep the old entry of the same name until clients have moved, then remove it.',
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
