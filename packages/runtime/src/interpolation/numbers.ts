import { normInt } from './values.js';

/** Python's int(str, base) and float(str) parsing rules. */

const WS = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

/**
 * int(text, base) or null when Python would raise ValueError. Underscores between digits are allowed.
 * A value beyond 2^53 is an exact BigInt (for bases 2, 8, 10 and 16).
 */
export function parsePyInt(text: string, base = 10): number | bigint | null {
  let s = text.replace(WS, '');
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  let b = base;
  const prefix = /^0([xob])/i.exec(s);
  if (b === 0) {
    if (prefix) {
      b = { x: 16, o: 8, b: 2 }[(prefix[1] as string).toLowerCase() as 'x' | 'o' | 'b'];
      s = s.slice(2).replace(/^_/, '');
    } else {
      b = 10;
      if (/^0+[1-9]/.test(s.replace(/_/g, ''))) return null;
    }
  } else if (prefix && ((b === 16 && /x/i.test(prefix[1] as string)) || (b === 8 && /o/i.test(prefix[1] as string)) || (b === 2 && /b/i.test(prefix[1] as string)))) {
    s = s.slice(2).replace(/^_/, '');
  }
  if (b < 2 || b > 36) return null;
  if (!s || s.startsWith('_') || s.endsWith('_') || s.includes('__')) return null;
  const digits = s.replace(/_/g, '');
  const valid = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  for (const ch of digits.toLowerCase()) if (!valid.includes(ch)) return null;
  if (digits.length >= 14 && BIGINT_PREFIX[b] !== undefined) {
    const big = BigInt(`${BIGINT_PREFIX[b]}${digits}`);
    return normInt(sign < 0 ? -big : big);
  }
  const n = b === 10 ? Number(digits) : parseInt(digits, b);
  return sign * n === 0 ? 0 : sign * n;
}

/** The prefixes BigInt() reads, by base. */
const BIGINT_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** float(text) or null when Python would raise ValueError. */
export function parsePyFloat(text: string): number | null {
  const s = text.replace(WS, '');
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (/nan/i.test(special[2] as string)) return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/i.test(s)) return null;
  return Number(s.replace(/_/g, ''));
}
