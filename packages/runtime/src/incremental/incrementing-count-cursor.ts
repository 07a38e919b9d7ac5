import type { Json } from '../context.js';
import type { BuildContext, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr } from '../interpolation/values.js';
import type { RequestOption } from '../requesters/request-option.js';
import { emptyOptions } from '../requesters/request-options.js';
import { ConcurrentCursor } from './concurrent-cursor.js';
import { IntegerConverter } from './state-converter.js';

/**
 * IncrementingCountCursor as Airbyte's concurrent CDK runs it: one slice `{start, end}` from the
 * state's value (or `start_value`) to infinity; `start_value_option` sends `start`; the state
 * `{cursor_field: n}` is the highest value read (written when the slice closed with records,
 * and once more at the end).
 */
export class IncrementingCountCursor extends ConcurrentCursor<unknown> {
  constructor(
    streamName: string,
    cursorField: string,
    startValue: number | bigint,
    startValueOption: RequestOption | undefined,
    ctx: BuildContext,
  ) {
    super({
      streamName,
      cursorField,
      converter: new IntegerConverter(),
      start: startValue,
      end: () => Number.POSITIVE_INFINITY,
      filterRecords: false,
      isDataFeed: false,
      requestOptions: (cursorSlice: Json) => {
        const options = emptyOptions();
        const value = cursorSlice.start;
        if (startValueOption && value !== undefined && value !== null) startValueOption.inject(value, options);
        return options;
      },
      logger: ctx.run.logger,
    });
  }

  static fromModel(model: Model, ctx: BuildContext, streamName: string): IncrementingCountCursor {
    const parameters = parametersOf(model);
    const cursorField = pyStr(new InterpolatedString(String(model.cursor_field), parameters).eval(ctx.config));
    let start: number | bigint = 0;
    if (model.start_value !== undefined && model.start_value !== null) {
      const evaluated = new InterpolatedString(pyStr(model.start_value), parameters).eval(ctx.config);
      const parsed = pyInt(evaluated);
      if (parsed === undefined) {
        throw ctx.error('MANIFEST_INVALID', `start_value '${pyStr(evaluated)}' is not an integer`, model);
      }
      start = parsed;
    }
    const option = ctx.optional<RequestOption>(model, 'start_value_option', 'RequestOption');
    return new IncrementingCountCursor(streamName, cursorField, start, option, ctx);
  }
}

/** Python int() of the start value; a value beyond 2^53 stays exact (BigInt). Undefined when not an int. */
function pyInt(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : Math.trunc(value);
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = pyStr(value).trim().replaceAll('_', '');
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}
