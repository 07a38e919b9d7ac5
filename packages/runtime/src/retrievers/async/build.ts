import type { Decoder } from '../../decoders/decoder.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import type { RecordExtractor } from '../../extractors/dpath-extractor.js';
import { RecordSelector } from '../../extractors/record-selector.js';
import type { BuildContext, Model } from '../../factory/build-context.js';
import { InterpolatedString } from '../../interpolation/index.js';
import { noPagination } from '../../paginators/no-pagination.js';
import type { Paginator } from '../../paginators/paginator.js';
import type { HttpRequester } from '../../requesters/http-requester.js';
import { SimpleRetriever } from '../simple-retriever.js';
import { AsyncRetriever } from './async-retriever.js';
import { statusMappingOf } from './job.js';

export interface AsyncRetrieverOptions {
  streamName: string;
  /** The stream's record selector, built with an extractor that passes records through. */
  selector: RecordSelector;
  pageLimit?: number | undefined;
}

/** Builds an AsyncRetriever from its model; `ctx` is at the retriever. */
export function buildAsyncRetriever(model: Model, ctx: BuildContext, opts: AsyncRetrieverOptions): AsyncRetriever {
  const requester = (field: string) => ctx.required<HttpRequester>(model, field, 'HttpRequester');
  const optionalRequester = (field: string) => ctx.optional<HttpRequester>(model, field, 'HttpRequester');
  if (model.download_target_requester && !model.download_target_extractor) {
    throw ctx.error('MANIFEST_INVALID', '`download_target_extractor` required if using a `download_target_requester`', model);
  }
  const decoder = ctx.optional<Decoder>(model, 'decoder') ?? ctx.at('decoder').component<Decoder>({ type: 'JsonDecoder' });
  const downloadDecoder =
    ctx.optional<Decoder>(model, 'download_decoder') ?? ctx.at('download_decoder').component<Decoder>({ type: 'JsonDecoder' });
  const downloadExtractor =
    ctx.optional<RecordExtractor>(model, 'download_extractor', 'DpathExtractor') ??
    ctx.at('download_extractor').component<RecordExtractor>({ type: 'DpathExtractor', field_path: [] });
  const download = new SimpleRetriever(
    {
      requester: requester('download_requester'),
      selector: new RecordSelector(downloadExtractor, undefined, [], false, undefined),
      paginator: ctx.optional<Paginator>(model, 'download_paginator') ?? noPagination,
      decoder: downloadDecoder,
      sliceOptions: () => ({}),
      ignoreSlicerOptionsOnPagination: false,
      streamName: opts.streamName,
      pageLimit: opts.pageLimit,
      requestKind: 'ASYNC_DOWNLOAD',
    },
    ctx.run,
  );
  let statusMapping;
  try {
    statusMapping = statusMappingOf((model.status_mapping as Model | undefined) ?? {});
  } catch (error) {
    if (error instanceof RuntimeError) error.path ??= `${ctx.path}.status_mapping`;
    throw error;
  }
  const timeoutMinutes = minutesOf(model.polling_job_timeout, ctx, 'polling_job_timeout') ?? 60;
  const retryWait = minutesOf(model.failed_retry_wait_time_in_seconds, ctx, 'failed_retry_wait_time_in_seconds');
  if (retryWait !== undefined && retryWait <= 0) {
    throw ctx.at('failed_retry_wait_time_in_seconds').error('MANIFEST_INVALID', 'failed_retry_wait_time_in_seconds must be >= 1', model);
  }
  return new AsyncRetriever(
    {
      streamName: opts.streamName,
      creationRequester: requester('creation_requester'),
      pollingRequester: requester('polling_requester'),
      abortRequester: optionalRequester('abort_requester'),
      deleteRequester: optionalRequester('delete_requester'),
      downloadTargetRequester: optionalRequester('download_target_requester'),
      decoder,
      statusExtractor: ctx.required<RecordExtractor>(model, 'status_extractor', 'DpathExtractor'),
      statusMapping,
      downloadTargetExtractor: ctx.optional<RecordExtractor>(model, 'download_target_extractor', 'DpathExtractor'),
      download,
      selector: opts.selector,
      jobTimeoutMs: timeoutMinutes * 60_000,
      failedRetryWaitMs: retryWait === undefined ? undefined : retryWait * 1000,
    },
    ctx.run,
  );
}

/** An integer field that may be a template over the config (int() of the result, as the CDK). */
function minutesOf(value: unknown, ctx: BuildContext, field: string): number | undefined {
  if (value === undefined || value === null || value === 0 || value === '') return undefined;
  const evaluated = typeof value === 'string' ? new InterpolatedString(value, {}).eval(ctx.config) : value;
  const number = typeof evaluated === 'number' ? evaluated : Number(String(evaluated).trim());
  if (!Number.isInteger(number)) {
    throw ctx.at(field).error('MANIFEST_INVALID', `${field} must be an integer, got '${String(evaluated)}'`);
  }
  return number;
}
