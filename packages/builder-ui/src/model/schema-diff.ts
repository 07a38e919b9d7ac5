/** Compare a declared JSON schema with the one inferred from test-read records. */
import { isPlainObject, type Obj } from './refs.js';

export interface SchemaDiffEntry {
  path: string;
  kind: 'missing' | 'extra' | 'type';
  declared?: string;
  inferred?: string;
}

function typeOf(s: unknown): string {
  if (!isPlainObject(s)) return 'any';
  const t = s.type;
  const list = Array.isArray(t) ? t.filter((x) => x !== 'null') : t === undefined ? [] : [t];
  return list.length ? list.map(String).sort().join('|') : 'any';
}

/** Entries: `missing` = inferred field not declared, `extra` = declared but not seen, `type` = types differ. */
export function diffSchemas(declared: unknown, inferred: unknown, prefix = ''): SchemaDiffEntry[] {
  const out: SchemaDiffEntry[] = [];
  const dp = isPlainObject(declared) && isPlainObject(declared.properties) ? declared.properties : {};
  const ip = isPlainObject(inferred) && isPlainObject(inferred.properties) ? inferred.properties : {};
  for (const [k, iv] of Object.entries(ip)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in dp)) {
      out.push({ path, kind: 'missing', inferred: typeOf(iv) });
      continue;
    }
    const dv = dp[k];
    const dt = typeOf(dv);
    const it = typeOf(iv);
    if (dt !== 'any' && it !== 'any' && !it.split('|').every((t) => dt.split('|').includes(t) || (t === 'integer' && dt.includes('number')))) {
      out.push({ path, kind: 'type', declared: dt, inferred: it });
    }
    if (it.includes('object') && dt.includes('object')) out.push(...diffSchemas(dv, iv, path));
  }
  if (isPlainObject(declared) && Object.keys(ip).length > 0) {
    for (const k of Object.keys(dp)) if (!(k in ip)) out.push({ path: prefix ? `${prefix}.${k}` : k, kind: 'extra', declared: typeOf(dp[k]) });
  }
  return out;
}

export function schemasEqual(declared: unknown, inferred: unknown): boolean {
  return diffSchemas(declared, inferred).length === 0;
}

export type { Obj };
