import type { Json } from '../context.js';
import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr, truthy } from '../interpolation/values.js';
import type { RequestOption } from '../requesters/request-option.js';
import { type RequestOptions, emptyOptions } from '../requesters/request-options.js';
import { NO_CURSOR_STATE_KEY } from '../incremental/cursor.js';
import { PathNotFound, dpathGet } from './dpath.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';

/** One event of a parent stream's read; `slice` (the record's slice) is used when present. */
export interface ParentEvent {
  record?: Json;
  state?: Json;
  slice?: StreamSlice;
}

/**
 * What the router needs of a parent stream: a DeclarativeStream, or a stand-in in tests. When
 * `parts.cursor.currentState()` exists it gives the parent's state at any moment; otherwise the
 * last state the read emitted is used.
 */
export interface ParentStream {
  readonly name: string;
  readonly cursorField?: string[];
  read(state: Json | undefined): AsyncIterable<ParentEvent>;
  readonly parts?: { cursor?: unknown };
  /** Tags the parent's requests as PARENT_STREAM for the Builder. */
  markAsParent?(): void;
}

/** ParentStreamConfig: which parent, which value of its records, and where it goes. */
export class ParentStreamConfig {
  constructor(
    readonly stream: ParentStream,
    readonly parentKey: InterpolatedString,
    readonly partitionField: InterpolatedString,
    readonly extraFields: InterpolatedString[][] | undefined,
    readonly requestOption: RequestOption | undefined,
    readonly incrementalDependency: boolean,
  ) {}
}

/**
 * SubstreamPartitionRouter: one partition per parent record,
 * `{<partition_field>: <value at parent_key>, parent_slice: <the parent record's partition>}`,
 * with the `extra_fields` of the parent record in the slice's extra fields. Records without a
 * value at `parent_key` give no partition. Parents with `incremental_dependency` are read from
 * the state the child kept for them, and their state is reported for the child's state.
 */
export class SubstreamPartitionRouter implements PartitionRouter {
  /** The state each parent is read from (incremental_dependency), by parent name. */
  private readonly startStates = new Map<string, Json>();
  /** The parent's latest state seen during this read, by parent name. */
  private readonly seenStates = new Map<string, Json>();

  constructor(
    readonly parentConfigs: ParentStreamConfig[],
    private readonly config: Json,
  ) {
    if (parentConfigs.length === 0) throw new Error('SubstreamPartitionRouter needs at least 1 parent stream');
  }

  async *partitions(): AsyncIterable<StreamSlice> {
    for (const parent of this.parentConfigs) {
      const stream = parent.stream;
      const parentField = pyStr(parent.parentKey.eval(this.config));
      const partitionField = pyStr(parent.partitionField.eval(this.config));
      const extraFields = parent.extraFields?.map((path) => path.map((part) => pyStr(part.eval(this.config))));
      const initial = parent.incrementalDependency ? this.startStates.get(stream.name) : undefined;
      let pending: { record: Json; slice: StreamSlice | undefined } | undefined;
      const emit = (item: { record: Json; slice: StreamSlice | undefined }): StreamSlice | undefined => {
        let value: unknown;
        try {
          value = dpathGet(item.record, parentField);
        } catch (error) {
          if (error instanceof PathNotFound) return undefined;
          throw error;
        }
        const extra: Json = {};
        for (const path of extraFields ?? []) {
          let extraValue: unknown = null;
          try {
            extraValue = dpathGet(item.record, path);
          } catch (error) {
            if (!(error instanceof PathNotFound)) throw error;
          }
          extra[path.join('.')] = extraValue;
        }
        const parentPartition = item.slice?.partition;
        return makeSlice(
          { [partitionField]: value, parent_slice: parentPartition && truthy(parentPartition) ? parentPartition : {} },
          {},
          extra,
        );
      };
      // A record's partition is given once the next event is known, so that the parent's state
      // already covers the record when it is the last of its slice (as the CDK orders it).
      for await (const event of stream.read(initial)) {
        if (event.record !== undefined) {
          if (pending) {
            const slice = emit(pending);
            if (slice) yield slice;
          }
          pending = { record: event.record, slice: event.slice };
        } else if (event.state !== undefined) {
          this.seenStates.set(stream.name, event.state);
          if (pending) {
            const slice = emit(pending);
            pending = undefined;
            if (slice) yield slice;
          }
        }
      }
      if (pending) {
        const slice = emit(pending);
        if (slice) yield slice;
      }
    }
  }

