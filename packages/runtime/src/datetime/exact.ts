/**
 * Exact integer arithmetic for timedelta construction and scaling, following
 * CPython's C implementation: integer parts are accumulated exactly, float
 * leftovers are summed separately and rounded half-to-even at the end.
 */

const MICROS_PER_DAY_BIG = 86_400_000_000n;

/** C's round(): halves go away from zero. */
function roundHalfAwayFromZero(value: number): number {
  const whole = Math.trunc(value);
  return Math.abs(value - whole) >= 0.5 ? whole + Math.sign(value) : whole;
}

/**
 * Total microseconds of timedelta(**fields), computed as CPython does.
 * `parts` pairs each value with its size in microseconds, in CPython's order
 * (microseconds, milliseconds, seconds, minutes, hours, days, weeks).
 */
export function exactTotalMicros(parts: ReadonlyArray<readonly [number, number]>): bigint {
  let total = 0n;
  let leftover = 0;
  for (const [value, factor] of parts) {
    if (value === 0) continue;
    const integerPart = Math.trunc(value);
    total += BigInt(integerPart) * BigInt(factor);
    const fraction = value - integerPart;
    if (fraction === 0) continue;
    // Only the fractional part goes through float arithmetic.
    const scaled = factor * fraction;
    const scaledWhole = Math.trunc(scaled);
    total += BigInt(scaledWhole);
    leftover += scaled - scaledWhole;
  }
  if (leftover !== 0) {
    let wholeMicros = roundHalfAwayFromZero(leftover);
    if (Math.abs(wholeMicros - leftover) === 0.5) {
      // Exactly halfway: round so the final total is even.
      const totalIsOdd = Number(total & 1n);
      wholeMicros = 2 * roundHalfAwayFromZero((leftover + totalIsOdd) * 0.5) - totalIsOdd;
    }
    total += BigInt(wholeMicros);
  }
  return total;
}

/** Python's float.as_integer_ratio() for a finite double. */
export function floatAsIntegerRatio(value: number): [bigint, bigint] {
  if (Number.isInteger(value)) return [BigInt(value), 1n];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fractionBits = bits & 0xf_ffff_ffff_ffffn;
  let mantissa = exponentBits === 0 ? fractionBits : fractionBits | (1n << 52n);
  let exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  while (mantissa % 2n === 0n && exponent < 0) {
    mantissa /= 2n;
    exponent += 1;
  }
  const numerator = negative ? -mantissa : mantissa;
  return exponent >= 0 ? [numerator << BigInt(exponent), 1n] : [numerator, 1n << BigInt(-exponent)];
}

/** Python's _divide_and_round: a / b rounded half-to-even (b > 0). */
export function divideRoundHalfEven(a: bigint, b: bigint): bigint {
  let quotient = a / b;
  let remainder = a % b;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += b;
  }
  const twice = remainder * 2n;
  if (twice > b || (twice === b && quotient % 2n !== 0n)) quotient += 1n;
  return quotient;
}

/** Splits total microseconds into (days, microseconds of day) with floor semantics. */
export function splitDays(totalMicros: bigint): [number, number] {
  let days = totalMicros / MICROS_PER_DAY_BIG;
  let rest = totalMicros % MICROS_PER_DAY_BIG;
  if (rest < 0n) {
    days -= 1n;
    rest += MICROS_PER_DAY_BIG;
  }
  return [Number(days), Number(rest)];
}
