import type { Json } from '../context.js';
import type { Decoder } from '../decoders/decoder.js';
import { type RecordExtractor } from '../extractors/dpath-extractor.js';
import { RecordSelector, type RecordFilterLike } from '../extractors/record-selector.js';
import { type RecordNormalizer, createNormalizer } from '../extractors/schema-normalization.js';
import type { Builder, BuildContext, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { createCursor } from '../incremental/builders.js';
import { type StateMigration, applyStateMigrations, buildLegacyToPerPartitionStateMigration } from '../incremental/migrations.js';
import type { Paginator } from '../paginators/paginator.js';
import { noPagination } from '../paginators/no-pagination.js';
import { createRouter } from '../partitioning/builders.js';
import { mergeRequestOptions } from '../requesters/request-options.js';
import type { HttpRequester } from '../requesters/http-requester.js';
import { buildAsyncRetriever } from '../retrievers/async/build.js';
import { buildPaginationReset } from '../retrievers/pagination-reset.js';
import { SimpleRetriever } from '../retrievers/simple-retriever.js';
import type { RecordTransformation } from '../transformations/transformation.js';
import { DeclarativeStream, type Retriever } from './declarative-stream.js';
import type { PreparableSchemaLoader } from './schema-loaders/dynamic-schema-loader.js';
import { compositeSchemaLoader, type SchemaLoader } from './schema-loaders/schema-loader.js';

/** Limits a test read puts on a stream (the Builder); the CLI sets none. */
export interface ReadLimits {
  pages?: number;
  slices?: number;
}

/**
 * Builds a DeclarativeStream: the retriever's parts, the partition router, the cursor over it,
 * and the schema loader. Components do not re-check what the schema guarantees.
 */
export const buildDeclarativeStream: Builder<DeclarativeStream> = (model, ctx) => {
  const name = String(model.name ?? parametersOf(model).name ?? '');
  const retrieverModel = model.retriever as Model;
  const isAsync = retrieverModel.type === 'AsyncRetriever';
  if (retrieverModel.type !== undefined && retrieverModel.type !== 'SimpleRetriever' && !isAsync) {
    ctx.at('retriever').component(retrieverModel);
  }
  const rctx = ctx.at('retriever');

  const schemaLoader = buildSchemaLoader(model, ctx, name);
  const router = createRouter(retrieverModel, rctx);
  const { cursor, incremental } = createCursor(model.incremental_sync as Model | undefined, router, ctx.at('incremental_sync'), { name });

  const selector = buildSelector(retrieverModel.record_selector as Model, rctx.at('record_selector'), {
    transformations: ctx.list<RecordTransformation>(model, 'transformations'),
    schemaLoader,
    clientSide: Boolean((model.incremental_sync as Model | undefined)?.is_client_side_incremental),
    // An AsyncRetriever's records come from its download_extractor; its selector only filters and transforms.
    passThrough: isAsync,
  });
  const retriever: Retriever = isAsync
    ? buildAsyncRetriever(retrieverModel, rctx, {
        streamName: name,
        selector,
        pageLimit: (ctx.shared.limits as ReadLimits | undefined)?.pages,
      })
    : buildSimpleRetriever();

  function buildSimpleRetriever(): SimpleRetriever {
    const decoder = rctx.optional<Decoder>(retrieverModel, 'decoder') ?? rctx.at('decoder').component<Decoder>({ type: 'JsonDecoder' });
    const requester = rctx.required<HttpRequester>(retrieverModel, 'requester', 'HttpRequester');
    // The CDK names a stream's requester after the stream; the Builder groups requests by it.
    if (!requester.def.name) requester.def.name = name;
    const paginator = rctx.optional<Paginator>(retrieverModel, 'paginator') ?? noPagination;
    return new SimpleRetriever(
      {
        requester,
        selector,
        paginator,
        decoder,
        sliceOptions: (slice) => mergeRequestOptions([router?.requestOptions(slice), cursor.requestOptions(slice)]),
        ignoreSlicerOptionsOnPagination: Boolean(retrieverModel.ignore_stream_slicer_parameters_on_paginated_requests),
        shouldStop: cursor.shouldStopPaginating ? (slice, last) => cursor.shouldStopPaginating?.(slice, last) ?? false : undefined,
        streamName: name,
        pageLimit: (ctx.shared.limits as ReadLimits | undefined)?.pages,
        paginationTracker: buildPaginationReset(retrieverModel, rctx, {
          name,
          cursor,
          incrementalModel: model.incremental_sync as Model | undefined,
          incrementalCtx: ctx.at('incremental_sync'),
        }),
      },
      ctx.run,
    );
  }

  return new DeclarativeStream(
    {
      name,
      primaryKey: primaryKeyOf(model.primary_key),
      retriever,
      router,
      cursor,
      schemaLoader,
      incremental,
      migrateState: stateMigrations(model, ctx),
      concurrency: (ctx.shared.concurrency as number | undefined) ?? 1,
      sliceLimit: (ctx.shared.limits as ReadLimits | undefined)?.slices,
    },
    ctx.run,
  );
};

/** state_migrations: each migration that recognises the incoming state rewrites it, in order. */
function stateMigrations(model: Model, ctx: BuildContext): ((state: Json | undefined) => Json | undefined) | undefined {
  const models = model.state_migrations as Model[] | undefined;
  if (!models || models.length === 0) return undefined;
  const here = ctx.at('state_migrations');
  const migrations: StateMigration[] = models.map((migration, index) => {
    if (migration.type === 'LegacyToPerPartitionStateMigration') {
      return buildLegacyToPerPartitionStateMigration(migration, here.at(index), model);
    }
    return here.at(index).component<StateMigration>(migration);
  });
  return (state) => applyStateMigrations(migrations, state);
}

function buildSelector(
  model: Model,
  ctx: BuildContext,
  stream: { transformations: RecordTransformation[]; schemaLoader: SchemaLoader; clientSide: boolean; passThrough?: boolean },
): RecordSelector {
  const extractor: RecordExtractor = stream.passThrough
    ? { extract: (body) => [body] }
    : ctx.required<RecordExtractor>(model, 'extractor', 'DpathExtractor');
  const filter = ctx.optional<RecordFilterLike>(model, 'record_filter', 'RecordFilter');
  const explicit = model.transform_before_filtering;
  const transformBeforeFiltering = typeof explicit === 'boolean' ? explicit : stream.clientSide;
  const mode = model.schema_normalization;
  let normalize: ((record: Json) => Json) | undefined;
  if (mode === 'Default') {
    let normalizer: RecordNormalizer | undefined;
    const warn = (message: string) => ctx.run.logger.warn(message);
    normalize = (record) => {
      normalizer ??= createNormalizer('Default', stream.schemaLoader.schema(), warn);
      return normalizer.normalize(record);
    };
  } else if (typeof mode === 'object' && mode !== null) {
    ctx.at('schema_normalization').component(mode as Model);
  }
  return new RecordSelector(extractor, filter, stream.transformations, transformBeforeFiltering, normalize);
}

function buildSchemaLoader(model: Model, ctx: BuildContext, name: string): PreparableSchemaLoader {
  const loaderModel = model.schema_loader;
  let loader: SchemaLoader;
  let parts: PreparableSchemaLoader[] = [];
  if (Array.isArray(loaderModel)) loader = compositeSchemaLoader((parts = ctx.list<SchemaLoader>(model, 'schema_loader')));
  else if (loaderModel) parts = [(loader = ctx.required<SchemaLoader>(model, 'schema_loader'))];
  else {
    loader = ctx.at('schema_loader').component<SchemaLoader>({
      type: 'JsonFileSchemaLoader',
      $parameters: { ...parametersOf(model), name },
    });
  }
  let cached: Json | undefined;
  const preparable = parts.filter((part) => part.prepare);
  if (preparable.length === 0) return { schema: () => (cached ??= loader.schema()) };
  // DynamicSchemaLoader reads an API: source.resolve() loads it before discover and read.
  return {
    schema: () => (cached ??= loader.schema()),
    prepare: async () => {
      for (const part of preparable) await part.prepare?.();
    },
  };
}

/** Airbyte's primary key shapes: 'id' → [['id']]; ['a','b'] → [['a'],['b']]; [['a','b']] as is. */
export function primaryKeyOf(value: unknown): string[][] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return [[value]];
  if (Array.isArray(value)) {
    return value.map((part) => (Array.isArray(part) ? part.map(String) : [String(part)]));
  }
  return [];
}
