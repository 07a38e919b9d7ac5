/**
 * The CDK's macros (macros.py) plus the Jinja globals the CDK keeps (dict, namespace; `range` is
 * removed, lipsum/cycler/joiner are refused). Macros that read the clock use the env's clock.
 */
import { randomUUID } from 'node:crypto';
import {
  DateTime,
  Duration,
  PyDate,
  formatDatetime,
  isDateTime,
  parseDatetime,
  parseDuration,
  UnknownTimeZoneError,
  strToDatetime,
  strptime,
  zoneOffsetMinutes as datetimeZoneOffsetMinutes,
} from '../datetime/index.js';
import { Namespace } from './methods.js';
import {
  PyCallable,
  PyError,
  TemplateReference,
  Undefined,
  dictEntries,
  dictSet,
  isDict,
  isNumber,
  isUndef,
  makeDict,
  mkFloat,
  pyCompare,
  pyEq,
  pyIter,
  pyLen,
  pyStr,
  toNum,
  typeError,
  typeName,
  valueError,
  type Kwargs,
} from './values.js';

function arg(args: unknown[], kwargs: Kwargs, i: number, name: string, dflt?: unknown): unknown {
  if (i < args.length) return args[i];
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name];
  if (dflt === undefined) throw typeError(`missing required positional argument: '${name}'`);
  return dflt;
}

function noExtra(fname: string, args: unknown[], kwargs: Kwargs, names: string[]): void {
  if (args.length > names.length) {
    throw typeError(`${fname}() takes ${names.length} positional arguments but ${args.length} were given`);
  }
  for (const k of Object.keys(kwargs)) {
    if (!names.includes(k)) throw typeError(`${fname}() got an unexpected keyword argument '${k}'`);
  }
}

function requireStr(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  throw typeError(`${what}: expected a string, got ${typeName(v)}`);
}

/** dateutil isoparse + UTC, as str_to_datetime does. */
function strToDt(v: unknown): DateTime {
  // dateutil's isoparse first looks up `.read` on its argument: Undefined raises UndefinedError there.
  if (isUndef(v)) throw new PyError('UndefinedError', v instanceof Undefined ? v.hint : 'undefined value');
  // isoparse measures its argument first: short containers fail with ValueError, not TypeError.
  if ((Array.isArray(v) || isDict(v)) && pyLen(v) < 4) throw valueError('ISO string too short');
  return strToDatetime(requireStr(v, 'str_to_datetime'));
}

/** Offset (minutes) of an IANA zone at an instant; an unknown zone is pytz's KeyError. */
function zoneOffsetMinutes(zone: string, epochMs: number): number {
  try {
    return datetimeZoneOffsetMinutes(zone, epochMs);
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) throw new PyError('KeyError', `'${zone}'`);
    throw error;
  }
}

function minMax(args: unknown[], kwargs: Kwargs, wantMax: boolean): unknown {
  const fname = wantMax ? 'max' : 'min';
  if (kwargs.key !== undefined && kwargs.key !== null) throw typeError(`${fname}(key=...) is not supported in templates`);
  let items: unknown[];
  if (args.length === 0) throw typeError(`${fname} expected at least 1 argument, got 0`);
  if (args.length === 1) items = pyIter(args[0]);
  else {
    if ('default' in kwargs) throw typeError(`Cannot specify a default for ${fname}() with multiple positional arguments`);
    items = args;
  }
  if (!items.length) {
    if ('default' in kwargs) return kwargs.default;
    throw valueError(`${fname}() iterable argument is empty`);
  }
  let best = items[0];
  for (const x of items.slice(1)) {
    const c = pyCompare(x, best, wantMax ? '>' : '<');
    if (wantMax ? c > 0 : c < 0) best = x;
  }
  return best;
}

