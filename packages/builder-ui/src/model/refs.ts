/**
 * Reference-aware access to a manifest (plain JSON), following the CDK's rules:
 *  - a mapping with a `$ref` key is the referenced mapping with its own keys laid over it;
 *  - a string `"#/a/b"` (or legacy `*ref(a.b)`) is replaced by the value it points at.
 *
 * Reads see through references. Writes go where a value currently lives: a key a `$ref` mapping
 * inherits is changed in the referenced definition (so a shared `url_base` stays shared), a key
 * written locally is changed locally, and new keys are added locally.
 */

export type Key = string | number;
export type Path = Key[];
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = Record<string, unknown>;

const LEGACY_REF = /^\*ref\((.*)\)$/s;

export function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Obj;
  const bo = b as Obj;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The pointer a reference node points at, as a path from the root; undefined if not a reference. */
export function refTarget(node: unknown): Path | undefined {
  let ref: string | undefined;
  if (typeof node === 'string') ref = node;
  else if (isPlainObject(node) && typeof node.$ref === 'string') ref = node.$ref;
  if (ref === undefined) return undefined;
  if (ref.startsWith('#/')) {
    return ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  const legacy = LEGACY_REF.exec(ref);
  if (legacy) return legacy[1]!.split('.');
  return undefined;
}

function step(node: unknown, key: Key): unknown {
  if (Array.isArray(node)) {
    const i = typeof key === 'number' ? key : Number(key);
    return node[i < 0 ? node.length + i : i];
  }
  if (isPlainObject(node)) return node[String(key)];
  return undefined;
}

/** The raw node at a concrete path (no reference following). */
export function rawAt(root: unknown, path: Path): unknown {
  let n = root;
  for (const k of path) n = step(n, k);
  return n;
}

/** Follow a node through references until it is not a reference (max depth guards cycles). */
function follow(root: unknown, node: unknown, at: Path): { node: unknown; at: Path } {
  for (let i = 0; i < 32; i++) {
    const t = refTarget(node);
    if (!t) return { node, at };
    if (isPlainObject(node)) return { node, at }; // a `$ref` mapping: keys are looked up by ownerOf
    node = rawAt(root, t);
    at = t;
  }
  return { node, at };
}

/**
 * Where the value at a logical path lives (the concrete path to write), following references.
 * Keys not present anywhere resolve to a local location.
 */
export function locate(root: unknown, path: Path): Path {
  let cur: Path = [];
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    ({ node, at: cur } = follow(root, node, cur));
    // a `$ref` mapping with overrides: a local key wins, else the key of the definition that has
    // it; a key found nowhere is new and belongs here (locally)
    const owner = ownerOf(root, node, cur, String(key));
    if (owner) ({ node, at: cur } = owner);
    const next = step(node, key);
    if (next === undefined) return [...cur, ...path.slice(i)];
    cur = [...cur, key];
    node = next;
  }
  return cur;
}

function ownerOf(root: unknown, node: unknown, at: Path, key: string, depth = 0): { node: unknown; at: Path } | undefined {
  if (depth > 32 || !isPlainObject(node)) return undefined;
  if (key in node) return { node, at };
  const t = refTarget(node);
  if (!t) return undefined;
  const f = follow(root, rawAt(root, t), t);
  return ownerOf(root, f.node, f.at, key, depth + 1);
}

/** Deeply resolve references in a value (for display). */
export function resolveDeep(root: unknown, value: unknown, depth = 0): unknown {
  if (depth > 40) return value;
  const t = refTarget(value);
  if (t) {
    const target = resolveDeep(root, rawAt(root, t), depth + 1);
    if (isPlainObject(value)) {
      const { $ref: _r, ...rest } = value;
      if (!isPlainObject(target)) return target;
      const merged: Obj = { ...target };
      for (const [k, v] of Object.entries(rest)) merged[k] = resolveDeep(root, v, depth + 1);
      return merged;
    }
    return target;
  }
  if (Array.isArray(value)) return value.map((v) => resolveDeep(root, v, depth + 1));
  if (isPlainObject(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'config_overrides') out[k] = v;
      else out[k] = resolveDeep(root, v, depth + 1);
    }
    return out;
  }
  return value;
}

/** The resolved value at a logical path. */
export function getIn(root: unknown, path: Path): unknown {
  const at = locate(root, path);
  return resolveDeep(root, rawAt(root, at));
}

