import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphiQLOptions } from 'graphql-yoga';

/** Where the gateway serves GraphiQL's own scripts, styles and editor workers. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

const assetTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Files we serve, relative to the package's `dist/`. A fixed list: no path from the URL ever reaches the disk. */
const assetFiles = [
  'yoga-graphiql.umd.js',
  'graphiql.css',
  'monacoeditorwork/editor.worker.bundle.js',
  'monacoeditorwork/json.worker.bundle.js',
  'monacoeditorwork/graphql.worker..bundle.js',
];

function escapeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * The tab bar is a framer-motion reorder list, and the bundle leaves each tab opened at start with an unfinished
 * layout animation: an inline `translateX` that never returns to 0. GraphiQL's stylesheet hides it only while the
 * tab holds no focus, so a mouse press focuses the tab's button, the tab jumps away from under the pointer and the
 * release lands elsewhere: no click, no switch. Hiding the transform always keeps tabs where they are drawn; the
 * price is that a tab dragged to a new place does not follow the pointer (the order still changes on release).
 */
const TAB_TRANSFORM_FIX = '.graphiql-tab{transform:none!important}';

/**
 * yoga's default page loads GraphiQL from a public CDN and stays blank without internet. This page loads the same
 * bundle (shipped by `@graphql-yoga/graphiql`) from the gateway itself.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  const worker = (file: string) => `${GRAPHIQL_ASSET_PREFIX}monacoeditorwork/${file}`;
  const title = options.title ?? 'Flygate';
  // The bundle opens its first tab with `query` (it ignores `defaultQuery` there), so pass the example explicitly.
  const pageOptions = { ...options, query: options.defaultQuery ?? options.defaultTabs?.[0]?.query };
  const examplesVersion = createHash('sha256')
    .update(JSON.stringify(options.defaultTabs ?? []))
    .digest('hex')
    .slice(0, 16);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title.replace(/[<>&"]/g, '')}</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.css">
<style>${TAB_TRANSFORM_FIX}</style>
</head>
<body class="no-focus-outline">
<div id="root">Loading GraphiQL…</div>
<script>
  // GraphiQL restores the tabs it stored, with the ids of an earlier start; new examples replace them.
  try {
    if (localStorage.getItem('flygate:examples') !== ${escapeForScript(examplesVersion)}) {
      for (const key of ['tabState', 'query', 'variables', 'operationName']) localStorage.removeItem('graphiql:' + key);
      localStorage.setItem('flygate:examples', ${escapeForScript(examplesVersion)});
    }
  } catch {}
  // Monaco asks for its workers by label; they are served from this origin.
  const flygateWorkers = {
    editorWorkerService: ${escapeForScript(worker('editor.worker.bundle.js'))},
    json: ${escapeForScript(worker('json.worker.bundle.js'))},
    graphql: ${escapeForScript(worker('graphql.worker..bundle.js'))},
  };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => flygateWorkers[label] || flygateWorkers.editorWorkerService };
</script>
<script src="${GRAPHIQL_ASSET_PREFIX}yoga-graphiql.umd.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${escapeForScript(pageOptions)});</script>
</body>
</html>`;
}

/** Serves GraphiQL's static files from `node_modules`, cached in memory after the first read. */
export function createGraphiQLAssets(): { serve(pathname: string): Promise<Response | undefined> } {
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@graphql-yoga/graphiql/package.json')), 'dist');
  const cache = new Map<string, Promise<Buffer>>();
  return {
    async serve(pathname) {
      if (!pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return undefined;
      const file = pathname.slice(GRAPHIQL_ASSET_PREFIX.length);
      if (!assetFiles.includes(file)) return new Response('Not found', { status: 404 });
      let body = cache.get(file);
      if (!body) {
        body = readFile(path.join(dist, file));
        cache.set(file, body);
      }
      return new Response(new Uint8Array(await body), {
        headers: {
          'content-type': assetTypes[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'public, max-age=86400',
        },
      });
    },
  };
}
