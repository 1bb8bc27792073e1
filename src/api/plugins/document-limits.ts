import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/schema.js';

/** Stable `extensions.code` of each document limit, so clients and tests need not parse messages. */
export const LimitCode = {
  Depth: 'MAX_DEPTH_EXCEEDED',
  Aliases: 'MAX_ALIASES_EXCEEDED',
  Tokens: 'MAX_TOKENS_EXCEEDED',
  Cost: 'MAX_COST_EXCEEDED',
  Directives: 'MAX_DIRECTIVES_EXCEEDED',
} as const;

/** Armor prefixes every rejection with "Syntax Error:", which misleads: the document parsed fine. */
function limitMessage(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, '');
}

function withCode(error: GraphQLError, code: string): void {
  // The tokens limit fires inside the parser, where the only way to label the error is on the error itself.
  (error.extensions as Record<string, unknown>).code = code;
}

/**
 * Armor throws from inside validation by default, which yoga answers with 200. Reporting the rejection as a
 * validation error instead gives the 400 that GraphQL over HTTP asks for, with a stable code; execution never starts.
 */
function asValidationError(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) =>
        ctx?.reportError(new GraphQLError(limitMessage(error), { nodes: error.nodes, extensions: { code } })),
    ],
  };
}

/** Depth, alias, token, cost and directive limits from config, rejected before execution with stable codes. */
export function useDocumentLimits(g: Readonly<Config['graphql']>): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: g.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError(LimitCode.Depth) },
    maxAliases: { n: g.maxAliases, ...asValidationError(LimitCode.Aliases) },
    maxTokens: { n: g.maxTokens, onReject: [(_ctx, error) => withCode(error, LimitCode.Tokens)] },
    costLimit: { maxCost: g.maxCost, ...asValidationError(LimitCode.Cost) },
    maxDirectives: { n: 50, ...asValidationError(LimitCode.Directives) },
    blockFieldSuggestion: { enabled: g.maskSuggestions },
  }) as Plugin;
}
