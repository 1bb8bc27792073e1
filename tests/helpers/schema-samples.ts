import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isAbstractType,
  isObjectType,
} from 'graphql';

/** The printed schema (schema/schema.graphql), as every client sees it. */
export function printedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
}

/** Values for arguments and input fields, by name, before the type's own default. */
export type SampleValues = Readonly<Record<string, unknown>>;

/**
 * A value of `type` that passes GraphQL's own coercion (zod may still refuse it), with `named` values used for
 * arguments and input fields of those names. Input objects get their required fields only.
 */
export function sample(type: GraphQLInputType, name: string, named: SampleValues, depth = 0): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, named, depth);
  if (isListType(type)) return [sample(type.ofType, name, named, depth)];
  const base = getNamedType(type);
  if (isEnumType(base)) return base.getValues()[0]!.name;
  if (isInputObjectType(base)) {
    if (depth > 4) return {};
    return Object.fromEntries(
      Object.values(base.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sample(field.type, field.name, named, depth + 1)]),
    );
  }
  if (isScalarType(base)) {
    if (name in named) return named[name];
    switch (base.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return '2026-01-01T00:00:00Z';
      case 'JSON':
      case 'JSONObject':
        return {};
      default:
        return `guard-${name}`;
    }
  }
  return null;
}

/**
 * A selection of `type`: `__typename`, every scalar and enum field without required arguments, and (while `depth`
 * lasts) the object fields without required arguments, each member of a union or interface by an inline fragment.
 */
export function selectionOf(schema: GraphQLSchema, type: GraphQLOutputType, depth: number): string {
  const base = getNamedType(type);
  if (isScalarType(base) || isEnumType(base)) return '';
  if (isAbstractType(base)) {
    const members = schema.getPossibleTypes(base).map((member) => `... on ${member.name}${selectionOf(schema, member, depth)}`);
    return ` { __typename ${members.join(' ')} }`;
  }
  if (!isObjectType(base)) return ' { __typename }';
  const parts = ['__typename'];
  for (const field of Object.values(base.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const inner = getNamedType(field.type);
    if (isScalarType(inner) || isEnumType(inner)) parts.push(field.name);
    else if (depth > 0) parts.push(`${field.name}${selectionOf(schema, field.type, depth - 1)}`);
  }
  return ` { ${parts.join(' ')} }`;
}

/**
 * An operation calling the root field `field` of `kind` with its required arguments, as variables; the result is
 * selected `depth` levels deep (only its `__typename` at 0).
 */
export function rootRequest(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  named: SampleValues,
  deep?: { schema: GraphQLSchema; depth: number },
): { query: string; variables: Record<string, unknown> } {
  const args = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type));
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const scalar = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type));
  const selection = scalar ? '' : deep ? selectionOf(deep.schema, field.type, deep.depth) : ' { __typename }';
  return {
    query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((arg) => [arg.name, sample(arg.type, arg.name, named)])),
  };
}
