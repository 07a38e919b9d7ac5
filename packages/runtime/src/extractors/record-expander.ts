import type { Json } from '../context.js';
import { type Builder, parametersOf } from '../factory/build-context.js';
import { values, type Segment } from '../dpath/dpath.js';
import { Template } from '../transformations/templates.js';

export type OnNoRecords = 'skip' | 'emit_parent';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RecordExpander (CDK 7.x): each extracted record becomes the items of the list(s) at
 * `expand_records_from_field` (templates evaluated with config; `*` and other dpath globs match
 * several lists, whose items are emitted in order). Object items are shallow-copied; with
 * `remain_original_record` each gets `original_record` (a deep copy of the parent), and a non-object
 * item is emitted as `{value, original_record}`. When nothing is emitted, `on_no_records:
 * emit_parent` emits the parent unchanged; `skip` (default) emits nothing. A record that is not an
 * object, or an empty path, passes through unchanged.
 */
export class RecordExpander {
  constructor(
    private readonly path: Template[],
    private readonly config: Json,
    private readonly remainOriginalRecord = false,
    private readonly onNoRecords: OnNoRecords = 'skip',
  ) {}

  *expand(record: unknown): Iterable<unknown> {
    if (!isObject(record) || this.path.length === 0) {
      yield record;
      return;
    }
    const path = this.path.map((segment): Segment => {
      const value = segment.eval(this.config);
      return typeof value === 'number' ? value : String(value);
    });
    let expanded = false;
    for (const found of values(record, path)) {
      if (!Array.isArray(found)) continue;
      for (const item of found) {
        expanded = true;
        if (isObject(item)) {
          const child: Record<string, unknown> = { ...item };
          if (this.remainOriginalRecord) child.original_record = structuredClone(record);
          yield child;
        } else if (this.remainOriginalRecord) {
          yield { value: item, original_record: structuredClone(record) };
        } else {
          yield item;
        }
      }
    }
    if (!expanded && this.onNoRecords === 'emit_parent') yield record;
  }
}

export const recordExpanderBuilder: Builder<RecordExpander> = (model, ctx) => {
  const field = model.expand_records_from_field;
  if (!Array.isArray(field) || field.some((segment) => typeof segment !== 'string')) {
    throw ctx.error('MANIFEST_INVALID', "'expand_records_from_field' must be a list of strings", model);
  }
  const remain = model.remain_original_record ?? false;
  if (typeof remain !== 'boolean') throw ctx.error('MANIFEST_INVALID', "'remain_original_record' must be true or false", model);
  const onNoRecords = model.on_no_records ?? 'skip';
  if (onNoRecords !== 'skip' && onNoRecords !== 'emit_parent') {
    throw ctx.error('MANIFEST_INVALID', "'on_no_records' must be 'skip' or 'emit_parent'", model);
  }
  const parameters = parametersOf(model);
  return new RecordExpander(
    (field as string[]).map((segment) => new Template(segment, parameters)),
    ctx.config,
    remain,
    onNoRecords,
  );
};

export const recordExpanderBuilders: Record<string, Builder> = { RecordExpander: recordExpanderBuilder };
