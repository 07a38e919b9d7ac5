/**
 * The parts of Python's `dpath` library (2.x) the CDK's transformations use, with its semantics:
 * paths are lists of segments; a glob segment is an fnmatch pattern (`*`, `?`, `[abc]`, `[!abc]`),
 * `**` matches any number of levels (one per glob); list items are addressed by their index as a
 * number or decimal string (negative indices count from the end).
 */

export type Segment = string | number;
/** A walked path: object keys are strings, list positions are numbers. */
type WalkedPath = Array<string | number>;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** dpath's leaf(): everything that is not a dict or list. */
export function isLeaf(value: unknown): boolean {
  return !isContainer(value);
}

function children(node: unknown): Array<[string | number, unknown]> {
  if (Array.isArray(node)) return node.map((value, index) => [index, value]);
  if (isContainer(node)) return Object.entries(node);
  return [];
}

/**
 * Every (path, value) under `node`, in dpath's order: all children of a node first, then each
 * child's subtree in turn. (dpath refuses empty-string keys; we walk them like any key.)
 */
export function* walk(node: unknown, location: WalkedPath = []): Generator<[WalkedPath, unknown]> {
  if (!isContainer(node)) return;
  const kids = children(node);
  for (const [key, value] of kids) yield [[...location, key], value];
  for (const [key, value] of kids) yield* walk(value, [...location, key]);
}

const fnmatchCache = new Map<string, RegExp>();

/** Python's fnmatch.fnmatchcase. */
export function fnmatchCase(name: string, pattern: string): boolean {
  let regex = fnmatchCache.get(pattern);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; ) {
      const c = pattern[i++]!;
      if (c === '*') source += '[\\s\\S]*';
      else if (c === '?') source += '[\\s\\S]';
      else if (c === '[') {
        let j = i;
        if (pattern[j] === '!') j++;
        if (pattern[j] === ']') j++;
        while (j < pattern.length && pattern[j] !== ']') j++;
        if (j >= pattern.length) source += '\\[';
        else {
          let body = pattern.slice(i, j);
          i = j + 1;
          let negate = false;
          if (body.startsWith('!')) {
            negate = true;
            body = body.slice(1);
          }
          body = body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]').replace(/\^/g, '\\^');
          source += body === '' ? (negate ? '[\\s\\S]' : '(?!)') : `[${negate ? '^' : ''}${body}]`;
        }
      } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    regex = new RegExp(`^${source}$`, 'u');
    fnmatchCache.set(pattern, regex);
  }
  return regex.test(name);
}

/** Python int() of a glob segment, or undefined when it is not an integer. */
function toInt(segment: Segment): number | undefined {
  if (typeof segment === 'number') return Number.isInteger(segment) ? segment : undefined;
  const text = segment.trim().replace(/(\d)_(?=\d)/g, '$1');
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

const STAR = Symbol('star');

/** dpath.segments.match: does a walked path match a glob? */
export function matchPath(path: WalkedPath, glob: readonly Segment[], lengths?: readonly number[]): boolean {
  let expanded: Array<Segment | typeof STAR> = [...glob];
  const ss = glob.indexOf('**');
  if (ss >= 0) {
    if (glob.indexOf('**', ss + 1) >= 0) throw new Error(`only one '**' is permitted per glob: ${JSON.stringify(glob)}`);
    if (path.length >= glob.length) {
      const stars = new Array<typeof STAR>(path.length - glob.length + 1).fill(STAR);
      expanded = [...glob.slice(0, ss), ...stars, ...glob.slice(ss + 1)];
    } else if (path.length === glob.length - 1) {
      expanded = [...glob.slice(0, ss), ...glob.slice(ss + 1)];
    }
  }
  if (path.length !== expanded.length) return false;
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    const g = expanded[i]!;
    if (g === STAR) continue;
    if (typeof s === 'number') {
      const wanted = toInt(g);
      const length = lengths?.[i];
      if (wanted !== undefined && (wanted === s || (length !== undefined && length + wanted === s))) continue;
      if (typeof g !== 'string' || !fnmatchCase(String(s), g)) return false;
    } else if (typeof g !== 'string' || !fnmatchCase(s, g)) return false;
  }
  return true;
}

