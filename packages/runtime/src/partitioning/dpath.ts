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
  let node: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      if (!/^-?\d+$/.test(segment)) throw new PathNotFound(segments);
      const index = Number(segment);
      const item = node[index < 0 ? node.length + index : index];
      if (item === undefined) throw new PathNotFound(segments);
      node = item;
    } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      throw new PathNotFound(segments);
    }
  }
  return node;
}
