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
const listPaths = new Set(['webhooks.secrets', 'server.corsOrigins']);

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
  const issues: ConfigIssue[] = [];
  const base = readJson(file, issues);
  for (const secret of secretPaths) {
    if (getPath(base, secret) !== undefined) {
      issues.push({ key: `${path.basename(file)}: ${secret}`, message: 'secrets are read from the environment only; remove it from the file' });
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

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const dotted = issue.path.join('.');
      const owner = [...fromEnv.keys()].find((p) => dotted === p || dotted.startsWith(`${p}.`));
      const key = owner ? fromEnv.get(owner)! : `${path.basename(file)}: ${dotted || '(root)'}`;
      issues.push({ key, message: describeIssue(issue, owner !== undefined && isSecret(owner) ? undefined : getPath(merged, dotted)) });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  return deepFreeze(parsed.data);
}

function isSecret(p: string): boolean {
  return (secretPaths as readonly string[]).includes(p);
}

function describeIssue(issue: { message: string; code: string }, value: unknown): string {
  const shown = value === undefined ? '' : `, got ${JSON.stringify(value)}`;
  if (issue.code === 'invalid_type' && value === undefined) return 'is required';
  return `${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}

function readJson(file: string, issues: ConfigIssue[]): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    issues.push({ key: path.basename(file), message: 'expected a JSON object' });
  } catch (error) {
    issues.push({ key: path.basename(file), message: `cannot read: ${(error as Error).message}` });
  }
  return {};
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
