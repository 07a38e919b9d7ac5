/**
 * Runs a manifest against a config for the API: test reads (StreamRead), check, discover, and the
 * stream list. Every run has its own masker and HTTP client; nothing about the config is logged or
 * written anywhere.
 */
import {
  type AirbyteMessage,
  DeclarativeSource,
  type HttpClient,
  type HttpExchange,
  type LoadedManifest,
  MessageWriter,
  type RunContext,
  type SecretMasker,
  UndiciHttpClient,
  createLogger,
  describeError,
  isRuntimeError,
  parseState,
  silentLogger,
  validateConfig,
} from '@manifold/runtime';
import { DatetimeFormatInferrer } from './datetime-inferrer.js';
import { ApiError } from './errors.js';
import { type Json, isObject } from './input.js';
import { connectionSpecification } from './manifest.js';
import { SchemaInferenceError, SchemaInferrer } from './schema-inferrer.js';

export interface HttpRequestView {
  url: string;
  http_method: string;
  headers: Record<string, string>;
  body: string | null;
}
export interface HttpResponseView {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}
export interface LogEntry {
  message: string;
  level: string;
  internal_message?: string | null;
  stacktrace?: string | null;
}
export interface AuxiliaryRequest {
  title: string;
  type: string;
  description: string;
  request: HttpRequestView;
  response: HttpResponseView;
}
export interface StreamReadPage {
  request: HttpRequestView | null;
  response: HttpResponseView | null;
  records: Json[];
}
export interface StreamReadSlice {
  slice_descriptor: Json | null;
  pages: StreamReadPage[];
  state: Json[];
  auxiliary_requests: AuxiliaryRequest[];
}
export interface StreamRead {
  logs: LogEntry[];
  slices: StreamReadSlice[];
  test_read_limit_reached: boolean;
  auxiliary_requests: AuxiliaryRequest[];
  inferred_schema: Json | null;
  inferred_datetime_formats: Record<string, string> | null;
  latest_config_update: Json | null;
}

export interface TestReadInput {
  loaded: LoadedManifest;
  config: Json;
  stream: string;
  state: unknown;
  recordLimit: number;
  pageLimit: number;
  sliceLimit: number;
  masker: SecretMasker;
}

