import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, envBindings, secretPaths, type Config } from './schema.js';

/** One problem found while loading configuration. `key` is the env variable or `file: path` it came from. */
export interface ConfigIssue {
  key: string;
  message: string;
}

/** Every configuration problem at once, so a user fixes them in one go. Never echoes secret values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`);
  }
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Variables to read; pass `process.env` from the entry point only. */
  env: Record<string, string | undefined>;
  /** Folder holding `<env>.json`. @default the repository's `config/` */
  configDir?: string;
}

/** Config paths whose environment variable holds a space- or comma-separated list. */
const listPaths = new Set(['webhooks.secrets', 'server.corsOrigins', 'auth.apiKeys', 'auth.oidc.algorithms', 'fly.orgs']);

const defaultConfigDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../config');

/**
 * Reads `config/<APP_ENV>.json`, overlays the environment variables in `envBindings`, validates the result with one
 * zod schema and returns it frozen. Throws {@link ConfigError} listing every problem.
 */
export function loadConfig({ env, configDir = defaultConfigDir }: LoadConfigOptions): Readonly<Config> {
  const appEnv = env.APP_ENV?.trim() || 'development';
  if (!['development', 'staging', 'production'].includes(appEnv)) {
    throw new ConfigError([{ key: 'APP_ENV', message: `expected development, staging or production, got "${appEnv}"` }]);
  }
  const file = path.join(configDir, `${appEnv}.json`);
  const base = readJson(file);
  // Without the file every key it holds would also be reported missing; the one real problem is the file.
  if (typeof base === 'string') throw new ConfigError([{ key: path.basename(file), message: base }]);
  const issues: ConfigIssue[] = [];
  for (const secret of secretPaths) {
    if (getPath(base, secret) !== undefined) {
      issues.push({
        key: `${path.basename(file)}: ${secret}`,
        message: 'secrets are read from the environment only; remove it from the file',
      });
    }
  }

  const merged: Record<string, unknown> = { ...base, env: appEnv };
  const fromEnv = new Map<string, string>();
  for (const [name, target] of Object.entries(envBindings)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    setPath(merged, target, listPaths.has(target) ? splitList(raw) : raw.trim());
    fromEnv.set(target, name);
  }
  if (getPath(merged, 'webhooks.secrets') === undefined) setPath(merged, 'webhooks.secrets', []);
  if (getPath(merged, 'auth.apiKeys') === undefined) setPath(merged, 'auth.apiKeys', []);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const dotted = issue.path.join('.');
      const owner = [...fromEnv.keys()].find((p) => dotted === p || dotted.startsWith(`${p}.`));
      // `dotted` is never empty: `merged` is always an object, so zod only complains about keys inside it.
      const key = owner ? fromEnv.get(owner)! : `${path.basename(file)}: ${dotted}`;
      issues.push({ key, message: describeIssue(issue, isSecret(owner) ? undefined : getPath(merged, dotted)) });
    }
  }
  if (parsed.success) issues.push(...accessIssues(parsed.data));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  return deepFreeze(parsed.data);
}

/** Access settings that only make sense together (docs/RUNBOOK.md, "Access"), and production's need for Fly. */
function accessIssues(config: Config): ConfigIssue[] {
  const { auth } = config;
  const issues: ConfigIssue[] = [];
  if (config.env === 'production' && auth.mode === 'none' && !auth.allowNone) {
    issues.push({ key: 'AUTH_MODE', message: 'a production gateway needs api-keys or fly-token (or AUTH_ALLOW_NONE=true to run open)' });
  }
  if (auth.mode === 'api-keys' && auth.apiKeys.length === 0 && !auth.keysFile) {
    issues.push({
      key: 'API_KEYS',
      message: 'AUTH_MODE=api-keys needs at least one entry, or API_KEYS_FILE (npm run key:create -- NAME SCOPES)',
    });
  }
  if (auth.mode === 'oidc') {
    if (!auth.oidc.issuer) issues.push({ key: 'OIDC_ISSUER', message: 'AUTH_MODE=oidc needs the issuer whose tokens are accepted' });
    if (!auth.oidc.audience) issues.push({ key: 'OIDC_AUDIENCE', message: 'AUTH_MODE=oidc needs the audience tokens must name' });
  }
  // Without a token the gateway serves the embedded emulator's made-up machines: never what production meant.
  if (config.env === 'production' && !config.fly.token) {
    issues.push({
      key: 'FLY_API_TOKEN',
      message: "a production gateway needs a Fly API token; without one it would serve the demo emulator's fake data",
    });
  } else if (auth.mode === 'fly-token' && !config.fly.token && config.env !== 'development') {
    issues.push({
      key: 'FLY_API_TOKEN',
      message: "AUTH_MODE=fly-token still needs the gateway's own (read-only) token for the sync job, readiness and event lookups",
    });
  }
  return issues;
}

function isSecret(p: string | undefined): boolean {
  return (secretPaths as readonly (string | undefined)[]).includes(p);
}

function describeIssue(issue: { message: string; code: string }, value: unknown): string {
  const shown = value === undefined ? '' : `, got ${JSON.stringify(value)}`;
  if (issue.code === 'invalid_type' && value === undefined) return 'is required';
  return `${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}

/** The file's top-level object, or what is wrong with the file. */
function readJson(file: string): Record<string, unknown> | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read: ${(error as Error).message}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the text around the error, which may be a secret someone put in the file.
    return 'is not valid JSON';
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return 'expected a JSON object';
}

function splitList(raw: string): string[] {
  return raw.split(/[\s,]+/).filter(Boolean);
}

function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    cur[part] = next && typeof next === 'object' ? { ...(next as object) } : {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
