import type { Json, RunContext } from '../../context.js';
import { BuildContext, type Builder, type Model } from '../../factory/build-context.js';
import type { Logger } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/mask.js';
import { partitionBuilders } from '../../partitioning/builders.js';
import type { PartitionRouter } from '../../partitioning/partition-router.js';
import { EMPTY_SLICE, type StreamSlice } from '../../partitioning/stream-slice.js';
import type { HttpClient } from '../../requesters/http-client.js';
import { buildRequestOption } from '../../requesters/request-option.js';
import type { Cursor } from '../cursor.js';

export interface Harness {
  run: RunContext;
  ctx: BuildContext;
  warnings: string[];
  clock: { now: number };
}

/** A build context with a controllable clock (epoch ms), a logger that keeps warnings, and extra builders. */
export function harness(config: Json = {}, now = Date.UTC(2024, 0, 10, 12), builders: Record<string, Builder> = {}): Harness {
  const warnings: string[] = [];
  const clock = { now };
  const logger = {
    warn: (message: string) => warnings.push(message),
    info: () => {},
    debug: () => {},
    error: () => {},
  } as unknown as Logger;
  const run: RunContext = {
    config,
    logger,
    http: {} as HttpClient,
    masker: new SecretMasker(),
    clock: () => clock.now,
    sleep: async () => {},
    emit: () => {},
  };
  const registry = new Map<string, Builder>([
    ['RequestOption', buildRequestOption],
    ...Object.entries(partitionBuilders),
    ...Object.entries(builders),
  ]);
  return { run, ctx: new BuildContext(run, registry, 'streams[0]'), warnings, clock };
}

export interface ReadResult {
  slices: StreamSlice[];
  records: Json[];
  /** States in the order written; `afterSlice[i]` is what closing slice i wrote (or undefined). */
  states: Json[];
  afterSlice: Array<Json | undefined>;
  final: Json | undefined;
}

/** Drives a cursor the way DeclarativeStream.read does, with records given per slice. */
export async function drive(
  cursor: Cursor,
  router: PartitionRouter | undefined,
  state: Json | undefined,
  recordsFor: (slice: StreamSlice, index: number) => Json[],
): Promise<ReadResult> {
  const result: ReadResult = { slices: [], records: [], states: [], afterSlice: [], final: undefined };
  cursor.setInitialState(state);
  const partitions = router ? router.partitions() : single(EMPTY_SLICE);
  for await (const slice of cursor.slices(partitions)) {
    const index = result.slices.length;
    result.slices.push(slice);
    for (const record of recordsFor(slice, index)) if (cursor.observe(slice, record)) result.records.push(record);
    const written = cursor.closeSlice(slice);
    result.afterSlice.push(written);
    if (written) result.states.push(written);
  }
  result.final = cursor.finalState();
  if (result.final) result.states.push(result.final);
  return result;
}

async function* single(slice: StreamSlice): AsyncIterable<StreamSlice> {
  yield slice;
}

export function cursorModel(overrides: Model = {}): Model {
  return {
    type: 'DatetimeBasedCursor',
    cursor_field: 'updated_at',
    datetime_format: '%Y-%m-%dT%H:%M:%SZ',
    start_datetime: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}
