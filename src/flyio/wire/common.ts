import { z } from 'zod';

/**
 * Helpers for wire schemas. Fly adds fields over time, so every object is `loose` (unknown keys kept, never an
 * error) and most fields are optional: we validate what we use and carry the rest.
 */
export const optionalString = z.string().optional();
export const optionalInt = z.number().int().optional();
export const optionalBool = z.boolean().optional();
export const stringMap = z.record(z.string(), z.string());
export const jsonObject = z.record(z.string(), z.unknown());
