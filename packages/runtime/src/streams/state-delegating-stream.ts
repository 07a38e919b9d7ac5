import type { Json, RunContext } from '../context.js';
import { DateTime, parseDuration } from '../datetime/index.js';
import type { Builder, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { NO_CURSOR_STATE_KEY } from '../incremental/cursor.js';
import { DatetimeConverter, isConcurrentState } from '../incremental/state-converter.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr, truthy } from '../interpolation/values.js';
import { DeclarativeStream, type ReadOptions, type StreamEvent, type StreamParts } from './declarative-stream.js';
import type { PreparableSchemaLoader } from './schema-loaders/dynamic-schema-loader.js';

/** Reads a state's cursor datetime the way one of the two streams' cursors would. */
type StateDatetimeReader = (state: Json) => DateTime | undefined;

interface RetentionCheck {
  /** The evaluated api_retention_period (ISO 8601), e.g. 'P30D'. */
  period: string;
  fullRefresh: StateDatetimeReader;
  incremental: StateDatetimeReader;
}

/**
 * StateDelegatingStream: one stream backed by two definitions. Without incoming state the
 * full_refresh_stream is read; with state, the incremental_stream (both share name and schema).
 * The choice is made per read from the state the read receives: the CDK makes it when the
 * stream is built from the connector's state, which for this runtime is the start of the read.
 * Until a read chooses, the stream describes itself as its full_refresh_stream (discover, check).
 *
 * With `api_retention_period`, a state whose cursor is older than the API keeps data for (or
 * that neither cursor can read) is dropped: an empty state is emitted first and the
 * full_refresh_stream is read instead, so no data is silently skipped.
 */
export class StateDelegatingStream extends DeclarativeStream {
  private isParent = false;

  private constructor(
    parts: StreamParts,
    run: RunContext,
    private readonly selection: { active: DeclarativeStream },
    readonly fullRefreshStream: DeclarativeStream,
    readonly incrementalStream: DeclarativeStream,
    private readonly retention: RetentionCheck | undefined,
    private readonly runContext: RunContext,
  ) {
    super(parts, run);
  }

  static create(
    fullRefresh: DeclarativeStream,
    incremental: DeclarativeStream,
    run: RunContext,
    retention?: RetentionCheck,
  ): StateDelegatingStream {
    const selection = { active: fullRefresh };
    return new StateDelegatingStream(delegatingParts(selection, fullRefresh, incremental), run, selection, fullRefresh, incremental, retention, run);
  }

  override async *read(state: Json | undefined, options: ReadOptions = {}): AsyncIterable<StreamEvent> {
    let incoming = hasState(state) ? state : undefined;
    // The CDK checks the retention period only for streams the user selected, never for a
    // stream built as another stream's parent.
    if (incoming && this.retention && !this.isParent && this.isOlderThanRetention(incoming, this.retention)) {
      incoming = undefined;
      yield { state: {} };
    }
    this.selection.active = incoming ? this.incrementalStream : this.fullRefreshStream;
    yield* this.selection.active.read(incoming, options);
  }

  override markAsParent(): void {
    this.isParent = true;
    this.fullRefreshStream.markAsParent();
    this.incrementalStream.markAsParent();
  }

  private isOlderThanRetention(state: Json, retention: RetentionCheck): boolean {
    const cursorDatetime = retention.fullRefresh(state) ?? retention.incremental(state);
    // Neither cursor can read the state: reading everything again is the safe choice.
    if (!cursorDatetime) return true;
    const cutoff = DateTime.now(this.runContext.clock).minus(parseDuration(retention.period));
    // Compared as timestamps: a naive cursor value is taken as UTC, as the CDK runs with TZ=UTC.
    if (cursorDatetime.timestamp() >= cutoff.timestamp()) return false;
    this.runContext.logger.warn(
      `Stream '${this.name}': the state's cursor (${cursorDatetime.isoformat()}) is older than the API's retention period ${retention.period} (cutoff ${cutoff.isoformat()}); reading the full refresh stream so that no data is missed`,
    );
    return true;
  }
}

/** Parts that follow whichever definition is selected; the schema loader prepares both. */
function delegatingParts(
  selection: { active: DeclarativeStream },
  fullRefresh: DeclarativeStream,
  incremental: DeclarativeStream,
): StreamParts {
  const active = () => selection.active.parts;
  const schemaLoader: PreparableSchemaLoader = {
    schema: () => active().schemaLoader.schema(),
    prepare: async () => {
      await (fullRefresh.parts.schemaLoader as PreparableSchemaLoader).prepare?.();
      await (incremental.parts.schemaLoader as PreparableSchemaLoader).prepare?.();
    },
  };
  return {
    name: fullRefresh.name,
    get primaryKey() {
      return active().primaryKey;
    },
    get retriever() {
      return active().retriever;
    },
    get router() {
      return active().router;
    },
    get cursor() {
      return active().cursor;
    },
    schemaLoader,
    get migrateState() {
      return active().migrateState;
    },
    get incremental() {
      return active().incremental;
    },
    get concurrency() {
      return active().concurrency;
    },
    get sliceLimit() {
      return active().sliceLimit;
    },
  };
}

/** Python truthiness of the incoming state: no state and `{}` both mean "no state". */
function hasState(state: Json | undefined): state is Json {
  return state !== undefined && state !== null && Object.keys(state).length > 0;
}

export const buildStateDelegatingStream: Builder<StateDelegatingStream> = (model, ctx) => {
  const name = String(model.name ?? parametersOf(model).name ?? '');
  const fullModel = model.full_refresh_stream as Model;
  const incrementalModel = model.incremental_stream as Model;
  const fullRefresh = ctx.required<DeclarativeStream>(model, 'full_refresh_stream', 'DeclarativeStream');
  const incremental = ctx.required<DeclarativeStream>(model, 'incremental_stream', 'DeclarativeStream');
  if (fullRefresh.name !== name || incremental.name !== name) {
    throw ctx.error(
      'MANIFEST_INVALID',
      `StateDelegatingStream '${name}': full_refresh_stream and incremental_stream must have the same name as the stream, got '${fullRefresh.name}' and '${incremental.name}'`,
      model,
    );
  }

  let retention: RetentionCheck | undefined;
  if (model.api_retention_period) {
    const evaluated = new InterpolatedString(String(model.api_retention_period), parametersOf(model)).eval(ctx.config);
    const period = truthy(evaluated) ? pyStr(evaluated) : '';
    if (period) {
      try {
        parseDuration(period);
      } catch {
        throw ctx.error('MANIFEST_INVALID', `api_retention_period '${period}' is not an ISO 8601 duration (e.g. P30D)`, model);
      }
      for (const [field, streamModel] of [['full_refresh_stream', fullModel], ['incremental_stream', incrementalModel]] as const) {
        if ((streamModel.incremental_sync as Model | undefined)?.type === 'IncrementingCountCursor') {
          throw ctx.at(field).error(
            'MANIFEST_INVALID',
            `Stream '${name}' uses IncrementingCountCursor, which cannot be used with api_retention_period: its cursor is not a datetime, so its age cannot be checked`,
            streamModel,
          );
        }
      }
      retention = {
        period,
        fullRefresh: stateDatetimeReader(fullModel, ctx.config, ctx.run.clock),
        incremental: stateDatetimeReader(incrementalModel, ctx.config, ctx.run.clock),
      };
    }
  }
  return StateDelegatingStream.create(fullRefresh, incremental, ctx.run, retention);
};

/**
 * How a stream's cursor reads a datetime from a state, as the CDK's cursors answer
 * get_cursor_datetime_from_state: no cursor → "now" for a completed full refresh state;
 * a datetime cursor → its value (sequential or concurrent shape), under `state` when the
 * stream is partitioned (the global cursor).
 */
function stateDatetimeReader(streamModel: Model, config: Json, clock: () => number): StateDatetimeReader {
  const cursorModel = streamModel.incremental_sync as Model | undefined;
  if (!cursorModel) return (state) => (truthy(state[NO_CURSOR_STATE_KEY]) ? DateTime.now(clock) : undefined);
  if (cursorModel.type !== 'DatetimeBasedCursor') return () => undefined;
  const parameters = parametersOf(cursorModel);
  const cursorField = pyStr(new InterpolatedString(String(cursorModel.cursor_field), parameters).eval(config));
  const formats = Array.isArray(cursorModel.cursor_datetime_formats) ? cursorModel.cursor_datetime_formats.map(String) : undefined;
  const converter = new DatetimeConverter(String(cursorModel.datetime_format), formats && formats.length > 0 ? formats : undefined, undefined);
  const read = (state: Json): DateTime | undefined => {
    let value: unknown;
    if (isConcurrentState(state)) {
      const first = (Array.isArray(state.slices) ? (state.slices as Json[]) : [])[0];
      if (!first) return undefined;
      value = truthy(first.most_recent_cursor_value) ? first.most_recent_cursor_value : first.end;
    } else {
      value = state[cursorField];
    }
    if (!truthy(value)) return undefined;
    try {
      return converter.parse(value);
    } catch {
      return undefined;
    }
  };
  const retriever = streamModel.retriever as Model | undefined;
  const partitioned = retriever?.partition_router !== undefined && retriever.partition_router !== null;
  if (!partitioned) return read;
  return (state) => {
    const global = state.state;
    return typeof global === 'object' && global !== null && !Array.isArray(global) && Object.keys(global).length > 0
      ? read(global as Json)
      : undefined;
  };
}
