/**
 * The parts of python-dpath the resolvers rely on: `get` (exact path, a default when missing),
 * `set` (change every existing element matching a glob path; returns how many) and `new`
 * (create the path, literally, building dictionaries on the way).
 */
import { getExact } from '../dpath/dpath.js';
import { isPlainObject } from '../manifest/path.js';

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

export function dpathGet(root: unknown, path: readonly unknown[], fallback: unknown): unknown {
  const hit = getExact(root, path.map(String));
  return hit.found ? hit.value : fallback;
}

/** fnmatch-style segment matching (`*`, `?`, `[...]`), as dpath does per segment. */
function segmentMatcher(pattern: string): (key: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (key) => key === pattern;
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 's');
  return (key) => regex.test(key);
}

/** dpath.set: replaces the value of every existing path matching `glob`; returns the count. */
export function dpathSet(root: Container, glob: readonly unknown[], value: unknown): number {
  if (glob.length === 0) return 0;
  const matchers = glob.map((segment) => segmentMatcher(String(segment)));
  let changed = 0;
  const visit = (node: unknown, depth: number) => {
    if (!isContainer(node)) return;
    const matcher = matchers[depth] as (key: string) => boolean;
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node);
    for (const key of keys) {
      if (!matcher(key)) continue;
      if (depth === matchers.length - 1) {
        if (Array.isArray(node)) node[Number(key)] = value;
        else node[key] = value;
        changed += 1;
      } else {
        visit(Array.isArray(node) ? node[Number(key)] : node[key], depth + 1);
      }
    }
  };
  visit(root, 0);
  return changed;
}

/** dpath.new: sets `path` (not a glob), creating missing dictionaries on the way. */
export function dpathNew(root: Container, path: readonly unknown[], value: unknown): void {
  let node: Container = root;
  path.forEach((raw, index) => {
    const last = index === path.length - 1;
    const key = String(raw);
    if (Array.isArray(node)) {
      const i = Number(key);
      if (last) node[i] = value;
      else {
        if (!isContainer(node[i])) node[i] = typeof path[index + 1] === 'number' ? [] : {};
        node = node[i] as Container;
      }
      return;
    }
    if (last) node[key] = value;
    else {
      if (!isContainer(node[key])) node[key] = typeof path[index + 1] === 'number' ? [] : {};
      node = node[key] as Container;
    }
  });
}
