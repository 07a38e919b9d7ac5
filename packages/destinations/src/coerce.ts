import { stringifyJson } from '@manifold/runtime';
import type { ColumnType } from './columns.js';

/** One entry of `_airbyte_meta.changes`, as Airbyte destinations record a value they could not keep. */
export interface MetaChange {
  field: string;
  change: 'NULLED';
  reason: 'DESTINATION_TYPECAST_ERROR';
}

/** A value ready for its column: null, or the JS value the column type takes. */
export type ColumnValue = string | number | boolean | bigint | null;

const INTEGER_TEXT = /^[+-]?\d+$/;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * Converts a record value for a column of the given type. `undefined` means "cannot be cast":
 * the caller stores NULL and records a change. Numeric strings are accepted for numeric columns
 * (as a SQL cast would), while JSON columns take any value.
 */
export function coerceValue(value: unknown, type: ColumnType): ColumnValue | undefined {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
      return stringifyJson(value);
    case 'integer':
      return toBigInt(value);
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'bigint') return Number(value); // a DOUBLE column: as Python's float()
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return undefined;
    case 'json':
      return stringifyJson(value);
  }
}

function toBigInt(value: unknown): bigint | undefined {
  let result: bigint;
  if (typeof value === 'bigint') {
    result = value;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    result = BigInt(value);
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) {
    result = BigInt(value.trim());
  } else {
    return undefined;
  }
  return result >= BIGINT_MIN && result <= BIGINT_MAX ? result : undefined;
}
