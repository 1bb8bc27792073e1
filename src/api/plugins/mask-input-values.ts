import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js words a variable it cannot coerce as `Variable "$input" got invalid value { …the whole value… } at
 * "input.x"; <reason>`, quoting every field the client sent, write-only ones too (a certificate's private key, a
 * secret's value). Those messages reach the client, the log and the span, so the quoted value is cut out: the
 * variable, the path and the reason stay, which is all a client needs to fix its request.
 */
const COERCION = /^Variable "\$(\w+)" got invalid value /;
// The path graphql-js prints is made of names and list indexes only.
const PATH = / at "(\$?[\w.[\]]+)"; /g;
// Scalar reasons end with the offending value (`String cannot represent a non string value: {…}`).
const VALUE_IN_REASON = /^(.*?\bcannot represent\b[^:]*?):.*$/s;

/** The message without the input value graphql-js quoted in it (unchanged when it quotes none). */
export function withoutInputValue(message: string): string {
  const variable = COERCION.exec(message);
  if (!variable) return message;
  const reason = message.slice(message.lastIndexOf('; ') + 2).replace(VALUE_IN_REASON, '$1.');
  const paths = [...message.matchAll(PATH)];
  const path = paths.length > 0 ? ` at "${paths[paths.length - 1][1]}"` : '';
  return `Variable "$${variable[1]}" got invalid value${path}; ${reason}`;
}

function scrubbed(error: GraphQLError): GraphQLError {
  const message = withoutInputValue(error.message);
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: error.extensions,
  });
}

type Result = { errors?: readonly GraphQLError[] } & Record<string, unknown>;
const isSingle = (result: unknown): result is Result => !!result && typeof result === 'object' && !(Symbol.asyncIterator in result);

function mapErrors(result: unknown, setResult: (result: never) => void): void {
  if (!isSingle(result) || !result.errors?.length) return;
  const errors = result.errors.map(scrubbed);
  if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors } as never);
}

/**
 * Cuts quoted input values out of variable coercion errors, for queries, mutations and subscriptions over every
 * transport (they all execute through envelop), before the errors are masked, logged or traced.
 */
export function useMaskInputValues(): Plugin {
  return {
    onExecute: () => ({ onExecuteDone: ({ result, setResult }) => mapErrors(result, setResult) }),
    onSubscribe: () => ({ onSubscribeResult: ({ result, setResult }) => mapErrors(result, setResult) }),
  };
}
