/**
 * JSON.stringify that also writes BigInt values (integers beyond 2^53 read from an API, see
 * decoders/lossless-json.ts) as their bare digits, as Python's json.dumps writes an int.
 *
 * JSON.stringify stays the path every value takes first: it throws a TypeError on a BigInt, and
 * only then is the value walked again by `stringifyWithBigInt`. Values without a BigInt cost one
 * try block more than JSON.stringify alone.
 *
 * Typed like JSON.stringify: the result is undefined for undefined, a function or a symbol.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !containsBigInt(value, new Set())) throw error;
    return stringifyWithBigInt(value, '', new Set()) as string;
  }
}

function containsBigInt(value: unknown, seen: Set<object>): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (containsBigInt(item, seen)) return true;
  return false;
}

/** JSON.stringify's rules (toJSON, skipped undefined/function/symbol members, null in arrays), plus BigInt. */
function stringifyWithBigInt(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  if (ancestors.has(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown, index) => stringifyWithBigInt(item, String(index), ancestors) ?? 'null');
    out = `[${items.join(',')}]`;
  } else {
    const members: string[] = [];
    for (const [name, member] of Object.entries(value)) {
      const text = stringifyWithBigInt(member, name, ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}
