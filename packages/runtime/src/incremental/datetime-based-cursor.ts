import type { Json } from '../context.js';
import { DateTime, type Duration, parseDuration } from '../datetime/index.js';
import type { BuildContext, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr, truthy } from '../interpolation/values.js';
import type { Logger } from '../logging/logger.js';
import type { RequestOption } from '../requesters/request-option.js';
import { type RequestOptions, emptyOptions } from '../requesters/request-options.js';
import { type Clamp, ClampingDefinitionError, type DatetimeClamping, buildClamping } from './clamping.js';
import { ConcurrentCursor } from './concurrent-cursor.js';
import { MinMaxDatetime } from './min-max-datetime.js';
import { DatetimeConverter } from './state-converter.js';

/** A DatetimeBasedCursor model with its templates evaluated. */
export interface DatetimeCursorSpec {
  streamName: string;
  cursorField: string;
  datetimeFormat: string;
  cursorDatetimeFormats: string[] | undefined;
  start: DateTime;
  /** end_datetime, or now. */
  end: () => DateTime;
  /** clamping: window bounds snapped up to a DAY, WEEK or MONTH boundary (end already floored). */
  clamp: Clamp | undefined;
  step: Duration | undefined;
  granularity: Duration | undefined;
  lookback: Duration | undefined;
  /** partition_field_start / partition_field_end (default start_time / end_time). */
  boundaryFields: [string, string];
  startTimeOption: RequestOption | undefined;
  endTimeOption: RequestOption | undefined;
  isDataFeed: boolean;
  isClientSideIncremental: boolean;
  globalSubstreamCursor: boolean;
  logger: Logger;
}

/** Reads a DatetimeBasedCursor model the way the CDK's factory does. */
export function datetimeCursorSpec(model: Model, ctx: BuildContext, streamName: string): DatetimeCursorSpec {
  const parameters = parametersOf(model);
  const config = ctx.config;
  const evalRaw = (source: unknown): unknown => new InterpolatedString(String(source), parameters).eval(config);
  const evalString = (source: unknown): string => pyStr(evalRaw(source));
  const datetimeFormat = model.datetime_format;
  if (typeof datetimeFormat !== 'string' || !datetimeFormat) {
    throw ctx.error('MANIFEST_INVALID', "DatetimeBasedCursor needs a 'datetime_format'", model);
  }
  const cursorField = evalString(model.cursor_field);
  const duration = (value: string, field: string): Duration => {
    try {
      return parseDuration(value);
    } catch (error) {
      throw ctx.error('MANIFEST_INVALID', `${field} '${value}' is not an ISO 8601 duration`, model);
    }
  };
  const granularity =
    typeof model.cursor_granularity === 'string' && model.cursor_granularity
      ? duration(model.cursor_granularity, 'cursor_granularity')
      : undefined;
  if (!!model.step !== !!model.cursor_granularity) {
    throw ctx.error(
      'MANIFEST_INVALID',
      `If step is defined, cursor_granularity should be as well and vice-versa. Right now, step is \`${pyRepr(model.step)}\` and cursor_granularity is \`${pyRepr(model.cursor_granularity)}\``,
      model,
    );
  }
  let step: Duration | undefined;
  if (model.step) {
    const evaluated = evalRaw(model.step);
    if (truthy(evaluated)) step = duration(pyStr(evaluated), 'step');
  }
  let lookback: Duration | undefined;
  if (model.lookback_window) {
    const evaluated = evalRaw(model.lookback_window);
    if (truthy(evaluated)) lookback = duration(pyStr(evaluated), 'lookback_window');
  }
  const startDefinition = model.start_datetime;
  if (startDefinition === undefined || startDefinition === null) {
    throw ctx.error('MANIFEST_INVALID', "DatetimeBasedCursor needs a 'start_datetime'", model);
  }
  const clock = ctx.run.clock;
  const start = new MinMaxDatetime(startDefinition as string | Model, datetimeFormat, parameters).get(config, clock);
  const endDefinition = model.end_datetime;
  const endDatetime = endDefinition
    ? new MinMaxDatetime(endDefinition as string | Model, datetimeFormat, parameters)
    : undefined;
  const end = endDatetime ? () => endDatetime.get(config, clock) : () => DateTime.now(clock);
  const clamping = readClamping(model, ctx, evalRaw, end, granularity);
  const formats = model.cursor_datetime_formats;
  return {
    streamName,
    cursorField,
    datetimeFormat,
    cursorDatetimeFormats: Array.isArray(formats) && formats.length > 0 ? formats.map(String) : undefined,
    start,
    end: clamping ? clamping.end : end,
    clamp: clamping?.clamp,
    step,
    granularity,
    lookback,
    boundaryFields: [
      evalString(model.partition_field_start || 'start_time'),
      evalString(model.partition_field_end || 'end_time'),
    ],
    startTimeOption: ctx.optional<RequestOption>(model, 'start_time_option', 'RequestOption'),
    endTimeOption: ctx.optional<RequestOption>(model, 'end_time_option', 'RequestOption'),
    isDataFeed: model.is_data_feed === true,
    isClientSideIncremental: model.is_client_side_incremental === true,
    globalSubstreamCursor: model.global_substream_cursor === true,
    logger: ctx.run.logger,
  };
}

