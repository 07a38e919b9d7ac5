/** Python string formatting: `'%02d' % x` (printf style) and `'{}'.format(x)`. */
import {
  PyError,
  PyTuple,
  dictGet,
  dictHas,
  floatRepr,
  isDict,
  isFloat,
  isNumber,
  pyRepr,
  pyStr,
  pyToFixed,
  toNum,
  typeError,
  typeName,
  valueError,
  type Kwargs,
} from './values.js';

function roundHalfEvenDigits(x: number, digits: number): string {
  return pyToFixed(x, digits);
}

function fmtExp(x: number, prec: number, upper: boolean): string {
  let s = x.toExponential(prec);
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function fmtGeneral(x: number, prec: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(x)) return fmtSpecial(x, upper);
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return alt ? '0.' + '0'.repeat(p - 1) : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))));
  let s: string;
  if (exp >= -4 && exp < p) s = x.toFixed(Math.max(p - 1 - exp, 0));
  else s = fmtExp(x, p - 1, upper);
  if (!alt) {
    s = s.replace(/(\.\d*?)0+(?=$|[eE])/, '$1').replace(/\.(?=$|[eE])/, '');
  }
  return s;
}

function fmtSpecial(x: number, upper: boolean): string {
  const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

function toIntForFormat(v: unknown, conv: string): number {
  if (!isNumber(v)) {
    throw typeError(`%${conv} format: a real number is required, not ${typeName(v)}`);
  }
  return Math.trunc(toNum(v));
}

function applySignAndPad(body: string, negative: boolean, flags: string, width: number, numeric: boolean): string {
  let sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (flags.includes('-')) return (sign + body).padEnd(width);
  if (numeric && flags.includes('0')) return sign + body.padStart(width - sign.length, '0');
  const s = sign + body;
  sign = '';
  return s.padStart(width);
}

function formatOne(conv: string, v: unknown, flags: string, width: number, prec: number | null): string {
  switch (conv) {
    case 's':
      return pad(prec === null ? pyStr(v) : pyStr(v).slice(0, prec), flags, width);
    case 'r':
    case 'a':
      return pad(prec === null ? pyRepr(v) : pyRepr(v).slice(0, prec), flags, width);
    case 'd':
    case 'i':
    case 'u': {
      const n = typeof v === 'bigint' ? v : toIntForFormat(v, conv);
      let body = String(n < 0 ? -n : n);
      if (prec !== null) body = body.padStart(prec, '0');
      return applySignAndPad(body, n < 0, flags, width, true);
    }
    case 'x':
    case 'X':
    case 'o': {
      if (isFloat(v)) throw typeError(`%${conv} format: an integer is required, not float`);
      const n = typeof v === 'bigint' ? v : toIntForFormat(v, conv);
      let body = (n < 0 ? -n : n).toString(conv === 'o' ? 8 : 16);
      if (conv === 'X') body = body.toUpperCase();
      if (flags.includes('#')) body = (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') + body;
      return applySignAndPad(body, n < 0, flags, width, true);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (!isNumber(v)) throw typeError(`must be real number, not ${typeName(v)}`);
      const x = toNum(v);
      const p = prec ?? 6;
      let body: string;
      if (!Number.isFinite(x)) body = fmtSpecial(Math.abs(x), conv === conv.toUpperCase());
      else if (conv === 'f' || conv === 'F') body = roundHalfEvenDigits(Math.abs(x), p);
      else if (conv === 'e' || conv === 'E') body = fmtExp(Math.abs(x), p, conv === 'E');
      else body = fmtGeneral(Math.abs(x), p, flags.includes('#'), conv === 'G');
      return applySignAndPad(body, x < 0 || Object.is(x, -0), flags, width, Number.isFinite(x));
    }
    case 'c': {
      if (typeof v === 'string' && [...v].length === 1) return pad(v, flags, width);
      if (typeof v === 'number' && Number.isInteger(v)) return pad(String.fromCodePoint(v), flags, width);
      throw typeError('%c requires an int or a unicode character');
    }
    default:
      throw valueError(`unsupported format character '${conv}'`);
  }
}

function pad(s: string, flags: string, width: number): string {
  return flags.includes('-') ? s.padEnd(width) : s.padStart(width);
}

/** `fmt % args` for a str left operand. */
export function percentFormat(fmt: string, args: unknown): string {
  const isMapping = isDict(args) && !(args instanceof PyTuple);
  const list: unknown[] = args instanceof PyTuple ? [...args] : [args];
  let idx = 0;
  let usedMapping = false;
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)?/gs;
  const out = fmt.replace(re, (_m, key: string | undefined, flags: string, w: string | undefined, p: string | undefined, conv: string | undefined) => {
    if (conv === undefined) throw valueError('incomplete format');
    if (conv === '%' && key === undefined) return '%';
    const nextArg = (): unknown => {
      if (idx >= list.length) throw typeError('not enough arguments for format string');
      return list[idx++];
    };
    const width = w === '*' ? Math.trunc(toNum(nextArg())) : w ? Number(w) : 0;
    const prec = p === '*' ? Math.trunc(toNum(nextArg())) : p !== undefined ? Number(p) : null;
    let v: unknown;
    if (key !== undefined) {
      if (!isMapping) throw typeError('format requires a mapping');
      usedMapping = true;
      const d = args as Record<string, unknown>;
      if (!dictHas(d, key)) throw new PyError('KeyError', pyRepr(key));
      v = dictGet(d, key);
    } else v = nextArg();
    return formatOne(conv, v, flags, width, prec);
  });
  if (!usedMapping && idx < list.length && !(isMapping && list.length === 1)) {
    throw typeError('not all arguments converted during string formatting');
  }
  return out;
}

/** Format-spec mini-language for str.format. */
function applySpec(v: unknown, spec: string): string {
  if (spec === '') return pyStr(v);
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName(v)}'`);
  const [, fillRaw, alignRaw, sign = '-', alt, zero, widthRaw, group, precRaw, type] = m;
  let fill = fillRaw ?? ' ';
  let align = alignRaw;
  const width = widthRaw ? Number(widthRaw) : 0;
  const prec = precRaw !== undefined ? Number(precRaw) : null;
  let body: string;
  let negative = false;
  if (typeof v === 'string') {
    if (type && type !== 's') throw valueError(`Unknown format code '${type}' for object of type 'str'`);
    body = prec !== null ? v.slice(0, prec) : v;
    align ??= '<';
  } else if (isNumber(v)) {
    const x = toNum(v);
    negative = x < 0 || Object.is(x, -0);
    const ax = Math.abs(x);
    // An int beyond 2^53 keeps its exact digits in the integer presentations.
    const exactAbs = typeof v === 'bigint' ? (v < 0n ? -v : v) : ax;
    const t = type ?? (isFloat(v) ? '' : 'd');
    switch (t) {
      case 'd':
      case 'n':
        if (isFloat(v)) throw valueError(`Unknown format code 'd' for object of type 'float'`);
        body = String(exactAbs);
        break;
      case 'b':
        body = exactAbs.toString(2);
        break;
      case 'o':
        body = exactAbs.toString(8);
        break;
      case 'x':
        body = exactAbs.toString(16);
        break;
      case 'X':
        body = exactAbs.toString(16).toUpperCase();
        break;
      case 'c':
        body = String.fromCodePoint(x);
        break;
      case 'f':
      case 'F':
        body = Number.isFinite(ax) ? pyToFixed(ax, prec ?? 6) : fmtSpecial(ax, t === 'F');
        break;
      case 'e':
      case 'E':
        body = fmtExp(ax, prec ?? 6, t === 'E');
        break;
      case 'g':
      case 'G':
        body = fmtGeneral(ax, prec ?? 6, !!alt, t === 'G');
        break;
      case '%':
        body = (ax * 100).toFixed(prec ?? 6) + '%';
        break;
      default:
        body = prec !== null ? fmtGeneral(ax, prec, false, false) : isFloat(v) ? floatRepr(ax) : String(ax);
    }
    if (group) {
      const [intPart = '', frac] = body.split('.');
      body = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? '.' + frac : '');
    }
    const signStr = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    if (zero && !alignRaw) {
      fill = '0';
      align = '=';
    }
    align ??= '>';
    if (align === '=') return signStr + body.padStart(width - signStr.length, fill);
    body = signStr + body;
  } else {
    if (spec) throw typeError(`unsupported format string passed to ${typeName(v)}.__format__`);
    body = pyStr(v);
    align ??= '<';
  }
  const padLen = Math.max(width - [...body].length, 0);
  if (align === '<') return body + fill.repeat(padLen);
  if (align === '>') return fill.repeat(padLen) + body;
  const left = Math.floor(padLen / 2);
  return fill.repeat(left) + body + fill.repeat(padLen - left);
}

