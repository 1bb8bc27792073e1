import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { builder } from '../builder.js';
import { ErrorCode } from '../errors.js';

/** Deepest nesting of objects and lists a JSON argument may have; deeper input would exhaust recursive code later. */
export const MAX_JSON_DEPTH = 64;

function tooDeep(node?: ValueNode): GraphQLError {
  return new GraphQLError(`JSON input may nest objects and lists at most ${MAX_JSON_DEPTH} levels deep.`, {
    nodes: node,
    extensions: { code: ErrorCode.BadUserInput },
  });
}

/** Throws BAD_USER_INPUT when `value` nests deeper than {@link MAX_JSON_DEPTH}. Iterative: any depth is safe to check. */
export function assertJsonDepth(value: unknown, node?: ValueNode): void {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw tooDeep(node);
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, depth + 1]);
  }
}

/** The same bound on a literal, before graphql-scalars walks it recursively. */
function assertLiteralDepth(literal: ValueNode): void {
  const pending: [ValueNode, number][] = [[literal, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node.kind !== Kind.OBJECT && node.kind !== Kind.LIST) continue;
    if (depth > MAX_JSON_DEPTH) throw tooDeep(literal);
    const children = node.kind === Kind.OBJECT ? node.fields.map((field) => field.value) : node.values;
    for (const child of children) pending.push([child, depth + 1]);
  }
}

/** graphql-scalars' JSON with its input depth bounded, in variables and in literals alike. */
const BoundedJSON = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue(value) {
    assertJsonDepth(value);
    return JSONResolver.parseValue(value);
  },
  parseLiteral(ast, variables) {
    assertLiteralDepth(ast);
    const value: unknown = JSONResolver.parseLiteral(ast, variables);
    // Variables inside the literal were bounded on their own; together they may still be too deep.
    assertJsonDepth(value, ast);
    return value;
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', BoundedJSON);

/** Fly sends RFC 3339 strings; a missing or unparsable one becomes null rather than a resolver error. */
export function parseTimestamp(value: string | number | undefined | null): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