export interface RunOptions {
  /** For tests: a client other than undici. */
  http?: HttpClient;
  /** Aborts a read that runs longer than this (default 5 minutes). */
  timeoutMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function requestView(exchange: HttpExchange): HttpRequestView {
  return {
    url: exchange.request.url,
    http_method: exchange.request.method,
    headers: exchange.request.headers,
    body: exchange.request.body ?? null,
  };
}

function responseView(exchange: HttpExchange): HttpResponseView {
  return exchange.response
    ? { status: exchange.response.status, headers: exchange.response.headers, body: exchange.response.body }
    : { status: 0, headers: {}, body: null };
}

/** An in-memory stream for the runtime's MessageWriter: collects the LOG lines of one run. */
class Lines {
  readonly lines: string[] = [];
  write(chunk: string): boolean {
    for (const line of chunk.split('\n')) if (line) this.lines.push(line);
    return true;
  }
  once(): this {
    return this;
  }
}

/**
 * What needs HTTP before streams can be listed (dynamic_streams from an HttpComponentsResolver,
 * DynamicSchemaLoader schemas): `DeclarativeSource.resolve` when the runtime has it.
 */
export async function prepareSource(source: DeclarativeSource, streamNames?: string[]): Promise<void> {
  const resolve = (source as unknown as { resolve?: (names?: string[]) => Promise<void> }).resolve;
  if (typeof resolve === 'function') await resolve.call(source, streamNames);
}

/** The manifest's streams, in order, as the API names them (404 when `name` is not one). */
function findStream(source: DeclarativeSource, name: string) {
  const streams = source.streams();
  const stream = streams.find((candidate) => candidate.name === name);
  if (!stream) {
    const names = streams.map((candidate) => candidate.name);
    throw new ApiError(
      404,
      `Stream '${name}' is not defined by the manifest${names.length > 0 ? `; it defines ${names.map((n) => `'${n}'`).join(', ')}` : ' (it defines no streams)'}`,
      'STREAM_NOT_FOUND',
    );
  }
  return stream;
}

/** A test read of one stream, grouped as Airbyte's StreamRead; every secret masked. */
export async function testRead(input: TestReadInput, options: RunOptions = {}): Promise<StreamRead> {
  const { masker, stream: target } = input;
  const out = new Lines();
  const writer = new MessageWriter(out, masker);
  const logger = createLogger(writer, masker, 'info');
  const config = structuredClone(input.config);
  let latestConfig: Json | null = null;
  const extraLogs: LogEntry[] = [];

  const slices: StreamReadSlice[] = [];
  const auxiliary: AuxiliaryRequest[] = [];
  const pending: { exchange?: HttpExchange | undefined } = {};

  const currentSlice = (): StreamReadSlice => {
    let slice = slices[slices.length - 1];
    if (!slice) {
      slice = { slice_descriptor: null, pages: [], state: [], auxiliary_requests: [] };
      slices.push(slice);
    }
    return slice;
  };
  const currentPage = (): StreamReadPage => {
    const slice = currentSlice();
    let page = slice.pages[slice.pages.length - 1];
    if (!page) {
      page = { request: null, response: null, records: [] };
      slice.pages.push(page);
    }
    return page;
  };

  const http = options.http ?? new UndiciHttpClient();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('the test read took too long')), options.timeoutMs ?? 300_000);
  const run: RunContext = {
    config,
    logger,
    http,
    masker,
    clock: Date.now,
    sleep,
    signal: abort.signal,
    emit: (message: AirbyteMessage) => {
      const control = (message as { type: string; control?: { connectorConfig?: { config?: unknown } } }).control;
      if (message.type === 'CONTROL' && isObject(control?.connectorConfig?.config)) {
        latestConfig = cleanConfig(control.connectorConfig.config);
      }
    },
    observer: {
      onSlice(stream, slice) {
        if (stream !== target) return;
        slices.push({ slice_descriptor: isObject(slice) ? structuredClone(slice) : null, pages: [], state: [], auxiliary_requests: [] });
      },
      onHttp(exchange) {
        if (exchange.kind === 'AUTH') {
          const aux: AuxiliaryRequest = {
            title: exchange.title ?? 'Authentication',
            type: 'AUTH',
            description: 'A request made to obtain or refresh credentials',
            request: requestView(exchange),
            response: responseView(exchange),
          };
          auxiliary.push(aux);
          return;
        }
        // The requester of the exchange answers to the stream whose page comes next (reads are
        // sequential in a test read): the target's own pages, or a parent's (PARENT_STREAM).
        pending.exchange = exchange;
      },
      onPage(stream) {
        const exchange = pending.exchange;
        pending.exchange = undefined;
        if (stream === target) {
          currentSlice().pages.push({
            request: exchange ? requestView(exchange) : null,
            response: exchange ? responseView(exchange) : null,
            records: [],
          });
          return;
        }
        if (!exchange) return;
        const aux: AuxiliaryRequest = {
          title: `Parent stream: ${stream}`,
          type: 'PARENT_STREAM',
          description: `A page of the parent stream '${stream}', read to produce the partitions of '${target}'`,
          request: requestView(exchange),
          response: responseView(exchange),
        };
        auxiliary.push(aux);
      },
    },
  };

  // A test read runs one slice at a time so pages and records group in order (as the CDK does).
  forceSequential(input.loaded.manifest);
  let records = 0;
  let recordLimitReached = false;
  const schemaInferrer = { value: undefined as SchemaInferrer | undefined };
  const datetimes = new DatetimeFormatInferrer();
  try {
    const states = parseState(input.state ?? null, 'state');
    const source = new DeclarativeSource(input.loaded, run, { pages: input.pageLimit, slices: input.sliceLimit });
    await prepareSource(source, [target]);
    const stream = findStream(source, target);
    const cursorField = stream.supportsIncremental && stream.cursorField.length > 0 ? [stream.cursorField] : [];
    schemaInferrer.value = new SchemaInferrer(stream.primaryKey, cursorField);
    try {
      for await (const event of stream.read(states.get(target))) {
        if (event.record) {
          const record = event.record;
          currentPage().records.push(record);
          schemaInferrer.value.accumulate(record);
          datetimes.accumulate(record);
          records += 1;
          if (records >= input.recordLimit) {
            recordLimitReached = true;
            break;
          }
        } else {
          currentSlice().state.push({
            type: 'STREAM',
            stream: { stream_descriptor: { name: target }, stream_state: event.state },
          });
        }
      }
    } catch (error) {
      // A read that fails part-way still answers with what it read, and the error as a log.
      const failed = pending.exchange;
      if (failed && (!failed.stream || failed.stream === target)) {
        currentSlice().pages.push({ request: requestView(failed), response: responseView(failed), records: [] });
      } else if (failed) {
        auxiliary.push({
          title: `Parent stream: ${failed.stream ?? ''}`,
          type: 'PARENT_STREAM',
          description: `The failed request of the parent stream '${failed.stream ?? ''}'`,
          request: requestView(failed),
          response: responseView(failed),
        });
      }
      const described = describeError(error);
      extraLogs.push({
        message: `Error while reading stream '${target}': ${described.message}`,
        level: 'ERROR',
        internal_message: described.internal ?? null,
        stacktrace: described.stack ?? null,
      });
    }
  } finally {
    clearTimeout(timer);
    if (!options.http) await http.close().catch(() => undefined);
  }
  await writer.end();

  let inferredSchema: Json | null = null;
  try {
    inferredSchema = schemaInferrer.value?.schema() ?? null;
  } catch (error) {
    if (!(error instanceof SchemaInferenceError)) throw error;
    inferredSchema = error.schema;
    extraLogs.push({ message: `The inferred schema could not mark the key fields as required: ${error.message}`, level: 'WARN' });
  }

  const limitReached =
    recordLimitReached ||
    slices.length >= input.sliceLimit ||
    slices.some((slice) => slice.pages.length >= input.pageLimit);

  const warnings: LogEntry[] = input.loaded.warnings.map((warning) => ({
    message: `${warning.message}${warning.path ? ` (at ${warning.path}${warning.line ? `, line ${warning.line}` : ''})` : ''}`,
    level: 'WARN',
  }));
  const result: StreamRead = {
    logs: [...warnings, ...parseLogs(out.lines), ...extraLogs],
    slices,
    test_read_limit_reached: limitReached,
    auxiliary_requests: auxiliary,
    inferred_schema: inferredSchema,
    inferred_datetime_formats: datetimes.formats(),
    latest_config_update: latestConfig,
  };
  // Secrets obtained during the read (tokens) are in the masker by now: mask everything, records too.
  return masker.maskValue(result);
}

