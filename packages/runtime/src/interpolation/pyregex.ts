/** Python `re` patterns and re.sub replacement templates, translated to JS RegExp. */
import { PyError } from './values.js';

const cache = new Map<string, RegExp>();

/** Translates a Python pattern (named groups, \A, \Z, leading inline flags) to a JS RegExp. */
export function compilePyRegex(pattern: string, extraFlags: string): RegExp {
  const key = `${extraFlags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let flags = extraFlags;
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const ch of inline[1] as string) if ('ims'.includes(ch) && !flags.includes(ch)) flags += ch;
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\Z/g, '$1$(?![\\s\\S])');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    throw new PyError('ValueError', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** re.sub(pattern, repl, string) with Python's replacement syntax (\1, \g<name>, \n). */
export function pyRegexSub(pattern: string, repl: string, text: string): string {
  const re = compilePyRegex(pattern, 'g');
  re.lastIndex = 0;
  return text.replace(re, (...m: unknown[]) => {
    const hasGroups = typeof m[m.length - 1] === 'object' && m[m.length - 1] !== null;
    const groups = (hasGroups ? m[m.length - 1] : {}) as Record<string, string | undefined>;
    const captures = m.slice(0, hasGroups ? -3 : -2) as Array<string | undefined>;
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const ch = repl[i] as string;
      if (ch !== '\\' || i === repl.length - 1) {
        out += ch;
        continue;
      }
      const n = repl[++i] as string;
      if (/\d/.test(n)) {
        let num = n;
        if (/\d/.test(repl[i + 1] ?? '')) num += repl[++i];
        const idx = Number(num);
        if (idx >= captures.length) throw new PyError('ValueError', `invalid group reference ${idx}`);
        out += captures[idx] ?? '';
      } else if (n === 'g') {
        const g = /^<([^>]+)>/.exec(repl.slice(i + 1));
        if (!g) throw new PyError('ValueError', 'missing group name');
        i += g[0].length;
        const name = g[1] as string;
        if (/^\d+$/.test(name)) {
          const idx = Number(name);
          if (idx >= captures.length) throw new PyError('ValueError', `invalid group reference ${idx}`);
          out += captures[idx] ?? '';
        } else {
          if (!(name in groups)) throw new PyError('IndexError', `unknown group name '${name}'`);
          out += groups[name] ?? '';
        }
      } else {
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
        if (n in esc) out += esc[n];
        else if (/[A-Za-z]/.test(n)) throw new PyError('ValueError', `bad escape \\${n}`);
        else out += '\\' + n;
      }
    }
    return out;
  });
}
