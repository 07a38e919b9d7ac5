import type { Json, RunContext } from '../../context.js';
import type { Decoder } from '../../decoders/decoder.js';
import { RuntimeError, isRuntimeError } from '../../errors/runtime-error.js';
import type { RecordExtractor } from '../../extractors/dpath-extractor.js';
import type { RecordSelector } from '../../extractors/record-selector.js';
import { type StreamSlice, makeSlice, sliceView } from '../../partitioning/stream-slice.js';
import type { HttpResponse } from '../../requesters/http-client.js';
import type { HttpRequester } from '../../requesters/http-requester.js';
import type { SimpleRetriever } from '../simple-retriever.js';
import { AsyncJob, type AsyncJobStatus } from './job.js';
import { stringifyJson } from '../../protocol/stringify-json.js';

/** The CDK polls running jobs every 5 seconds. */
export const POLL_INTERVAL_MS = 5_000;
/** Attempts per slice before a failed or timed-out job fails the read (the CDK's job_max_retry). */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface AsyncRetrieverParts {
  streamName: string;
  creationRequester: HttpRequester;
  pollingRequester: HttpRequester;
  abortRequester?: HttpRequester | undefined;
  deleteRequester?: HttpRequester | undefined;
  downloadTargetRequester?: HttpRequester | undefined;
  /** Decodes creation, polling, abort, delete and download-target responses (the retriever's `decoder`). */
  decoder: Decoder;
  statusExtractor: RecordExtractor;
  statusMapping: Map<string, AsyncJobStatus>;
  downloadTargetExtractor?: RecordExtractor | undefined;
  /** Reads one download target: download_requester + download_paginator + download_decoder + download_extractor. */
  download: SimpleRetriever;
  /** The stream's record selector: only its filter, transformations and normalization apply. */
  selector: RecordSelector;
  jobTimeoutMs: number;
  failedRetryWaitMs?: number | undefined;
  maxAttempts?: number | undefined;
}

interface JobResponses {
  creation?: Json;
  polling?: Json;
  pollingBodies?: unknown[];
}

/**
 * AsyncRetriever: for each slice, creates a server-side job (creation_requester), polls it
 * (polling_requester + status_extractor + status_mapping) every 5 seconds through `run.sleep`,
 * then downloads every target of the completed job and passes the records through the stream's
 * record selector (filter, transformations, normalization — not its extractor, as the CDK).
 * Failed and timed-out jobs are retried up to 3 attempts per slice; then the read fails.
 */
export class AsyncRetriever {
  private readonly responses = new Map<string, JobResponses>();
  private sequence = 0;

  constructor(
    private readonly parts: AsyncRetrieverParts,
    private readonly run: RunContext,
  ) {}

  async *read(slice: StreamSlice): AsyncIterable<Json> {
    const maxAttempts = this.parts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let attempts = 1;
    let job = await this.start(slice);
    let retryAfter: number | undefined;
    for (;;) {
      if (job.status() === 'RUNNING') await this.poll(job);
      const status = job.status();
      if (status === 'COMPLETED') {
        yield* this.fetch(job, slice);
        await this.delete(job);
        return;
      }
      if (status === 'SKIPPED') {
        this.run.logger.info(`Async job ${job.id} of stream '${this.parts.streamName}' was skipped by the API (no data to return)`);
        this.responses.delete(job.id);
        return;
      }
      if (status !== 'RUNNING') {
        if (attempts >= maxAttempts) {
          if (status === 'TIMED_OUT') await this.abort(job);
          throw this.exhausted(job, status, attempts, slice);
        }
        if (status === 'TIMED_OUT') await this.abort(job);
        if (this.parts.failedRetryWaitMs !== undefined && status === 'FAILED' && !job.creationFailure) {
          retryAfter ??= this.run.clock() + this.parts.failedRetryWaitMs;
          const wait = retryAfter - this.run.clock();
          if (wait > 0) {
            this.run.logger.info(`Async job ${job.id} failed; waiting ${Math.ceil(wait / 1000)}s before starting it again`);
            await this.run.sleep(wait);
          }
        }
        retryAfter = undefined;
        this.run.logger.warn(
          `Async job ${job.id} of stream '${this.parts.streamName}' ended with status ${status}${job.apiStatus ? ` (API status '${job.apiStatus}')` : ''}; starting attempt ${attempts + 1} of ${maxAttempts}`,
        );
        this.responses.delete(job.id);
        attempts += 1;
        job = await this.start(slice);
        continue;
      }
      await this.run.sleep(POLL_INTERVAL_MS);
    }
  }

  /** Creates the job. A config error stops the read; other failures count as a failed attempt. */
  private async start(slice: StreamSlice): Promise<AsyncJob> {
    this.sequence += 1;
    const id = `${this.parts.streamName || 'stream'}-job-${this.sequence}`;
    try {
      const result = await this.parts.creationRequester.send({ slice, decoder: this.parts.decoder, kind: 'ASYNC_CREATE' });
      if (result.ignored) {
        throw new RuntimeError('HTTP_SYSTEM', `the creation request of stream '${this.parts.streamName}' was ignored by its error handler, so no job was created`);
      }
      this.responses.set(id, { creation: responseContext(result.response, result.bodies) });
      return new AsyncJob(id, slice, this.parts.jobTimeoutMs, this.run.clock);
    } catch (error) {
      if (isRuntimeError(error) && error.failureType === 'config_error') throw error;
      const failure = error instanceof Error ? error : new Error(String(error));
      this.run.logger.warn(`Could not create an async job for stream '${this.parts.streamName}': ${failure.message}`);
      return new AsyncJob(id, slice, Number.POSITIVE_INFINITY, this.run.clock, failure);
    }
  }

