/** 1-based position in the manifest's YAML text. */
export interface Position {
  line: number;
  col: number;
}

/** Where an object or array was written, plus where each of its keys was written. */
export interface NodeLocation extends Position {
  keys: Map<string, Position>;
}

/**
 * Maps the objects and arrays of a manifest (and of every copy the pipeline makes of them) back to
 * the place in manifest.yaml where they were written. Keyed by identity, so it never leaks.
 */
export class LocationTable {
  private readonly table = new WeakMap<object, NodeLocation>();

  set(node: object, loc: NodeLocation): void {
    this.table.set(node, loc);
  }

  get(node: object): NodeLocation | undefined {
    return this.table.get(node);
  }

  /** Where `key` of `node` was written; falls back to the node itself. */
  keyPosition(node: object, key: string): Position | undefined {
    const loc = this.table.get(node);
    if (!loc) return undefined;
    return loc.keys.get(key) ?? loc;
  }

  /**
   * Records that `copy` stands for `source` (a pipeline stage made it). Key positions of the
   * copy are the union of `extraKeysFrom` (lower priority) and the source's.
   */
  inherit(copy: object, source: object, extraKeysFrom?: object): void {
    const src = this.table.get(source);
    const extra = extraKeysFrom ? this.table.get(extraKeysFrom) : undefined;
    const base = src ?? extra;
    if (!base) return;
    const keys = new Map<string, Position>(extra?.keys ?? []);
    for (const [k, v] of src?.keys ?? []) keys.set(k, v);
    this.table.set(copy, { line: base.line, col: base.col, keys });
  }
}
