import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

/** Fly sends RFC 3339 strings; a missing or unparsable one becomes null rather than a resolver error. */
export function parseTimestamp(value: string | number | undefined | null): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
