import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { PathNotFound, setPath } from '../dpath/dpath.js';
import { Condition, Template, toRecordValue, type ValueType } from './templates.js';
import type { RecordContext, RecordTransformation } from './transformation.js';

export interface AddedField {
  path: string[];
  value: Template;
  valueType?: ValueType | undefined;
}

/**
 * AddFields, as the CDK runs it: for each field in order, the value template is evaluated with
 * `record` (as already changed by the previous fields) and `stream_slice`, cast by `value_type`
 * (a literal of another type stays the rendered string); then, when `condition` is empty or holds
 * (with `value`, `path`, `record` and `stream_slice` in its context), the value is written at `path`
 * (not a template), creating missing objects; a decimal segment creates / pads a list.
 * Writing through an existing non-object value is an error, as in the CDK.
 */
export class AddFields implements RecordTransformation {
  constructor(
    private readonly fields: AddedField[],
    private readonly condition: Condition,
    private readonly config: Json,
  ) {}

  transform(record: Json, context: RecordContext): void {
    const extra: Record<string, unknown> = { record, stream_slice: context.stream_slice };
    for (const field of this.fields) {
      const value = toRecordValue(field.value.evalAs(this.config, extra, field.valueType));
      if (!this.condition.isEmpty && !this.condition.eval(this.config, { ...extra, value, path: field.path })) continue;
      try {
        setPath(record, field.path, value);
      } catch (error) {
        if (error instanceof PathNotFound) {
          throw new RuntimeError('RECORD_EXTRACT', `AddFields cannot add ${JSON.stringify(field.path)}: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
    }
  }
}
