import { ApiError } from './errors.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object, or a 400 naming what was sent instead. */
export function bodyOf(body: unknown): Json {
  if (body === undefined || body === null) throw new ApiError(400, 'The request has no body; send a JSON object', 'MISSING_BODY');
  if (!isObject(body)) throw new ApiError(400, `The request body must be a JSON object, got ${Array.isArray(body) ? 'a list' : typeof body}`, 'INVALID_BODY');
  return body;
}

export function requiredObject(body: Json, field: string): Json {
  const value = body[field];
  if (value === undefined || value === null) throw new ApiError(400, `Missing field '${field}' (an object)`, 'MISSING_FIELD');
  if (!isObject(value)) throw new ApiError(400, `Field '${field}' must be an object, got ${typeName(value)}`, 'INVALID_FIELD');
  return value;
}

export function optionalObject(body: Json, field: string): Json | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ApiError(400, `Field '${field}' must be an object, got ${typeName(value)}`, 'INVALID_FIELD');
  return value;
}

export function requiredString(body: Json, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw new ApiError(400, `Missing field '${field}' (a string)`, 'MISSING_FIELD');
  if (typeof value !== 'string') throw new ApiError(400, `Field '${field}' must be a string, got ${typeName(value)}`, 'INVALID_FIELD');
  if (value.trim() === '') throw new ApiError(400, `Field '${field}' must not be empty`, 'INVALID_FIELD');
  return value;
}

export function optionalString(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, `Field '${field}' must be a string, got ${typeName(value)}`, 'INVALID_FIELD');
  return value;
}

/** An integer limit in [min, max]; a value out of range is a 422 naming the range. */
export function limit(body: Json, field: string, fallback: number, min: number, max: number): number {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ApiError(422, `Field '${field}' must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}`, 'LIMIT_OUT_OF_RANGE');
  }
  if (value < min || value > max) {
    throw new ApiError(422, `Field '${field}' must be between ${min} and ${max}, got ${value}`, 'LIMIT_OUT_OF_RANGE');
  }
  return value;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
