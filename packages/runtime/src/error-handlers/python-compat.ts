/**
 * Small helpers that reproduce how Python reads numbers and regexes, so header parsing and
 * template results are judged the way the CDK judges them.
 */

const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_PATTERN = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);
const INT_PATTERN = new RegExp(String.raw`^[+-]?${DIGITS}$`);
const SPECIAL_FLOATS: Record<string, number> = {
  inf: Infinity,
  infinity: Infinity,
  nan: NaN,
};

/** Python's `float(text)`: undefined where Python raises ValueError. */
export function pythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  if (FLOAT_PATTERN.test(trimmed)) return Number(trimmed.replace(/_/g, ''));
  const lower = trimmed.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const bare = lower.replace(/^[+-]/, '');
  const special = SPECIAL_FLOATS[bare];
  return special === undefined ? undefined : sign * special;
}

/** Python's `int(text)` for a string: undefined where Python raises ValueError. */
export function pythonInt(text: string): number | undefined {
  const trimmed = text.trim();
  return INT_PATTERN.test(trimmed) ? Number(trimmed.replace(/_/g, '')) : undefined;
}

/** A number from a template result or manifest value, read as Python's `float(value)` would. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return pythonFloat(value);
  return undefined;
}

/** Python truthiness of a value produced by a template. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (typeof value === 'number' && Number.isNaN(value)) return true;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * Compiles a Python `re` pattern as a JavaScript RegExp. The syntaxes mostly agree; the
 * Python-only spellings manifests use (named groups, \A, \Z) are rewritten.
 */
export function compilePythonRegex(pattern: string, flags = ''): RegExp {
  const source = pattern
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\Z/g, '$1$');
  return new RegExp(source, flags);
}

/** Python's `re.match`: a match anchored at the start of `text` (not at its end). */
export function matchAtStart(regex: RegExp, text: string): RegExpExecArray | null {
  const sticky = new RegExp(regex.source, regex.flags.includes('y') ? regex.flags : `${regex.flags}y`);
  sticky.lastIndex = 0;
  return sticky.exec(text);
}
