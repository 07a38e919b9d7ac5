import { type DateTime, parseDatetime } from '../datetime/index.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString, withClock } from '../interpolation/index.js';
import { pyStr } from '../interpolation/values.js';

const DEFAULT_FORMAT = '%Y-%m-%dT%H:%M:%S.%f%z';

/**
 * A datetime from a template, kept within optional min/max bounds (MinMaxDatetime). A plain
 * string in the manifest is the same without bounds. Without its own `datetime_format`, the
 * cursor's format is used.
 */
export class MinMaxDatetime {
  private readonly datetime: InterpolatedString;
  private readonly min: InterpolatedString | undefined;
  private readonly max: InterpolatedString | undefined;
  readonly datetimeFormat: string;

  constructor(
    definition: string | Record<string, unknown>,
    fallbackFormat: string,
    parameters: Record<string, unknown> = {},
  ) {
    if (typeof definition === 'string') {
      this.datetime = new InterpolatedString(definition, parameters);
      this.datetimeFormat = fallbackFormat || DEFAULT_FORMAT;
      return;
    }
    const own = { ...parameters, ...parametersOf(definition) };
    this.datetime = new InterpolatedString(String(definition.datetime ?? ''), own);
    const min = definition.min_datetime;
    const max = definition.max_datetime;
    this.min = typeof min === 'string' && min ? new InterpolatedString(min, own) : undefined;
    this.max = typeof max === 'string' && max ? new InterpolatedString(max, own) : undefined;
    const format = definition.datetime_format;
    this.datetimeFormat = (typeof format === 'string' && format) || fallbackFormat || DEFAULT_FORMAT;
  }

  /** `clock` (epoch ms) is what now_utc() and friends read in the templates. */
  get(config: Record<string, unknown>, clock?: () => number): DateTime {
    const extra = clock ? withClock({}, clock) : undefined;
    let time = this.parse(this.datetime.eval(config, extra), 'datetime');
    if (this.min) {
      const text = pyStr(this.min.eval(config, extra));
      if (text) {
        const min = this.parse(text, 'min_datetime');
        if (min.compare(time) > 0) time = min;
      }
    }
    if (this.max) {
      const text = pyStr(this.max.eval(config, extra));
      if (text) {
        const max = this.parse(text, 'max_datetime');
        if (max.compare(time) < 0) time = max;
      }
    }
    return time;
  }

  private parse(value: unknown, what: string): DateTime {
    const text = pyStr(value);
    try {
      return parseDatetime(text, this.datetimeFormat);
    } catch (error) {
      throw new RuntimeError(
        'DATETIME_FORMAT',
        `${what} '${text}' does not match the datetime format '${this.datetimeFormat}': ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}