/** Set (or delete, with undefined) the raw value at a concrete path, creating mappings on the way. */
export function setRaw(root: Obj, path: Path, value: unknown): void {
  if (path.length === 0) throw new Error('cannot replace the root');
  let n: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    let next = step(n, k);
    if (next === undefined || next === null || typeof next !== 'object') {
      if (value === undefined) return;
      next = typeof path[i + 1] === 'number' ? [] : {};
      if (Array.isArray(n)) n[Number(k)] = next;
      else (n as Obj)[String(k)] = next;
    }
    n = next;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(n)) {
    if (value === undefined) n.splice(Number(last), 1);
    else n[Number(last)] = value;
  } else if (isPlainObject(n)) {
    if (value === undefined) delete n[String(last)];
    else n[String(last)] = value;
  }
}

/** Set the value at a logical path where it lives (see module comment). */
export function setIn(root: Obj, path: Path, value: unknown, opts: { local?: boolean } = {}): void {
  if (opts.local) {
    const parent = locate(root, path.slice(0, -1));
    setRaw(root, [...parent, path[path.length - 1]!], value);
    return;
  }
  setRaw(root, locate(root, path), value);
}

/**
 * Make the value at a logical path equal `value`, touching as little as possible: unchanged keys are
 * left as written (references, ordering), changed keys of mappings are written where they live.
 */
export type Setter = (root: Obj, path: Path, value: unknown) => void;

export function patchIn(root: Obj, path: Path, value: unknown, set: Setter = setIn): void {
  const old = getIn(root, path);
  if (deepEqual(old, value)) return;
  if (isPlainObject(value) && typeof value.$ref === 'string') {
    set(root, path, value); // pointing somewhere else: replace, never write through the old reference
    return;
  }
  if (Array.isArray(old) && Array.isArray(value) && old.length === value.length && path.length > 0) {
    value.forEach((v, i) => patchIn(root, [...path, i], v, set)); // keeps references inside items
    return;
  }
  if (isPlainObject(old) && isPlainObject(value) && path.length > 0) {
    // a plain "#/..." string reference is replaced by its value only when it must change
    const raw = rawAt(root, locate(root, path));
    if (typeof raw === 'string') {
      set(root, path, value);
      return;
    }
    // keep the type switch obvious: if `type` changed, rewrite the whole component locally
    // unless it lives in a shared definition
    for (const k of Object.keys(old)) if (!(k in value) || value[k] === undefined) set(root, [...path, k], undefined);
    for (const [k, v] of Object.entries(value)) if (v !== undefined) patchIn(root, [...path, k], v, set);
    return;
  }
  set(root, path, value);
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((k, i) => String(k) === String(b[i]));
}

/**
 * A setter for one owner (a stream at `path[0..ownerDepth)`): a value that lives in a definition
 * other owners share is not changed there; instead the first shared node on the way is copied into
 * this owner (resolved) and changed in the copy, so the other owners keep theirs.
 * `others(rest)` lists the same logical path under every other owner.
 */
export function ownedSetter(ownerDepth: number, others: (rest: Path) => Path[]): Setter {
  return (root, path, value) => {
    for (let k = ownerDepth + 1; k <= path.length; k++) {
      const loc = locate(root, path.slice(0, k));
      const rest = path.slice(ownerDepth, k);
      const shared = others(rest).some((p) => samePath(locate(root, p), loc));
      if (!shared) continue;
      const parentLoc = locate(root, path.slice(0, k - 1));
      const key = path[k - 1]!;
      // a plain "#/…" string reference becomes a `$ref` mapping, so it can take an override
      const parentRaw = rawAt(root, parentLoc);
      const t = typeof parentRaw === 'string' ? refTarget(parentRaw) : undefined;
      if (t) setRaw(root, parentLoc, { $ref: `#/${t.map((x) => String(x).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` });
      if (k === path.length) {
        setRaw(root, [...parentLoc, key], value);
        return;
      }
      const copy = clone(getIn(root, path.slice(0, k)));
      const holder: Obj = { v: isPlainObject(copy) || Array.isArray(copy) ? copy : {} };
      setRaw(holder, ['v', ...path.slice(k)], value);
      setRaw(root, [...parentLoc, key], holder.v);
      return;
    }
    setIn(root, path, value);
  };
}
