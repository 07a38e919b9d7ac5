import type { Decoder } from '../../decoders/decoder.js';
import { get as dpathGet } from '../../dpath/dpath.js';
import type { RecordExtractor } from '../../extractors/dpath-extractor.js';
import { type RecordFilterLike, RecordSelector } from '../../extractors/record-selector.js';
import type { Builder, BuildContext, Model } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import { InterpolatedString } from '../../interpolation/index.js';
import { noPagination } from '../../paginators/no-pagination.js';
import type { Paginator } from '../../paginators/paginator.js';
import { EMPTY_SLICE } from '../../partitioning/stream-slice.js';
import { SimpleRetriever } from '../../retrievers/simple-retriever.js';
import type { HttpRequester } from '../http-requester.js';
import { pyString } from '../http-requester.js';

/**
 * PropertiesFromEndpoint: the property list is read from another endpoint, one property per
 * record at `property_field_path`. Read once per stream (on first use) and then reused.
 */
export class PropertiesFromEndpoint {
  private cached: Promise<string[]> | undefined;

  constructor(
    private readonly retriever: SimpleRetriever,
    private readonly fieldPath: InterpolatedString[],
    private readonly config: Record<string, unknown>,
  ) {}

  properties(): Promise<string[]> {
    this.cached ??= this.read().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async read(): Promise<string[]> {
    const path = this.fieldPath.map((segment) => String(segment.eval(this.config)));
    const properties: string[] = [];
    for await (const record of this.retriever.read(EMPTY_SLICE)) {
      // As the CDK: a record without the field contributes str([]), i.e. "[]".
      const value = dpathGet(record, path, []);
      properties.push(typeof value === 'string' ? value : Array.isArray(value) && value.length === 0 ? '[]' : pyString(value));
    }
    return properties;
  }
}

/** A SimpleRetriever outside any stream: no partition router, no cursor, no transformations. */
export function buildStandaloneRetriever(model: Model, ctx: BuildContext, name: string): SimpleRetriever {
  if (model.type !== undefined && model.type !== 'SimpleRetriever') {
    // Reports CustomRetriever and other types the way the factory does.
    ctx.component(model);
  }
  const decoder = ctx.optional<Decoder>(model, 'decoder') ?? ctx.at('decoder').component<Decoder>({ type: 'JsonDecoder' });
  const requester = ctx.required<HttpRequester>(model, 'requester', 'HttpRequester');
  if (!requester.def.name) requester.def.name = name;
  const selectorModel = (model.record_selector as Model | undefined) ?? {};
  const sctx = ctx.at('record_selector');
  const extractor = sctx.required<RecordExtractor>(selectorModel, 'extractor', 'DpathExtractor');
  const filter = sctx.optional<RecordFilterLike>(selectorModel, 'record_filter', 'RecordFilter');
  const paginator = ctx.optional<Paginator>(model, 'paginator') ?? noPagination;
  return new SimpleRetriever(
    {
      requester,
      selector: new RecordSelector(extractor, filter, [], false, undefined),
      paginator,
      decoder,
      sliceOptions: () => ({}),
      ignoreSlicerOptionsOnPagination: false,
      streamName: name,
    },
    ctx.run,
  );
}

export const buildPropertiesFromEndpoint: Builder<PropertiesFromEndpoint> = (model, ctx) => {
  const parameters = parametersOf(model);
  const path = model.property_field_path;
  if (!Array.isArray(path)) throw ctx.error('MANIFEST_INVALID', 'PropertiesFromEndpoint needs property_field_path (a list of keys)', model);
  const retrieverModel = model.retriever as Model | undefined;
  if (!retrieverModel) throw ctx.error('MANIFEST_INVALID', "missing required field 'retriever'", model);
  const retriever = buildStandaloneRetriever(retrieverModel, ctx.at('retriever'), String(parameters.name ?? ''));
  return new PropertiesFromEndpoint(
    retriever,
    path.map((segment) => new InterpolatedString(String(segment), parameters)),
    ctx.config,
  );
};
