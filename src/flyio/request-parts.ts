/** Small pure pieces of the request path: path segments, query strings, header reading. */
import { FlyApiError, FlyErrorCode } from './errors.js';

/** Query values; `undefined` entries are left out, arrays are comma-joined (Fly's list form). */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Characters allowed in a header value we build from caller input. */
export const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** Builds `?a=b&c=d`, or '' when nothing is set. */
export function buildQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.append(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Case-insensitive single-value reader over undici's response headers; empty values read as absent. */
export function headerReader(headers: Record<string, string | string[] | undefined>) {
  return (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first === '' ? undefined : first;
  };
}

/** Encodes one path segment, refusing empty ids so a missing argument cannot turn into a different endpoint. */
export function segment(operation: string, name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FlyApiError({ code: FlyErrorCode.BadRequest, operation, message: `${operation}: ${name} must be a non-empty string` });
  }
  return encodeURIComponent(value);
}

/** Refuses an empty required string argument before anything is sent. */
export function requireNonEmpty(operation: string, name: string, value: string): string {
  segment(operation, name, value);
  return value;
}
