import type { Json, RunContext } from '../../context.js';
import type { Builder } from '../../factory/build-context.js';
import { EMPTY_SLICE, sliceView } from '../../partitioning/stream-slice.js';
import type { RecordTransformation } from '../../transformations/transformation.js';

/** The part of a configured catalog the selector reads: each stream's json_schema. */
export interface ConfiguredCatalogLike {
  streams: Array<{ stream: { name: string; json_schema?: unknown } }>;
}

/**
 * Where a read's configured catalog is found. The entrypoint sets `run.configuredCatalog` before
 * streams read; check and discover have none, and then every property is queried.
 */
export function configuredStreamSchema(run: RunContext, streamName: string): Json | undefined | null {
  const catalog: ConfiguredCatalogLike | undefined = run.configuredCatalog;
  if (!catalog) return null;
  const configured = catalog.streams.find((entry) => entry.stream.name === streamName);
  if (!configured) return null;
  const schema = configured.stream.json_schema;
  return typeof schema === 'object' && schema !== null ? (schema as Json) : {};
}

/**
 * JsonSchemaPropertySelector: the properties to query are the top-level properties of the
 * stream's schema in the configured catalog (after the transformations, which may rename them).
 * Without a configured stream (check, discover) it selects nothing, meaning "query everything";
 * an empty schema selects the empty set.
 */
export class JsonSchemaPropertySelector {
  constructor(
    private readonly run: RunContext,
    private readonly transformations: RecordTransformation[],
  ) {}

  select(streamName: string): Set<string> | undefined {
    const schema = configuredStreamSchema(this.run, streamName);
    if (schema === null || schema === undefined) return undefined;
    const raw = schema.properties;
    const properties: Json = typeof raw === 'object' && raw !== null ? structuredClone(raw as Json) : {};
    for (const transformation of this.transformations) {
      transformation.transform(properties, { stream_slice: sliceView(EMPTY_SLICE), stream_name: streamName });
    }
    return new Set(Object.keys(properties));
  }
}

export const buildJsonSchemaPropertySelector: Builder<JsonSchemaPropertySelector> = (model, ctx) =>
  new JsonSchemaPropertySelector(ctx.run, ctx.list<RecordTransformation>(model, 'transformations'));
