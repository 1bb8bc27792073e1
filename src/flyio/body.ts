/**
 * Reading and decoding response bodies with a size bound, and turning zod failures into INVALID_RESPONSE errors
 * that name the failing path but never echo the body.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { FlyApiError, FlyErrorCode } from './errors.js';
import { checkInPlace } from './wire/in-place.js';

/** Largest success body accepted (a listAll page of big machine configs stays far below this). */
export const MAX_SUCCESS_BODY_BYTES = 32 * 1024 * 1024;
/** Largest error body read; only its `error`/`message` fields are used. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Reads at most `maxBytes`; a longer body is destroyed and reported as `tooLarge`. */
export async function readBoundedText(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      return { text: '', tooLarge: true };
    }
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

/** `undefined` for an empty body, the parsed value for JSON, the raw text otherwise (`json: false`). */
export function decodeJson(text: string): { json: true; value: unknown } | { json: false; text: string } {
  // Only a blank body needs trimming; looking at its ends avoids copying a large one.
  if (text.length === 0 || ((isBlank(text.charCodeAt(0)) || isBlank(text.charCodeAt(text.length - 1))) && text.trim() === '')) {
    return { json: true, value: undefined };
  }
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false, text };
  }
}

const isBlank = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

function describePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(root)' : path.map((part) => String(part)).join('.');
}

/** Parses `value` with `schema`, or throws INVALID_RESPONSE naming up to three failing paths. */
export function parseWire<T>(
  schema: z.ZodType<T>,
  value: unknown,
  operation: string,
  requestId: string | undefined,
  httpStatus: number,
): T {
  // The common case: the body is valid and is checked where it lies, with no copy made.
  const checked = checkInPlace(schema, value);
  if (checked) return checked.data;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const where = result.error.issues
    .slice(0, 3)
    .map((issue) => `${describePath(issue.path)} (${issue.code})`)
    .join(', ');
  const what = value === undefined ? 'the body was empty' : `unexpected shape at ${where}`;
  return invalidResponse(operation, `${what}`, requestId, httpStatus);
}

/** Throws an INVALID_RESPONSE error. */
export function invalidResponse(operation: string, what: string, requestId: string | undefined, httpStatus: number): never {
  throw new FlyApiError({
    code: FlyErrorCode.InvalidResponse,
    operation,
    message: `${operation} returned an invalid response: ${what}`,
    httpStatus,
    requestId,
  });
}
