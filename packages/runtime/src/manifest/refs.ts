import { RuntimeError } from '../errors/runtime-error.js';
import type { LocationTable } from './locations.js';
import { formatPath, isPlainObject, type PathSegment } from './path.js';

/*
 * Reference resolution, as the CDK's ManifestReferenceResolver does it:
 *  - any string value starting with `#/` is a reference and is replaced by the value it points at;
 *  - a mapping with a `$ref` key is replaced by the referenced mapping with the mapping's other
 *    keys laid over it (its own keys win); if the target is not a mapping, the siblings are dropped;
 *  - references inside the target are resolved too; a reference met again while it is still being
 *    resolved is circular;
 *  - a pointer segment is first tried as a whole remaining key (so keys containing `/` work), then
 *    split at the first `/`; numeric segments index lists (negative ones from the end);
 *  - values under `config_overrides` are connector config, never references.
 * Extension: the legacy `*ref(definitions.a.b)` form of older CDKs is accepted (with a warning),
 * as if it were `#/definitions/a/b`.
 *
 * Locations: a mapping built from `$ref` + siblings is located at the `$ref` site, and each of its
 * keys where that key was written (siblings at the site, inherited keys in the definition). A value
 * produced by a plain `"#/..."` string is located at the definition it copies.
 */

const REF_KEY = '$ref';
const CONFIG_VALUE_FIELDS = new Set(['config_overrides']);
const LEGACY_REF = /^\*ref\((.*)\)$/s;

export interface RefWarning {
  path: string;
  line?: number;
  message: string;
}

export function isReference(value: unknown): value is string {
  return typeof value === 'string' && (value.startsWith('#/') || LEGACY_REF.test(value));
}

export function resolveReferences(
  manifest: Record<string, unknown>,
  locations?: LocationTable,
): { manifest: Record<string, unknown>; warnings: RefWarning[] } {
  const resolver = new Resolver(manifest, locations);
  const out = resolver.evaluate(manifest, [], undefined);
  return { manifest: out as Record<string, unknown>, warnings: resolver.warnings };
}

class Resolver {
  readonly warnings: RefWarning[] = [];
  private readonly chain: string[] = [];

  constructor(
    private readonly root: Record<string, unknown>,
    private readonly locations: LocationTable | undefined,
  ) {}

  /** `parent`/`key` locate the value for error messages (where it was written). */
  evaluate(node: unknown, path: PathSegment[], site: { parent: object; key: PathSegment } | undefined): unknown {
    if (Array.isArray(node)) {
      const out = node.map((v, i) => this.evaluate(v, [...path, i], { parent: node, key: i }));
      this.locations?.inherit(out, node);
      return out;
    }
    if (isPlainObject(node)) {
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === REF_KEY) continue;
        own[k] = CONFIG_VALUE_FIELDS.has(k) ? structuredClone(v) : this.evaluate(v, [...path, k], { parent: node, key: k });
      }
      this.locations?.inherit(own, node);
      if (!(REF_KEY in node)) return own;
      const target = this.evaluate(node[REF_KEY], path, { parent: node, key: REF_KEY });
      if (!isPlainObject(target)) return target;
      const merged = { ...target, ...own };
      // Located at the $ref site; inherited keys keep their definition positions.
      this.locations?.inherit(merged, node, target);
      return merged;
    }
    if (isReference(node)) {
      const pointer = this.toPointer(node, path, site);
      if (this.chain.includes(node)) {
        const cycle = [...this.chain.slice(this.chain.indexOf(node)), node].join(' -> ');
        throw this.error(`Circular reference found: ${cycle}`, path, site);
      }
      const found = this.lookup(pointer);
      if (!found.ok) {
        throw this.error(`Undefined reference ${node} (nothing at ${pointer.length ? `'${pointer}'` : 'the root'})`, path, site);
      }
      this.chain.push(node);
      try {
        return this.evaluate(found.value, path, site);
      } finally {
        this.chain.pop();
      }
    }
    return node;
  }

  private toPointer(ref: string, path: PathSegment[], site: { parent: object; key: PathSegment } | undefined): string {
    if (ref.startsWith('#/')) return ref.slice(2);
    const m = LEGACY_REF.exec(ref);
    const dotted = (m?.[1] ?? '').trim();
    this.warnings.push({
      path: formatPath(path),
      line: this.line(site),
      message: `legacy reference syntax '${ref}' is not understood by the Airbyte CDK 7; write '#/${dotted.split('.').join('/')}' instead`,
    });
    return dotted.split('.').join('/');
  }

  /** Reads a pointer the CDK's way: whole remaining key first, then one segment at a time. */
  private lookup(pointer: string): { ok: true; value: unknown } | { ok: false } {
    let node: unknown = this.root;
    let rest = pointer;
    while (rest) {
      if (isPlainObject(node) && Object.hasOwn(node, rest)) return { ok: true, value: node[rest] };
      const slash = rest.indexOf('/');
      const headText = slash < 0 ? rest : rest.slice(0, slash);
      rest = slash < 0 ? '' : rest.slice(slash + 1);
      const head: string | number = /^\s*[+-]?\d+\s*$/.test(headText) ? Number.parseInt(headText, 10) : headText;
      if (isPlainObject(node)) {
        if (typeof head === 'number' || !Object.hasOwn(node, head)) return { ok: false };
        node = node[head];
      } else if (Array.isArray(node) || typeof node === 'string') {
        if (typeof head !== 'number') return { ok: false };
        const index = head < 0 ? node.length + head : head;
        if (index < 0 || index >= node.length) return { ok: false };
        node = node[index];
      } else {
        return { ok: false };
      }
    }
    return { ok: true, value: node };
  }

  private line(site: { parent: object; key: PathSegment } | undefined): number | undefined {
    if (!site || !this.locations) return undefined;
    return this.locations.keyPosition(site.parent, String(site.key))?.line ?? this.locations.get(site.parent)?.line;
  }

  private error(message: string, path: PathSegment[], site: { parent: object; key: PathSegment } | undefined): RuntimeError {
    const where = formatPath(path);
    const pos = site && this.locations ? this.locations.keyPosition(site.parent, String(site.key)) : undefined;
    return new RuntimeError('MANIFEST_REF', `${message}, used at ${where}`, {
      path: where,
      line: pos?.line,
      column: pos?.col,
    });
  }
}
