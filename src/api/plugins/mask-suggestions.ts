import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js appends hints such as ` Did you mean "image"?` or ` Did you mean the enum value "ALWAYS"?` to
 * validation and variable coercion messages; each hint ends at its question mark (GraphQL names hold none).
 */
const hint = /\s*Did you mean\b[^?]*\?/;
const hints = new RegExp(hint.source, 'g');

/** The message without any "Did you mean" hint. */
export function stripSuggestions(message: string): string {
  return message.replace(hints, '');
}

/** The same error with its hints removed (the error itself when it has none). */
export function withoutSuggestions<E extends Error>(error: E): E {
  if (!hint.test(error.message)) return error;
  const message = stripSuggestions(error.message);
  if (!(error instanceof GraphQLError)) return Object.assign(new Error(message), { name: error.name }) as E;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  }) as unknown as E;
}

/**
 * Removes every "Did you mean" hint from validation errors (HTTP and WebSocket both validate through envelop).
 * Errors found later, e.g. a misspelt enum value or input field in a variable, pass through yoga's error masking,
 * which the gateway wraps with {@link withoutSuggestions} as well.
 */
export function useMaskSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((error) => withoutSuggestions(error)));
      };
    },
  };
}
