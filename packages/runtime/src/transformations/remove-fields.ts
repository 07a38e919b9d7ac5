import type { Json } from '../context.js';
import { remove, type Segment } from '../dpath/dpath.js';
import type { Condition } from './templates.js';
import type { RecordContext, RecordTransformation } from './transformation.js';

/**
 * RemoveFields: deletes what each field pointer (a dpath glob: `*`, `**`, fnmatch patterns, list
 * indices) matches; a missing path is not an error. A matched list item becomes null unless it is
 * the last one, which is removed. With a `condition` (context: `property`, the leaf value, and
 * `config`; `parameters` is empty, as the CDK's factory passes none), dpath's filter semantics apply:
 * every leaf of the record for which the condition holds is removed, whatever the pointer.
 */
export class RemoveFields implements RecordTransformation {
  constructor(
    private readonly pointers: Segment[][],
    private readonly condition: Condition,
    private readonly config: Json,
  ) {}

  transform(record: Json, _context?: RecordContext): void {
    const filter = this.condition.isEmpty
      ? undefined
      : (value: unknown): boolean => this.condition.eval(this.config, { property: value });
    for (const pointer of this.pointers) remove(record, pointer, filter);
  }
}
