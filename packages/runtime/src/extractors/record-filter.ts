import type { Json } from '../context.js';
import { type Builder, parametersOf } from '../factory/build-context.js';
import { InterpolatedBoolean } from '../interpolation/index.js';
import type { RecordContext } from '../transformations/transformation.js';

export interface RecordFilter {
  /** True when the record is kept. */
  matches(record: Json, context: RecordContext): boolean;
}

/**
 * RecordFilter: keeps the records for which `condition` holds. The condition sees `record`,
 * `stream_slice` (with its aliases), `next_page_token`, `config` and `parameters`, as in the CDK.
 * The CDK evaluates an empty condition as false and so drops every record; its builder here rejects
 * an empty condition instead (stricter).
 */
export class ConditionRecordFilter implements RecordFilter {
  private readonly condition: InterpolatedBoolean;

  constructor(
    readonly source: string,
    parameters: Record<string, unknown>,
    private readonly config: Json,
  ) {
    this.condition = new InterpolatedBoolean(source, parameters);
  }

  matches(record: Json, context: RecordContext): boolean {
    return this.condition.eval(this.config, {
      record,
      stream_slice: context.stream_slice,
      next_page_token: context.next_page_token ?? null,
    });
  }
}

export const recordFilterBuilder: Builder<RecordFilter> = (model, ctx) => {
  const condition = model.condition ?? '';
  if (typeof condition !== 'string') throw ctx.error('MANIFEST_INVALID', "'condition' must be a string", model);
  if (condition.trim() === '') {
    throw ctx.error(
      'MANIFEST_INVALID',
      "RecordFilter has no 'condition'; the CDK would drop every record. Give a condition or remove the record_filter",
      model,
    );
  }
  return new ConditionRecordFilter(condition, parametersOf(model), ctx.config);
};

export const recordFilterBuilders: Record<string, Builder> = { RecordFilter: recordFilterBuilder };