/** str.format(*args, **kwargs). Attribute/index lookups inside fields are supported for dicts and lists. */
export function strFormat(fmt: string, args: unknown[], kwargs: Kwargs): string {
  let auto = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i] as string;
    if (ch === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const end = fmt.indexOf('}', i);
      if (end < 0) throw valueError("Single '{' encountered in format string");
      const field = fmt.slice(i + 1, end);
      i = end + 1;
      const m = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw valueError(`bad format field '${field}'`);
      const [, name = '', path = '', conv, spec = ''] = m;
      let v: unknown;
      if (name === '') {
        if (auto >= args.length) throw new PyError('IndexError', `Replacement index ${auto} out of range for positional args tuple`);
        v = args[auto++];
      } else if (/^\d+$/.test(name)) {
        const n = Number(name);
        if (n >= args.length) throw new PyError('IndexError', `Replacement index ${n} out of range for positional args tuple`);
        v = args[n];
      } else {
        if (!Object.prototype.hasOwnProperty.call(kwargs, name)) throw new PyError('KeyError', pyRepr(name));
        v = kwargs[name];
      }
      for (const part of path.match(/\.[^.[]+|\[[^\]]*\]/g) ?? []) {
        const key = part.startsWith('.') ? part.slice(1) : part.slice(1, -1);
        if (part.startsWith('.') && key.startsWith('_')) throw new PyError('SecurityError', `access to attribute '${key}' is unsafe`);
        if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
        else if (isDict(v) && dictHas(v, key)) v = dictGet(v, key);
        else throw new PyError('KeyError', pyRepr(key));
      }
      if (conv === 'r' || conv === 'a') v = pyRepr(v);
      else if (conv === 's') v = pyStr(v);
      out += applySpec(v, spec);
    } else if (ch === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw valueError("Single '}' encountered in format string");
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