  private async poll(job: AsyncJob): Promise<void> {
    const result = await this.parts.pollingRequester.send({
      slice: this.jobSlice(job),
      decoder: this.parts.decoder,
      kind: 'ASYNC_POLL',
    });
    if (result.ignored) {
      // Stricter than the CDK (which keeps polling): an ignored poll cannot tell the job's status.
      throw new RuntimeError('HTTP_SYSTEM', `the polling request of stream '${this.parts.streamName}' was ignored by its error handler, so the job's status is unknown`);
    }
    let apiStatus: unknown;
    for (const body of result.bodies) {
      for (const value of this.parts.statusExtractor.extract(body)) {
        apiStatus = value;
        break;
      }
      if (apiStatus !== undefined) break;
    }
    const text = pyStr(apiStatus);
    const status = this.parts.statusMapping.get(text);
    if (status === undefined) {
      // The CDK raises a ValueError here and keeps polling until the job times out; stop at once.
      throw new RuntimeError(
        'HTTP_SYSTEM',
        `the API reported status '${text}' for an async job of stream '${this.parts.streamName}', which status_mapping does not list`,
        { help: `Known statuses: ${[...this.parts.statusMapping.keys()].join(', ') || '(none)'}` },
      );
    }
    job.apiStatus = text;
    job.update(status);
    if (status === 'COMPLETED') {
      const entry = this.responses.get(job.id) ?? {};
      entry.polling = responseContext(result.response, result.bodies);
      entry.pollingBodies = result.bodies;
      this.responses.set(job.id, entry);
    }
  }

  private async *fetch(job: AsyncJob, slice: StreamSlice): AsyncIterable<Json> {
    const context = { stream_slice: sliceView(slice), stream_name: this.parts.streamName };
    for (const target of await this.downloadTargets(job)) {
      const downloadSlice = makeSlice(slice.partition, slice.cursorSlice, {
        ...slice.extraFields,
        download_target: target,
        creation_response: this.creation(job),
        polling_response: this.polling(job),
      });
      for await (const record of this.parts.download.read(downloadSlice)) {
        yield* this.parts.selector.select([record], context);
      }
    }
  }

  private async downloadTargets(job: AsyncJob): Promise<unknown[]> {
    const { downloadTargetExtractor, downloadTargetRequester } = this.parts;
    if (!downloadTargetExtractor) {
      if (downloadTargetRequester) {
        throw new RuntimeError('MANIFEST_INVALID', 'download_target_requester needs a download_target_extractor');
      }
      return [''];
    }
    let bodies: unknown[];
    if (downloadTargetRequester) {
      const result = await downloadTargetRequester.send({
        slice: makeSlice({}, {}, { polling_response: this.polling(job) }),
        decoder: this.parts.decoder,
        kind: 'ASYNC_DOWNLOAD_TARGET',
      });
      bodies = result.bodies;
    } else {
      bodies = this.responses.get(job.id)?.pollingBodies ?? [];
    }
    const targets: unknown[] = [];
    for (const body of bodies) for (const target of downloadTargetExtractor.extract(body)) targets.push(target);
    return targets;
  }

  private async abort(job: AsyncJob): Promise<void> {
    if (!this.parts.abortRequester || job.creationFailure) return;
    try {
      await this.parts.abortRequester.send({ slice: this.jobSlice(job), kind: 'ASYNC_ABORT' });
    } catch (error) {
      this.run.logger.warn(`Could not abort async job ${job.id}: ${(error as Error).message}`);
    }
  }

  private async delete(job: AsyncJob): Promise<void> {
    if (this.parts.deleteRequester) {
      await this.parts.deleteRequester.send({ slice: this.jobSlice(job), kind: 'ASYNC_DELETE' });
    }
    this.responses.delete(job.id);
  }

  /** The slice the polling, abort and delete requests see: the job's slice plus creation_response. */
  private jobSlice(job: AsyncJob): StreamSlice {
    return makeSlice(job.slice.partition, job.slice.cursorSlice, { ...job.slice.extraFields, creation_response: this.creation(job) });
  }

  private creation(job: AsyncJob): Json {
    return this.responses.get(job.id)?.creation ?? {};
  }

  private polling(job: AsyncJob): Json {
    return this.responses.get(job.id)?.polling ?? {};
  }

  private exhausted(job: AsyncJob, status: AsyncJobStatus, attempts: number, slice: StreamSlice): RuntimeError {
    const why =
      status === 'TIMED_OUT'
        ? `did not complete within the polling_job_timeout of ${Math.round(this.parts.jobTimeoutMs / 60_000)} minute(s)`
        : job.creationFailure
          ? `could not be created: ${job.creationFailure.message}`
          : `failed${job.apiStatus ? ` (API status '${job.apiStatus}')` : ''}`;
    const partition = Object.keys(sliceView(slice)).length ? ` for slice ${stringifyJson(sliceView(slice))}` : '';
    this.responses.delete(job.id);
    return new RuntimeError(
      'HTTP_SYSTEM',
      `Async job of stream '${this.parts.streamName}'${partition} ${why}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
      { failureType: 'system_error', cause: job.creationFailure },
    );
  }
}

/** creation_response / polling_response as templates see them: the JSON body plus headers and request. */
function responseContext(response: HttpResponse, bodies: unknown[]): Json {
  const body = bodies[0];
  const context: Json = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Json) } : {};
  if (!('headers' in context)) context.headers = { ...response.headers };
  if (!('request' in context)) {
    const { method, url, headers, body: requestBody } = response.request;
    context.request = { method, url, headers, body: requestBody ?? null };
  }
  return context;
}

function pyStr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : typeof value === 'object' ? stringifyJson(value) : String(value);
}
