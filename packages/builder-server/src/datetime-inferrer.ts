/**
 * Finds top-level record fields that hold datetimes and the format they use, as the CDK's
 * DatetimeFormatInferrer: the first record proposes a format per field (the first that parses),
 * later records drop the fields whose value no longer parses with it.
 */
type Json = Record<string, unknown>;

const FORMATS = [
  '%Y-%m-%d',
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%dT%H:%M:%SZ',
  '%Y-%m-%dT%H:%M:%S.%fZ',
  '%Y-%m-%d %H:%M:%S.%f%z',
  '%Y-%m-%dT%H:%M:%S.%f%z',
  '%s',
  '%ms',
  '%d/%m/%Y %H:%M',
  '%Y-%m',
  '%d-%m-%Y',
] as const;

// Python's strptime directives (case-insensitive matching, as strptime does).
const DIRECTIVES: Record<string, string> = {
  Y: '(?<Y>\\d\\d\\d\\d)',
  m: '(?<m>1[0-2]|0[1-9]|[1-9])',
  d: '(?<d>3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(?<H>2[0-3]|[0-1]\\d|\\d)',
  M: '(?<M>[0-5]\\d|\\d)',
  S: '(?<S>6[0-1]|[0-5]\\d|\\d)',
  f: '(?<f>[0-9]{1,6})',
  z: '(?<z>[+-]\\d\\d:?[0-5]\\d(:?[0-5]\\d(\\.\\d{1,6})?)?|Z)',
};

const compiled = new Map<string, RegExp>();

function patternOf(format: string): RegExp {
  let re = compiled.get(format);
  if (!re) {
    let source = '';
    for (let i = 0; i < format.length; i += 1) {
      const char = format[i] as string;
      if (char === '%' && i + 1 < format.length) {
        const directive = format[i + 1] as string;
        source += DIRECTIVES[directive] ?? escape(`%${directive}`);
        i += 1;
      } else if (/\s/.test(char)) {
        source += '\\s+';
      } else {
        source += escape(char);
      }
    }
    re = new RegExp(`^${source}$`, 'i');
    compiled.set(format, re);
  }
  return re;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function canBeDatetime(value: unknown): boolean {
  if (typeof value === 'boolean') return false;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
    const asInt = toInt(value);
    if (asInt === undefined) return typeof value === 'string';
    return (asInt >= 1_000_000_000 && asInt < 2_000_000_000) || (asInt >= 1_000_000_000_000 && asInt < 2_000_000_000_000);
  }
  return false;
}

// Python's datetime range: years 1..9999.
const MAX_SECONDS = 253_402_300_799;

export function matchesFormat(value: unknown, format: string): boolean {
  if (format === '%s' || format === '%ms') {
    const asInt = toInt(value);
    if (asInt === undefined) return false;
    const seconds = format === '%s' ? asInt : asInt / 1000;
    return seconds >= -62_135_596_800 && seconds <= MAX_SECONDS;
  }
  const match = patternOf(format).exec(String(value));
  if (!match) return false;
  const groups = match.groups ?? {};
  if (groups.d !== undefined) {
    const year = groups.Y === undefined ? 1900 : Number(groups.Y);
    const month = groups.m === undefined ? 1 : Number(groups.m);
    const day = Number(groups.d.trim());
    if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  }
  if (groups.Y !== undefined && Number(groups.Y) < 1) return false;
  return true;
}

export class DatetimeFormatInferrer {
  private candidates: Map<string, string> | undefined;

  accumulate(record: Json): void {
    if (!this.candidates) {
      this.candidates = new Map();
      for (const [field, value] of Object.entries(record)) {
        if (!canBeDatetime(value)) continue;
        const format = FORMATS.find((candidate) => matchesFormat(value, candidate));
        if (format) this.candidates.set(field, format);
      }
      return;
    }
    for (const [field, format] of [...this.candidates]) {
      const value = record[field];
      if (value === null || value === undefined || !canBeDatetime(value) || !matchesFormat(value, format)) {
        this.candidates.delete(field);
      }
    }
  }

  formats(): Record<string, string> {
    return Object.fromEntries(this.candidates ?? []);
  }
}
