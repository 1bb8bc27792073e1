/**
 * Which apps a caller may reach (an app-scoped API key, or an OIDC token's claims), and the one place that holds a
 * caller to them: {@link withAppScope} wraps the caller's Fly client, so every field, mutation, loader, live query
 * and use case that reaches Fly through `ctx.services` or `ctx.loaders` is held to the scope without knowing of it.
 */
import { FlyApiError, FlyErrorCode } from '../flyio/errors.js';
import type { CallOptions, FlyClient, Page } from '../flyio/types.js';
import type { FlyApp } from '../flyio/wire/app.js';

/** Apps by exact name and by prefix (`team-a-*`); `text` is the canonical spelling (sorted, `|`-joined). */
export interface AppScope {
  readonly names: ReadonlySet<string>;
  readonly prefixes: readonly string[];
  readonly text: string;
}

const APP_PATTERN = /^[a-z0-9][a-z0-9-]*\*?$|^\*$/;

/**
 * Parses `web|api|team-a-*` (names, or prefixes ending in `*`; `*` alone is every app). Throws on an empty list or
 * a word that is not an app name or prefix.
 */
export function parseAppScope(text: string): AppScope {
  const words = text
    .split('|')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) throw new Error('expected app names or prefixes joined by "|"');
  for (const word of words) {
    if (!APP_PATTERN.test(word)) throw new Error(`"${word}" is neither an app name nor a prefix ending in "*"`);
  }
  const unique = [...new Set(words)].sort();
  return {
    names: new Set(unique.filter((w) => !w.endsWith('*'))),
    prefixes: unique.filter((w) => w.endsWith('*')).map((w) => w.slice(0, -1)),
    text: unique.join('|'),
  };
}

/** Builds a scope from lists of names and prefixes (OIDC claims), or undefined when both are empty. */
export function appScopeOf(names: readonly string[], prefixes: readonly string[] = []): AppScope | undefined {
  const words = [...names, ...prefixes.map((p) => (p.endsWith('*') ? p : `${p}*`))];
  return words.length === 0 ? undefined : parseAppScope(words.join('|'));
}

/** Whether `scope` lets its caller reach `app`. */
export function appAllowed(scope: AppScope, app: string): boolean {
  return scope.names.has(app) || scope.prefixes.some((prefix) => app.startsWith(prefix));
}

/**
 * The refusal of a call outside the scope (never sent): for an app, what Fly says of an app a token cannot see; for a
 * whole organization, that a caller limited to some apps cannot read it.
 */
function outOfScope(operation: string, target: { app: string; org?: string }): FlyApiError {
  return new FlyApiError({
    code: FlyErrorCode.NotFound,
    message:
      target.org === undefined
        ? `The app "${target.app}" is not among the apps this caller may reach.`
        : `This caller may reach some apps only, not the whole organization "${target.org}".`,
    operation,
    credential: 'caller',
  });
}

const SCOPED_CURSOR = /^scoped:(\d+)$/;

type AnyMethod = (input?: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * The app a resource method's input names: the string itself (`apps.get(name)`), `input.app`, or `input.name` of
 * `apps.create`. Undefined when it names none.
 */
function appOfInput(resource: string, method: string, input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (!input || typeof input !== 'object') return undefined;
  const { app, name } = input as { app?: unknown; name?: unknown };
  if (typeof app === 'string') return app;
  if (resource === 'apps' && method === 'create' && typeof name === 'string') return name;
  return undefined;
}

/** Calls that name no app and show nothing of any: let through as they are. */
const UNSCOPED = new Set(['platform.regions', 'tokens.current']);
/** Resources that name no app at all. */
const UNGUARDED = new Set(['platform', 'tokens']);

/**
 * The same client, held to `scope`: a call on another app is refused before it is sent (Fly's "not found", as a
 * token that cannot see the app gets), app lists hold only the scope's apps (paged by the gateway over the whole,
 * cached list), and the organization's machine feed only their machines. A method this wrapper does not know that
 * names no app is refused too: a new resource is closed to scoped callers until it says which app it reads.
 */
export function withAppScope(fly: FlyClient, scope: AppScope): FlyClient {
  const allowed = (app: string) => appAllowed(scope, app);
  const guard = (resource: string, api: object): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [method, value] of Object.entries(api)) {
      if (typeof value !== 'function') {
        out[method] = value;
        continue;
      }
      const call = (value as AnyMethod).bind(api);
      const name = `${resource}.${method}`;
      out[method] = UNSCOPED.has(name)
        ? call
        : (input?: unknown, options?: CallOptions) => {
            const app = appOfInput(resource, method, input);
            if (app === undefined) return Promise.reject(outOfScope(name, { app: '(none)' }));
            return allowed(app) ? call(input, options) : Promise.reject(outOfScope(name, { app }));
          };
    }
    return out;
  };

  const apps = fly.apps;
  const listAll = async (input: Parameters<FlyClient['apps']['listAll']>[0], options?: CallOptions): Promise<FlyApp[]> =>
    (await apps.listAll(input, options)).filter((app) => allowed(app.name));
  const list = async (input: Parameters<FlyClient['apps']['list']>[0], options?: CallOptions): Promise<Page<FlyApp>> => {
    const { cursor, limit, ...rest } = input;
    const all = await listAll(rest, options);
    const start = cursor === undefined ? 0 : Number(SCOPED_CURSOR.exec(cursor)?.[1] ?? all.length);
    const end = limit === undefined ? all.length : start + limit;
    const items = all.slice(start, end);
    return { items, totalCount: all.length, ...(end < all.length ? { nextCursor: `scoped:${end}` } : {}) };
  };

  // Every resource, the ones added later included, is guarded by the app its methods name.
  const scoped: Record<string, unknown> = {};
  for (const [resource, api] of Object.entries(fly)) {
    if (api && typeof api === 'object') scoped[resource] = UNGUARDED.has(resource) ? api : guard(resource, api as object);
  }
  const call: FlyClient['call'] = (operation, input, options) => {
    const target = operation.target(input);
    return allowed(target.app) ? fly.call(operation, input, options) : Promise.reject(outOfScope(operation.name, target));
  };
  const orgs = scoped.orgs as FlyClient['orgs'];
  return {
    ...(scoped as unknown as FlyClient),
    call,
    apps: { ...(scoped.apps as FlyClient['apps']), list, listAll },
    orgs: {
      ...orgs,
      machines: async (input, options) => {
        const response = await fly.orgs.machines(input, options);
        return { ...response, machines: response.machines.filter((m) => m.app_name !== undefined && allowed(m.app_name)) };
      },
    },
    close: () => fly.close(),
  };
}
