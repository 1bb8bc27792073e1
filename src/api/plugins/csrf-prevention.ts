import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** `extensions.code` of a GraphQL request refused because a browser could have sent it cross-site. */
export const CSRF_PREVENTED = 'CSRF_PREVENTED';

/**
 * Headers that no HTML form or simple fetch can set, so their presence means the browser sent a CORS preflight
 * first (and the CORS policy approved the origin). The names Apollo Router and Apollo clients use are accepted too.
 */
export const preflightHeaders = ['x-graphql-csrf', 'graphql-require-preflight', 'apollo-require-preflight'] as const;

/** Request bodies a browser only sends cross-site after a preflight. */
const preflightedContentTypes = new Set(['application/json', 'application/graphql-response+json']);

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

function isPreflighted(request: Request): boolean {
  if (preflightHeaders.some((name) => request.headers.has(name))) return true;
  return request.method.toUpperCase() === 'POST' && preflightedContentTypes.has(mediaType(request));
}

/**
 * Cross-site request forgery guard for the GraphQL endpoint. A form post (urlencoded, multipart, text/plain), a
 * body without a content type, or a GET without one of {@link preflightHeaders} is what any web page can make a
 * browser send with its cookies and without asking: such a request is answered 400 and never parsed or executed.
 * Runs at request parsing, so GraphiQL's page, plain routes (health, metrics, webhooks) and WebSockets are untouched.
 */
export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (isPreflighted(request)) return;
      throw new GraphQLError(
        request.method.toUpperCase() === 'POST'
          ? 'Refused as a possible cross-site request: send the body with content-type application/json.'
          : `Refused as a possible cross-site request: a GET needs one of these headers: ${preflightHeaders.join(', ')}.`,
        { extensions: { code: CSRF_PREVENTED, http: { status: 400 } } },
      );
    },
  };
}