function cleanConfig(config: Json): Json {
  return Object.fromEntries(Object.entries(structuredClone(config)).filter(([key]) => !key.startsWith('__')));
}

function forceSequential(manifest: Json): void {
  const level = manifest.concurrency_level;
  if (isObject(level)) {
    level.default_concurrency = 1;
    level.max_concurrency = 1;
  }
}

function parseLogs(lines: string[]): LogEntry[] {
  const logs: LogEntry[] = [];
  for (const line of lines) {
    let message: { type?: string; log?: { level?: string; message?: string }; trace?: Json };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue;
    }
    if (message.type === 'LOG' && message.log) {
      logs.push({ message: String(message.log.message ?? ''), level: String(message.log.level ?? 'INFO') });
    }
  }
  return logs;
}

/** A RunContext for check/discover/list: silent, masked, its own HTTP client. */
export function quietRun(config: Json, masker: SecretMasker, http: HttpClient): RunContext {
  return {
    config: structuredClone(config),
    logger: silentLogger(),
    http,
    masker,
    clock: Date.now,
    sleep,
    emit: () => undefined,
  };
}

export async function check(loaded: LoadedManifest, config: Json, masker: SecretMasker, options: RunOptions = {}): Promise<{ success: boolean; message: string | null }> {
  const http = options.http ?? new UndiciHttpClient();
  try {
    const spec = connectionSpecification(loaded.manifest);
    try {
      if (spec) validateConfig(config, spec);
    } catch (error) {
      return { success: false, message: masker.mask(describeError(error).message) };
    }
    const source = new DeclarativeSource(loaded, quietRun(config, masker, http));
    try {
      await prepareSource(source);
    } catch (error) {
      const described = describeError(error);
      if (isRuntimeError(error) && error.code.startsWith('MANIFEST_')) throw error;
      return { success: false, message: masker.mask(described.message) };
    }
    const status = await source.check();
    return { success: status.status === 'SUCCEEDED', message: status.message === undefined ? null : masker.mask(status.message) };
  } finally {
    if (!options.http) await http.close().catch(() => undefined);
  }
}

export async function discover(loaded: LoadedManifest, config: Json, masker: SecretMasker, options: RunOptions = {}): Promise<{ streams: Json[] }> {
  const http = options.http ?? new UndiciHttpClient();
  try {
    const source = new DeclarativeSource(loaded, quietRun(config, masker, http));
    await prepareSource(source);
    return masker.maskValue(source.discover());
  } finally {
    if (!options.http) await http.close().catch(() => undefined);
  }
}

/** The builder API's stream list: each stream's name and its URL (url_base + path, as written). */
export async function listStreams(
  loaded: LoadedManifest,
  config: Json,
  masker: SecretMasker,
  options: RunOptions = {},
): Promise<{ streams: Array<{ name: string; url: string }> }> {
  const http = options.http ?? new UndiciHttpClient();
  try {
    const source = new DeclarativeSource(loaded, quietRun(config, masker, http));
    await prepareSource(source);
    const built = source.streams();
    const models = (loaded.manifest.streams as Json[] | undefined) ?? [];
    return masker.maskValue({
      streams: built.map((stream, index) => ({ name: stream.name, url: urlOf(models[index]) })),
    });
  } finally {
    if (!options.http) await http.close().catch(() => undefined);
  }
}

function urlOf(model: Json | undefined): string {
  const retriever = isObject(model?.retriever) ? model.retriever : undefined;
  const requester = isObject(retriever?.requester) ? retriever.requester : undefined;
  if (!requester) return '';
  const base = typeof requester.url_base === 'string' ? requester.url_base : typeof requester.url === 'string' ? requester.url : '';
  const path = typeof requester.path === 'string' ? requester.path : '';
  if (!path) return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
