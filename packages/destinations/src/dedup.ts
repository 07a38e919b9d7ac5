/**
 * Keeps, among records of one batch, the one record per primary key that a dedup table must
 * end with: the greatest cursor, and on a tie (or without a cursor) the later record.
 */
import { stringifyJson } from '@manifold/runtime';

export function valueAtPath(data: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

let keylessRecords = 0;

/** The record's key as text; a record with a missing key part gets a key of its own (it is never deduplicated). */
export function primaryKeyOf(data: Record<string, unknown>, primaryKey: string[][]): string {
  const parts = primaryKey.map((path) => valueAtPath(data, path));
  if (parts.some((part) => part === null || part === undefined)) return `keyless:${(keylessRecords += 1)}`;
  return stringifyJson(parts);
}

/** -1, 0 or 1; a missing cursor sorts below any present one. */
export function compareCursors(left: unknown, right: unknown): number {
  const leftMissing = left === null || left === undefined;
  const rightMissing = right === null || right === undefined;
  if (leftMissing || rightMissing) return leftMissing === rightMissing ? 0 : leftMissing ? -1 : 1;
  if ((typeof left === 'number' || typeof left === 'bigint') && (typeof right === 'number' || typeof right === 'bigint')) {
    return left < right ? -1 : left > right ? 1 : 0; // exact across number and bigint
  }
  const leftText = typeof left === 'string' ? left : stringifyJson(left);
  const rightText = typeof right === 'string' ? right : stringifyJson(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

/** True when `incoming` (written later) should replace `existing` for the same key. */
export function supersedes(incoming: Record<string, unknown>, existing: Record<string, unknown>, cursorField: string[]): boolean {
  if (cursorField.length === 0) return true;
  return compareCursors(valueAtPath(incoming, cursorField), valueAtPath(existing, cursorField)) >= 0;
}