function quotePlus(v: unknown): string {
  if (typeof v !== 'string') throw typeError('quote_from_bytes() expected bytes');
  let out = '';
  for (const b of new TextEncoder().encode(v)) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function toDuration(days: unknown): Duration {
  if (!isNumber(days)) throw typeError(`unsupported type for timedelta days component: ${typeName(days)}`);
  return Duration.of({ days: toNum(days) });
}

/** Builds the macro table for a clock (milliseconds since the epoch). */
export function makeGlobals(clock: () => number): Map<string, unknown> {
  const g = new Map<string, unknown>();
  const def = (name: string, fn: (args: unknown[], kwargs: Kwargs) => unknown): void => {
    g.set(name, new PyCallable(name, fn));
  };
  const now = (): DateTime => DateTime.now(clock, 0);

  def('now_utc', (a, k) => {
    noExtra('now_utc', a, k, []);
    return now();
  });
  def('today_utc', (a, k) => {
    noExtra('today_utc', a, k, []);
    return now().date();
  });
  def('today_with_timezone', (a, k) => {
    noExtra('today_with_timezone', a, k, ['timezone']);
    const zone = arg(a, k, 0, 'timezone');
    if (typeof zone !== 'string') throw new PyError('KeyError', String(pyStr(zone)));
    const ms = clock();
    return DateTime.fromEpochMicros(Math.round(ms * 1000), zoneOffsetMinutes(zone, ms)).date();
  });
  def('timestamp', (a, k) => {
    noExtra('timestamp', a, k, ['dt']);
    const dt = arg(a, k, 0, 'dt');
    if (isNumber(dt)) return Math.trunc(toNum(dt));
    return mkFloat(strToDt(dt).timestamp());
  });
  def('str_to_datetime', (a, k) => {
    noExtra('str_to_datetime', a, k, ['s']);
    return strToDt(arg(a, k, 0, 's'));
  });
  def('max', (a, k) => minMax(a, k, true));
  def('min', (a, k) => minMax(a, k, false));
  def('day_delta', (a, k) => {
    noExtra('day_delta', a, k, ['num_days', 'format']);
    const days = arg(a, k, 0, 'num_days');
    const format = arg(a, k, 1, 'format', '%Y-%m-%dT%H:%M:%S.%f%z');
    return now().plus(toDuration(days)).strftime(requireStr(format, 'strftime'));
  });
  def('duration', (a, k) => {
    noExtra('duration', a, k, ['datestring']);
    const s = arg(a, k, 0, 'datestring');
    if (typeof s !== 'string') throw typeError(`Expecting a string ${pyStr(s)}`);
    return parseDuration(s);
  });
  def('format_datetime', (a, k) => {
    noExtra('format_datetime', a, k, ['dt', 'format', 'input_format']);
    const dt = arg(a, k, 0, 'dt');
    const formatArg = arg(a, k, 1, 'format');
    const inputFormat = arg(a, k, 2, 'input_format', null);
    if (isDateTime(dt)) return dt.strftime(requireStr(formatArg, 'strftime'));
    let parsed: DateTime;
    if (typeof dt === 'boolean' || (typeof dt === 'number' && Number.isInteger(dt))) {
      parsed = parseDatetime(toNum(dt), truthy(inputFormat) ? requireStr(inputFormat, 'input_format') : '%s');
    } else if (truthy(inputFormat)) {
      parsed = strptime(requireStr(dt, 'strptime'), requireStr(inputFormat, 'input_format'));
    } else {
      parsed = strToDt(dt);
    }
    if (parsed.offsetMinutes === null) parsed = parsed.replace({ offsetMinutes: 0 });
    return formatDatetime(parsed, requireStr(formatArg, 'strftime'));
  });
  def('sanitize_url', (a, k) => {
    noExtra('sanitize_url', a, k, ['value']);
    return quotePlus(arg(a, k, 0, 'value'));
  });
  def('camel_case_to_snake_case', (a, k) => {
    noExtra('camel_case_to_snake_case', a, k, ['value']);
    const v = arg(a, k, 0, 'value');
    if (typeof v !== 'string') throw typeError('expected string or bytes-like object');
    return v.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();
  });
  def('generate_uuid', (a, k) => {
    noExtra('generate_uuid', a, k, []);
    return randomUUID();
  });

  // Jinja globals the CDK leaves in place.
  def('dict', (a, k) => {
    if (a.length > 1) throw typeError(`dict expected at most 1 argument, got ${a.length}`);
    const out = makeDict([]);
    if (a.length === 1) {
      const src = a[0];
      if (isDict(src)) for (const [key, v] of dictEntries(src)) dictSet(out, key, v);
      else for (const pair of pyIter(src)) {
        const kv = pyIter(pair);
        if (kv.length !== 2) throw valueError('dictionary update sequence element has wrong length');
        dictSet(out, kv[0], kv[1]);
      }
    }
    for (const [key, v] of Object.entries(k)) dictSet(out, key, v);
    return out;
  });
  def('namespace', (a, k) => {
    const ns = new Namespace();
    for (const src of a) {
      if (!isDict(src)) throw typeError('namespace() positional argument must be a mapping');
      for (const [key, v] of dictEntries(src)) ns.attrs.set(String(key), v);
    }
    for (const [key, v] of Object.entries(k)) ns.attrs.set(key, v);
    return ns;
  });
  g.set('self', new TemplateReference());
  for (const name of ['lipsum', 'cycler', 'joiner']) {
    def(name, () => {
      throw new PyError('TemplateRuntimeError', `the Jinja global '${name}' is not supported by this runtime`);
    });
  }
  return g;
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && v !== false && !isUndef(v) && !pyEq(v, 0);
}

/** Names that are Jinja globals in the CDK's environment (never "undeclared"). */
export const GLOBAL_NAMES: ReadonlySet<string> = new Set(makeGlobals(Date.now).keys());

export { PyDate };
