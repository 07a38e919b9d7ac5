import type { Json } from '../context.js';
import type { BuildContext, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr } from '../interpolation/values.js';

/** A state migration (state_migrations): applied in order when it says it should. */
export interface StateMigration {
  shouldMigrate(state: Json): boolean;
  migrate(state: Json): Json;
}

export function applyStateMigrations(migrations: StateMigration[], state: Json | undefined): Json | undefined {
  let current = state ?? {};
  for (const migration of migrations) {
    if (migration.shouldMigrate(current)) current = { ...migration.migrate(current) };
  }
  return state === undefined && Object.keys(current).length === 0 ? undefined : current;
}

/**
 * LegacyToPerPartitionStateMigration: `{"<partition id>": {"<cursor_field>": value}}` (the old
 * per-partition shape) to `{states: [{partition: {<partition_field>: id}, cursor: {...}}]}`.
 */
export class LegacyToPerPartitionStateMigration implements StateMigration {
  constructor(
    private readonly partitionField: string,
    private readonly cursorField: string,
    /** Parent streams of the SubstreamPartitionRouter; the migration only applies with one. */
    private readonly parentCount: number,
  ) {}

  shouldMigrate(state: Json): boolean {
    if ('states' in state) return false;
    if (this.parentCount !== 1) return false;
    const entries = Object.entries(state);
    if (entries.length === 0) return false;
    return entries.every(([, value]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const keys = Object.keys(value);
      return keys.length === 1 && keys[0] === this.cursorField;
    });
  }

  migrate(state: Json): Json {
    return {
      states: Object.entries(state).map(([key, value]) => ({ partition: { [this.partitionField]: key }, cursor: value })),
    };
  }
}

/** Builds the migration from the stream's own model, as the CDK's factory does. */
export function buildLegacyToPerPartitionStateMigration(
  model: Model,
  ctx: BuildContext,
  streamModel: Model,
): LegacyToPerPartitionStateMigration {
  const retriever = streamModel.retriever as Model | undefined;
  const router = retriever?.partition_router as Model | undefined;
  if (!router || Array.isArray(router) || router.type !== 'SubstreamPartitionRouter') {
    throw ctx.error(
      'MANIFEST_INVALID',
      `LegacyToPerPartitionStateMigrations can only be applied on a SimpleRetriever with a SubstreamPartitionRouter. Got ${pyStr(router?.type ?? null)}`,
      model,
    );
  }
  const incremental = streamModel.incremental_sync as Model | undefined;
  if (!incremental) {
    throw ctx.error(
      'MANIFEST_INVALID',
      'LegacyToPerPartitionStateMigrations can only be applied with an incremental_sync configuration.',
      model,
    );
  }
  const parents = Array.isArray(router.parent_stream_configs) ? (router.parent_stream_configs as Model[]) : [];
  const parameters = parametersOf(streamModel);
  const partitionField = pyStr(
    new InterpolatedString(String(parents[0]?.partition_field ?? ''), parameters).eval(ctx.config),
  );
  const cursorField = pyStr(new InterpolatedString(String(incremental.cursor_field ?? ''), parameters).eval(ctx.config));
  return new LegacyToPerPartitionStateMigration(partitionField, cursorField, parents.length);
}