  requestOptions(slice: StreamSlice): Partial<RequestOptions> {
    const options = emptyOptions();
    for (const parent of this.parentConfigs) {
      if (!parent.requestOption) continue;
      const key = pyStr(parent.partitionField.eval(this.config));
      const value = key in slice.partition ? slice.partition[key] : slice.cursorSlice[key];
      if (truthy(value)) parent.requestOption.inject(value, options);
    }
    return options;
  }

  /** `{parent_name: parent_state}` of the parents read incrementally (empty when none is). */
  parentState(): Json | undefined {
    const state: Json = {};
    for (const parent of this.parentConfigs) {
      if (!parent.incrementalDependency) continue;
      const name = parent.stream.name;
      state[name] = structuredClone(this.currentParentState(parent));
    }
    return state;
  }

  private currentParentState(parent: ParentStreamConfig): Json {
    const cursor = parent.stream.parts?.cursor as { currentState?: () => Json } | undefined;
    if (cursor && typeof cursor.currentState === 'function') return cursor.currentState();
    return this.seenStates.get(parent.stream.name) ?? this.startStates.get(parent.stream.name) ?? {};
  }

  /**
   * Takes the child stream's state and finds each incremental parent's state in it, as the CDK
   * does: `parent_state[<parent>]`, else the global `state`, else a state holding one value is
   * taken as the parent's cursor value.
   */
  setParentState(childState: Json | undefined): void {
    this.startStates.clear();
    this.seenStates.clear();
    if (!childState) return;
    const state: Json = { ...childState };
    delete state[NO_CURSOR_STATE_KEY];
    if (Object.keys(state).length === 0) return;
    for (const parent of this.parentConfigs) {
      if (!parent.incrementalDependency) continue;
      const name = parent.stream.name;
      const parents = state.parent_state;
      if (typeof parents === 'object' && parents !== null && name in parents) {
        const parentState = (parents as Json)[name];
        this.startStates.set(name, (parentState ?? {}) as Json);
      } else if ('state' in state) {
        this.startStates.set(name, (state.state ?? {}) as Json);
      } else {
        const values = Object.values(state);
        const cursorField = parent.stream.cursorField?.[0];
        if (values.length === 1 && cursorField) this.startStates.set(name, { [cursorField]: values[0] });
      }
    }
  }
}

export const buildParentStreamConfig: Builder<ParentStreamConfig> = (model, ctx) => {
  const parameters = parametersOf(model);
  const pointer = model.lazy_read_pointer;
  if (Array.isArray(pointer) && pointer.length > 0) {
    throw ctx.error('MANIFEST_UNSUPPORTED', 'ParentStreamConfig.lazy_read_pointer is not supported by this runtime yet', model);
  }
  const stream = ctx.required<ParentStream>(model, 'stream', 'DeclarativeStream');
  stream.markAsParent?.();
  const extra = model.extra_fields;
  return new ParentStreamConfig(
    stream,
    new InterpolatedString(String(model.parent_key ?? ''), parameters),
    new InterpolatedString(String(model.partition_field ?? ''), parameters),
    Array.isArray(extra)
      ? extra.map((path) =>
          (Array.isArray(path) ? path : [path]).map((part) => new InterpolatedString(String(part), parameters)),
        )
      : undefined,
    ctx.optional<RequestOption>(model, 'request_option', 'RequestOption'),
    model.incremental_dependency === true,
  );
};

export const buildSubstreamPartitionRouter: Builder<SubstreamPartitionRouter> = (model, ctx) => {
  const configs = ctx.list<ParentStreamConfig>(model, 'parent_stream_configs', 'ParentStreamConfig');
  if (configs.length === 0) {
    throw ctx.error('MANIFEST_INVALID', 'SubstreamPartitionRouter needs at least 1 parent stream', model);
  }
  return new SubstreamPartitionRouter(configs, ctx.config);
};
