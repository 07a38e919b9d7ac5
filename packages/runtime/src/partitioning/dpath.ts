import { getExact } from '../dpath/dpath.js';

/** Raised when a dpath does not lead to a value (Python's KeyError from dpath.get). */
export class PathNotFound extends Error {
  constructor(path: string[]) {
    super(`no value at path '${path.join('/')}'`);
    this.name = 'PathNotFound';
  }
}

/**
 * dpath.get for a record: `path` is a list of keys, or one string split on '/'. List items are
 * reached by their index. A present null is returned; a missing key throws PathNotFound.
 */
export function dpathGet(root: unknown, path: string | string[]): unknown {
  const segments = typeof path === 'string' ? path.split('/').filter((segment) => segment !== '') : path;
  const hit = getExact(root, segments);
  if (!hit.found) throw new PathNotFound(segments);
  return hit.value;
}