/** start_time_option / end_time_option filled from a cursor slice (DatetimeBasedRequestOptionsProvider). */
export function datetimeRequestOptions(
  spec: Pick<DatetimeCursorSpec, 'startTimeOption' | 'endTimeOption' | 'boundaryFields'>,
  cursorSlice: Json,
): Partial<RequestOptions> {
  const options = emptyOptions();
  const [startKey, endKey] = spec.boundaryFields;
  const startValue = cursorSlice[startKey];
  const endValue = cursorSlice[endKey];
  if (spec.startTimeOption && startValue !== undefined && startValue !== null) spec.startTimeOption.inject(startValue, options);
  if (spec.endTimeOption && endValue !== undefined && endValue !== null) spec.endTimeOption.inject(endValue, options);
  return options;
}

/**
 * DatetimeBasedCursor as Airbyte's concurrent CDK runs it: windows of `step` (each ending one
 * `cursor_granularity` before the next starts, the last one ending at the end datetime) from
 * the state (minus `lookback_window`) or `start_datetime`; state `{cursor_field: value}` in
 * `datetime_format`, written after every window: the most recent record value of the first
 * contiguous read interval.
 */
export class DatetimeBasedCursor extends ConcurrentCursor<DateTime> {
  constructor(readonly spec: DatetimeCursorSpec) {
    const converter = new DatetimeConverter(spec.datetimeFormat, spec.cursorDatetimeFormats, spec.granularity);
    const { step, granularity, lookback } = spec;
    super({
      streamName: spec.streamName,
      cursorField: spec.cursorField,
      converter,
      boundaryFields: spec.boundaryFields,
      start: spec.start,
      end: spec.end,
      step: step ? (value) => value.plus(step) : undefined,
      granularity: granularity
        ? { plus: (value) => value.plus(granularity), minus: (value) => value.minus(granularity) }
        : undefined,
      lookback: lookback ? (value) => value.minus(lookback) : undefined,
      clamp: spec.clamp,
      filterRecords: spec.isClientSideIncremental || spec.isDataFeed,
      isDataFeed: spec.isDataFeed,
      requestOptions: (cursorSlice) => datetimeRequestOptions(spec, cursorSlice),
      logger: spec.logger,
    });
  }

  /**
   * A cursor for one partition, its state moved back by `lookbackSeconds` (the per-partition
   * cursor's runtime lookback for partitions started from the global state).
   */
  static forPartition(spec: DatetimeCursorSpec, state: Json | undefined, lookbackSeconds: number): DatetimeBasedCursor {
    const cursor = new DatetimeBasedCursor(spec);
    let initial = state ? structuredClone(state) : {};
    const value = initial[spec.cursorField];
    if (lookbackSeconds && value !== undefined && value !== null && value !== '' && value !== 0) {
      const converter = cursor.converter;
      const moved = converter.parse(value).minus(durationOfSeconds(lookbackSeconds));
      initial = { ...initial, [spec.cursorField]: converter.output(moved) };
    }
    cursor.setInitialState(initial);
    return cursor;
  }
}

/** The `clamping` of a cursor model: its target is interpolated against the config, its details are not. */
function readClamping(
  model: Model,
  ctx: BuildContext,
  evalRaw: (source: unknown) => unknown,
  end: () => DateTime,
  granularity: Duration | undefined,
): DatetimeClamping | undefined {
  const clamping = model.clamping;
  if (clamping === undefined || clamping === null) return undefined;
  const node = ctx.at('clamping');
  if (typeof clamping !== 'object' || Array.isArray(clamping) || !('target' in clamping)) {
    throw node.error('MANIFEST_INVALID', "DatetimeBasedCursor.clamping needs a 'target'", clamping);
  }
  const { target, target_details: targetDetails } = clamping as Record<string, unknown>;
  try {
    return buildClamping(evalRaw(target), targetDetails, end, granularity);
  } catch (error) {
    if (error instanceof ClampingDefinitionError) throw node.error('MANIFEST_INVALID', error.message, clamping);
    throw error;
  }
}

function durationOfSeconds(seconds: number): Duration {
  return parseDuration(`PT${seconds}S`);
}

function pyRepr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  return String(value);
}
