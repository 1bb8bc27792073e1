import type { Plugin } from 'graphql-yoga';
import type { Route } from '../http/routes.js';

/**
 * Mounts plain routes inside yoga, so that both the node server and in-process `yoga.fetch` reach them and they
 * share yoga's request handling (CORS, error handling, graceful shutdown).
 */
export function useRoutes(routes: Route[]): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      for (const route of routes) {
        const response = await route(request, url);
        if (response) return endResponse(response);
      }
    },
  };
}