/** Lengths of the lists along a walked path (for negative-index matching). */
function listLengths(root: unknown, path: WalkedPath): number[] {
  const lengths: number[] = [];
  let current: unknown = root;
  for (const key of path) {
    lengths.push(Array.isArray(current) ? current.length : -1);
    current = isContainer(current) ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return lengths;
}

function isDecimal(segment: Segment): boolean {
  return typeof segment === 'number' ? Number.isInteger(segment) : /^[0-9]+$/.test(segment);
}

/** dpath.segments.get: exact lookup; undefined when absent. */
export function getExact(root: unknown, path: readonly Segment[]): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      let index = typeof segment === 'number' ? segment : isDecimal(segment) ? Number(segment) : NaN;
      if (!Number.isInteger(index)) return { found: false };
      if (index < 0) index += current.length;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else if (isObject(current)) {
      const key = String(segment);
      if (!Object.hasOwn(current, key)) return { found: false };
      current = current[key];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/** A glob without pattern characters matches at most one node, found without walking the document. */
function isLiteral(glob: readonly Segment[]): boolean {
  return glob.every((segment) => typeof segment === 'number' || !/[*?[]/.test(segment));
}

/**
 * The one node a literal glob can match, following dpath's matching rules: an object key must be
 * equal (a number segment never matches a key); a list position matches a segment that Python's
 * int() reads as it (negative counts from the end).
 */
function literalLookup(root: unknown, glob: readonly Segment[]): { found: boolean; parent?: unknown; key?: string | number; value?: unknown } {
  let current: unknown = root;
  let parent: unknown;
  let key: string | number | undefined;
  for (const segment of glob) {
    if (Array.isArray(current)) {
      const wanted = toInt(segment);
      if (wanted === undefined) return { found: false };
      const index = wanted < 0 ? wanted + current.length : wanted;
      if (index < 0 || index >= current.length) return { found: false };
      parent = current;
      key = index;
      current = current[index];
    } else if (isObject(current)) {
      if (typeof segment !== 'string' || !Object.hasOwn(current, segment)) return { found: false };
      parent = current;
      key = segment;
      current = current[segment];
    } else return { found: false };
  }
  return { found: true, parent, key, value: current };
}

/** dpath.values: every value whose path matches the glob, in walk order. */
export function values(root: unknown, glob: readonly Segment[]): unknown[] {
  if (glob.length > 0 && isLiteral(glob)) {
    const hit = literalLookup(root, glob);
    return hit.found ? [hit.value] : [];
  }
  const out: unknown[] = [];
  for (const [path, value] of walk(root)) {
    if (matchPath(path, glob, listLengths(root, path))) out.push(value);
  }
  return out;
}

/**
 * dpath.get with a default: the one value matching the glob. More than one match is an error in
 * dpath (ValueError); we throw too.
 */
export function get(root: unknown, glob: readonly Segment[], fallback: unknown): unknown {
  if (glob.length === 0) return root;
  if (isLiteral(glob)) {
    const hit = literalLookup(root, glob);
    return hit.found ? hit.value : fallback;
  }
  const found: unknown[] = [];
  for (const [path, value] of walk(root)) {
    if (matchPath(path, glob, listLengths(root, path))) {
      found.push(value);
      if (found.length > 1) throw new Error(`the path ${JSON.stringify(glob)} matches more than one value`);
    }
  }
  return found.length === 0 ? fallback : found[0];
}

/**
 * dpath.delete, including its filter quirk: with a filter, every leaf anywhere in the document for
 * which the filter holds is deleted, whether or not its path matches the glob. A matched list item
 * is set to null unless it is the list's last item, which is removed. Returns the number deleted.
 */
export function remove(root: unknown, glob: readonly Segment[], filter?: (value: unknown) => boolean): number {
  if (!filter && glob.length > 0 && isLiteral(glob)) {
    const hit = literalLookup(root, glob);
    if (!hit.found) return 0;
    if (Array.isArray(hit.parent)) {
      const index = hit.key as number;
      if (index === hit.parent.length - 1) hit.parent.pop();
      else hit.parent[index] = null;
    } else delete (hit.parent as Record<string, unknown>)[hit.key as string];
    return 1;
  }
  let deleted = 0;
  const pairs = [...walk(root)];
  for (const [path, value] of pairs) {
    if (!getExact(root, path).found) continue;
    const matched = matchPath(path, glob, listLengths(root, path));
    const selected = filter !== undefined && isLeaf(value) && filter(value);
    if (!((matched && !filter) || selected)) continue;
    const key = path[path.length - 1]!;
    const parent = getExact(root, path.slice(0, -1)).value;
    if (Array.isArray(parent)) {
      const index = key as number;
      if (index === parent.length - 1) parent.pop();
      else parent[index] = null;
    } else if (isObject(parent)) {
      delete parent[key as string];
    }
    deleted += 1;
  }
  return deleted;
}

/** Thrown by setPath when an existing value on the way is not a container (dpath's PathNotFound). */
export class PathNotFound extends Error {
  override name = 'PathNotFound';
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}

function extend(list: unknown[], index: number): void {
  while (list.length < index + 1) list.push(null);
}

/**
 * dpath.new: sets the value at the path (not a glob), creating missing objects, or lists when the
 * next segment is a decimal; writing past a list's end pads it with nulls.
 */
export function setPath(root: Record<string, unknown>, path: readonly Segment[], value: unknown): void {
  if (path.length === 0) throw new PathNotFound('empty path');
  let current: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    const nextIsIndex = isDecimal(path[i + 1]!);
    if (Array.isArray(current)) {
      const index = toListIndex(segment, current, path);
      if (index >= current.length) extend(current, index);
      if (current[index] === undefined || index >= current.length) current[index] = nextIsIndex ? [] : {};
      current = current[index];
    } else if (isObject(current)) {
      const key = String(segment);
      if (!Object.hasOwn(current, key)) setKey(current, key, nextIsIndex ? [] : {});
      current = current[key];
    }
    if (isLeaf(current)) throw new PathNotFound(`cannot set ${JSON.stringify(path)}: ${JSON.stringify(path.slice(0, i + 1))} is not an object or a list`);
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(current)) {
    const index = toListIndex(last, current, path);
    extend(current, index);
    current[index] = value;
  } else setKey(current as Record<string, unknown>, String(last), value);
}

function toListIndex(segment: Segment, list: unknown[], path: readonly Segment[]): number {
  const index = typeof segment === 'number' ? segment : isDecimal(segment) ? Number(segment) : NaN;
  if (!Number.isInteger(index)) throw new PathNotFound(`cannot set ${JSON.stringify(path)}: '${segment}' is not a list index`);
  const resolved = index < 0 ? index + list.length : index;
  if (resolved < 0) throw new PathNotFound(`cannot set ${JSON.stringify(path)}: index ${index} is out of range`);
  return resolved;
}
