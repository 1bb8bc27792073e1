import type { Plugin } from 'graphql-yoga';

const PLAIN = { 'content-type': 'text/plain; charset=utf-8' };

/** Whether the request asks for a type JSON answers can be: then a 406 means the result is a stream. */
function acceptsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '*/*';
  return /application\/(graphql-response\+)?json|\*\/\*/.test(accept);
}

/**
 * yoga answers 406 with an empty body, which tells nobody anything. This says why: a browser opened the endpoint
 * while GraphiQL is off (`graphiqlOff` names the setting), or a streamed result (`@live`, a subscription, `@defer`/`@stream`) was
 * asked for as plain JSON.
 */
export function useNotAcceptableExplained({ graphqlEndpoint, graphiqlOff }: { graphqlEndpoint: string; graphiqlOff?: string }): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (!graphiqlOff || url.pathname !== graphqlEndpoint || request.method !== 'GET') return;
      // A page load: HTML wanted and nothing a GraphQL client would ask for.
      const accept = request.headers.get('accept') ?? '';
      if (!accept.includes('text/html') || /json|event-stream|multipart/.test(accept)) return;
      const message = [
        `This is Flygate's GraphQL endpoint. GraphiQL is not served here: ${graphiqlOff}.`,
        'Send GraphQL requests as POST with content-type: application/json and accept: application/json.',
      ].join('\n');
      endResponse(new Response(`${message}\n`, { status: 406, headers: PLAIN }));
    },
    onResponse({ request, response, setResponse }) {
      if (response.status !== 406 || response.body !== null) return;
      const message = acceptsJson(request)
        ? 'This operation answers with a stream (@live query, subscription, @defer or @stream), which plain JSON cannot carry: send ' +
          'accept: text/event-stream (or multipart/mixed), or use the WebSocket endpoint.'
        : 'None of the media types in the accept header can carry a GraphQL answer: accept application/json, ' +
          'application/graphql-response+json, text/event-stream or multipart/mixed.';
      const headers = new Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      setResponse(
        new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'NOT_ACCEPTABLE' } }] }), { status: 406, headers }),
      );
    },
  };
}
