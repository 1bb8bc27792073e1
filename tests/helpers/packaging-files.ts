import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

/** The repository root (where Dockerfile and fly.toml live). */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** One Dockerfile instruction: its keyword (upper case) and the rest of the line, continuations joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** One build stage: from `FROM` up to the next. */
export interface DockerStage {
  from: string;
  name?: string;
  instructions: DockerInstruction[];
}

/**
 * Reads the Dockerfile into stages. Enough of the format for our own file: comments, blank lines and `\`
 * continuations; no heredocs or parser directives beyond the leading `# syntax` comment.
 */
export function readDockerfile(file = path.join(repoRoot, 'Dockerfile')): { args: Record<string, string>; stages: DockerStage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const entry of logical) {
    const space = entry.search(/\s/);
    const keyword = entry.slice(0, space).toUpperCase();
    const rest = entry.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}/g, (_, key: string) => args[key] ?? '');
      stages.push({ from, ...(as?.toUpperCase() === 'AS' ? { name } : {}), instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [key, value = ''] = rest.split('=');
      args[key] = value;
    } else {
      stages.at(-1)!.instructions.push({ keyword, args: rest });
    }
  }
  return { args, stages };
}

/** `ENV A=1 B=2` (and the old `ENV A 1` form) of one stage, merged in order. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key, ...value] = args.split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[match[1]] = match[2].replace(/^"|"$/g, '');
  }
  return env;
}

/** The JSON (exec) form of CMD, HEALTHCHECK's CMD or ENTRYPOINT as an argv array. */
export function execForm(args: string): string[] {
  const start = args.indexOf('[');
  if (start < 0) throw new Error(`expected the exec (JSON array) form, got: ${args}`);
  return JSON.parse(args.slice(start)) as string[];
}

/** fly.toml, parsed. */
export function readFlyToml(file = path.join(repoRoot, 'fly.toml')): Record<string, unknown> {
  return parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Fly's duration strings (`"15s"`, `"1m30s"`, `"500ms"`) or a bare number of seconds, in ms. */
export function flyDurationMs(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  const text = String(value);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0];
  }
  if (consumed !== text || consumed === '') throw new Error(`not a Fly duration: ${text}`);
  return total;
}

/**
 * An `API_KEYS` value (`name:scopes:sha256hex`) for starting the production config in tests: fly.toml sets
 * `AUTH_MODE=api-keys`, which needs at least one entry. The key itself is never used.
 */
export const STAND_IN_API_KEYS = `deploy-test:read:${createHash('sha256').update('stand-in key').digest('hex')}`;
