import { pythonUrljoin } from './python-urljoin.js';
import type { Authenticator } from '../auth/authenticator.js';
import { noAuth } from '../auth/authenticator.js';
import type { Json, RunContext } from '../context.js';
import type { Decoder } from '../decoders/decoder.js';
import type { ErrorHandler, ErrorResolution, Outcome } from '../error-handlers/error-handler.js';
import { defaultBackoffSeconds } from '../error-handlers/backoff/retry-after.js';
import { RuntimeError, isRuntimeError } from '../errors/runtime-error.js';
import type { InterpolatedString } from '../interpolation/index.js';
import { interpolateMapping, interpolateNested } from '../interpolation/index.js';
import type { ApiBudget } from '../rate-limiting/api-budget.js';
import { EMPTY_SLICE, type StreamSlice, requestContext } from '../partitioning/stream-slice.js';
import type { HttpRequest, HttpResponse } from './http-client.js';
import { PaginationResetRequired } from './pagination-reset-required.js';
import { BODY_METHODS, pythonFormEncode, pythonJsonDumps } from './body-encoding.js';
import type { QueryProperties } from './query-properties/query-properties.js';
import { type RequestOptions, mergeRequestOptions } from './request-options.js';
import { stringifyJson } from '../protocol/stringify-json.js';

export interface RequesterDefinition {
  /** The stream the requester belongs to (set by the stream builder when the manifest has none). */
  name: string;
  urlBase: InterpolatedString | undefined;
  url: InterpolatedString | undefined;
  path: InterpolatedString | undefined;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  authenticator: Authenticator | undefined;
  errorHandler: ErrorHandler;
  apiBudget: ApiBudget | undefined;
  parameters: Json;
  requestParameters: Json | string | undefined;
  requestHeaders: Json | string | undefined;
  requestBodyJson: unknown;
  requestBodyData: Json | string | undefined;
  /** Seconds; the CDK's default HTTP timeout. */
  timeoutSeconds: number;
  /** The retriever requests each page once per chunk of these properties. */
  queryProperties?: QueryProperties | undefined;
  /** The request parameter that carries the chunk, comma-joined (a QueryProperties in request_parameters). */
  queryPropertiesKey?: string | undefined;
}

export interface SendArgs {
  slice: StreamSlice;
  nextPageToken?: Json | undefined;
  /** Options from the paginator and the stream slicer. */
  extra?: Partial<RequestOptions> | undefined;
  /** A full URL or path that replaces the requester's own (RequestPath pagination). */
  pathOverride?: string | undefined;
  /** Decodes the body inside the retry loop, so an undecodable 2xx body is retried. */
  decoder?: Decoder | undefined;
  /** For the Builder: what this exchange is (e.g. PARENT_STREAM). */
  kind?: string | undefined;
}

export interface SendResult {
  response: HttpResponse;
  /** Decoded bodies, when a decoder was given and the response is to be read. */
  bodies: unknown[];
  /** The response was ignored by the error handler: read no records from it. */
  ignored: boolean;
}

/**
 * HttpRequester: builds the request from templates, the authenticator and the options other
 * components contribute, and runs the one retry loop of the runtime.
 */
export class HttpRequester {
  constructor(
    readonly def: RequesterDefinition,
    private readonly run: RunContext,
  ) {}

  get name(): string {
    return this.def.name;
  }

  /** The request to send, with nothing sent yet. */
  async buildRequest(args: SendArgs): Promise<HttpRequest> {
    const { def } = this;
    const extraContext = { ...requestContext(args.slice, args.nextPageToken), parameters: def.parameters };
    const config = this.run.config;
    const own: Partial<RequestOptions> = {
      params: evalOptionMapping(def.requestParameters, def.parameters, config, extraContext, 'request_parameters'),
      headers: evalOptionMapping(def.requestHeaders, def.parameters, config, extraContext, 'request_headers'),
      bodyJson: evalBodyJson(def.requestBodyJson, def.parameters, config, extraContext),
      bodyData: evalBodyData(def.requestBodyData, def.parameters, config, extraContext),
    };
    if (def.queryPropertiesKey) own.params = { ...own.params, [def.queryPropertiesKey]: queryPropertiesOf(args.slice).join(',') };
    const auth = await (def.authenticator ?? noAuth).options();
    const options = mergeRequestOptions([own, auth, args.extra]);

    const url = new URL(this.resolveUrl(args, extraContext));
    for (const [key, value] of Object.entries(options.params)) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        throw new RuntimeError('MANIFEST_INVALID', `the request parameter '${key}' cannot be an object`);
      }
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, pyString(item));
      else url.searchParams.set(key, pyString(value));
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers)) headers[key] = pyString(value);
    let body: string | undefined;
    // Bytes as `requests` makes them (json.dumps, urlencode); GET carries a body too, as in the CDK.
    if (options.bodyJson !== undefined && BODY_METHODS.has(def.method)) {
      body = pythonJsonDumps(options.bodyJson);
      setContentType(headers, 'application/json');
    } else if (options.bodyData !== undefined && BODY_METHODS.has(def.method)) {
      if (typeof options.bodyData === 'string') {
        body = options.bodyData;
      } else {
        body = pythonFormEncode(options.bodyData, pyString);
        setContentType(headers, 'application/x-www-form-urlencoded');
      }
    }
    return { method: def.method, url: url.toString(), headers, body, timeoutMs: def.timeoutSeconds * 1000 };
  }

  private resolveUrl(args: SendArgs, extraContext: Json): string {
    const { def } = this;
    const config = this.run.config;
    const urlBase = def.urlBase ? stringOf(def.urlBase.eval(config, extraContext)) : '';
    const url = def.url ? stringOf(def.url.eval(config, extraContext)) : '';
    // The requester's own path loses its leading slashes (it is relative to url_base); a
    // paginator's next-page URL is taken as it is.
    const path = args.pathOverride ?? (def.path ? stringOf(def.path.eval(config, extraContext)).replace(/^\/+/, '') : '');
    const base = urlBase || url;
    const joined = path ? joinUrl(base, path) : base;
    try {
      return new URL(joined).toString();
    } catch {
      throw new RuntimeError('MANIFEST_INVALID', `the request URL '${joined}' is not a valid URL`, {
        help: 'Check url_base, url and path of the requester, and the config values they use',
      });
    }
  }

  /** One exchange outside any stream (a login request): undefined when the handler ignored it. */
  async sendOnce(): Promise<HttpResponse | undefined> {
    const result = await this.send({ slice: EMPTY_SLICE, kind: 'AUTH' });
    return result.ignored ? undefined : result.response;
  }

  /** Sends with retries, backoff and the error handler's decisions. */
  async send(args: SendArgs): Promise<SendResult> {
    const { def, run } = this;
    const handler = def.errorHandler;
    const maxAttempts = Math.max(0, handler.maxRetries) + 1;
    const startedAt = run.clock();
    let refreshedAfter401 = false;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const request = await this.buildRequest(args);
      if (def.authenticator?.sign) await def.authenticator.sign(request);
      if (def.apiBudget) await def.apiBudget.acquire(request);
      const outcome = await this.exchange(request, args.kind);
      if (outcome.response) def.authenticator?.onResponse?.(request, outcome.response);
      if (outcome.response && def.apiBudget) def.apiBudget.onResponse(request, outcome.response);
      let resolution = handler.interpret(outcome);
      let bodies: unknown[] = [];

      if (resolution.action === 'SUCCESS' && args.decoder && outcome.response) {
        try {
          bodies = [...args.decoder.decode(outcome.response)];
        } catch (error) {
          if (!isRuntimeError(error) || error.code !== 'HTTP_DECODE') throw error;
          // Stricter than the CDK: an undecodable 2xx body is a transient error, not an empty page.
          resolution = { action: 'RETRY', failureType: 'transient_error', message: error.message };
        }
      }

      // A 401 with a token-based authenticator: refresh once and retry (stricter than the CDK).
      if (outcome.response?.status === 401 && def.authenticator?.invalidate && !refreshedAfter401) {
        refreshedAfter401 = true;
        if (await def.authenticator.invalidate()) {
          run.logger.info(`${describe(request)} got 401; refreshed the token and retrying once`);
          attempt -= 1;
          continue;
        }
      }

      switch (resolution.action) {
        case 'SUCCESS':
          return { response: outcome.response as HttpResponse, bodies, ignored: false };
        case 'IGNORE': {
          run.logger.info(resolution.message ?? `Ignoring response for ${describe(request)} (${statusOf(outcome)})`);
          const response = outcome.response;
          if (!response) return { response: emptyResponse(request), bodies: [], ignored: true };
          // As with requests' Response.__bool__, an ignored error status yields no records.
          const ok = response.status < 400;
          if (ok && args.decoder) bodies = [...args.decoder.decode(response)];
          return { response, bodies, ignored: !ok };
        }
        case 'FAIL':
          throw this.failure(request, outcome, resolution, false);
        case 'RESET_PAGINATION':
          // As the CDK's http_client: no retry; the retriever restarts the slice from its first page.
          throw new PaginationResetRequired(`${describe(request)} ${statusOf(outcome)}`);
        default: {
          // RETRY, RATE_LIMITED, REFRESH_TOKEN_THEN_RETRY.
          const elapsed = (run.clock() - startedAt) / 1000;
          const outOfTime = handler.maxTimeSeconds !== undefined && elapsed >= handler.maxTimeSeconds;
          if (attempt >= maxAttempts || outOfTime) throw this.failure(request, outcome, resolution, true);
          // Rate limited on a credential another one can replace: retry on it instead of waiting
          // (the CDK's token-rotation backoff of 0.1 s, instead of the strategies').
          const rotate = resolution.action === 'RATE_LIMITED' && def.authenticator?.hasAlternativeToken?.(request) === true;
          // As the CDK: a configured strategy's wait gets one extra second.
          const configured = rotate ? TOKEN_ROTATION_BACKOFF_SECONDS : handler.backoffSeconds(outcome, attempt);
          const wait = configured !== undefined && configured > 0 ? configured + 1 : defaultBackoffSeconds(outcome, attempt, run.clock);
          run.logger.info(
            `${describe(request)} ${statusOf(outcome)}: ${resolution.message ?? resolution.action}; retry ${attempt} of ${maxAttempts - 1} in ${wait.toFixed(1)}s`,
          );
          if (wait > 0) await run.sleep(wait * 1000);
        }
      }
    }
  }

  private async exchange(request: HttpRequest, kind: string | undefined): Promise<Outcome> {
    const { run } = this;
    let outcome: Outcome;
    try {
      const response = await run.http.send(request, timeoutSignal(request.timeoutMs, run.signal));
      outcome = { response };
    } catch (error) {
      outcome = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    run.observer?.onHttp?.({
      request: { method: request.method, url: request.url, headers: request.headers, body: request.body },
      response: outcome.response
        ? { status: outcome.response.status, headers: outcome.response.headers, body: outcome.response.text() }
        : undefined,
      kind,
      stream: this.def.name,
    });
    return outcome;
  }

  private failure(request: HttpRequest, outcome: Outcome, resolution: ErrorResolution, exhausted: boolean): RuntimeError {
    const what = outcome.response
      ? `failed with status ${outcome.response.status}${bodySnippet(outcome.response)}`
      : `failed: ${outcome.error?.message ?? 'unknown error'}`;
    const internal = `${describe(request)} ${what}`;
    const base = (resolution.message ?? internal).replace(/\.+$/, '');
    const message = exhausted
      ? `${base}. Giving up after ${Math.max(0, this.def.errorHandler.maxRetries)} retries`
      : (resolution.message ?? internal);
    const failureType = resolution.failureType ?? (outcome.response ? 'system_error' : 'transient_error');
    const code = failureType === 'config_error' ? 'HTTP_CONFIG' : failureType === 'transient_error' ? 'HTTP_TRANSIENT' : 'HTTP_SYSTEM';
    const error = new RuntimeError(code, message, { failureType, cause: outcome.error });
    (error as RuntimeError & { internalMessage?: string }).internalMessage = internal;
    return error;
  }
}

/** As `requests`: the body's content type unless the request already names one (in any case). */
function setContentType(headers: Record<string, string>, type: string): void {
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = type;
}

const TOKEN_ROTATION_BACKOFF_SECONDS = 0.1;

/** The property chunk the retriever put on the slice; its absence is a wiring error, as in the CDK. */
function queryPropertiesOf(slice: StreamSlice): string[] {
  const chunk = slice.extraFields.query_properties;
  if (chunk === undefined || chunk === null) {
    throw new RuntimeError('INTERNAL', 'QueryProperties is defined but the stream slice carries no query_properties');
  }
  if (!Array.isArray(chunk)) {
    throw new RuntimeError('INTERNAL', 'QueryProperties is defined but stream_slice.extra_fields.query_properties is not a list');
  }
  return chunk.map((property) => (typeof property === 'string' ? property : pyString(property)));
}

function timeoutSignal(timeoutMs: number | undefined, outer: AbortSignal | undefined): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (timeoutMs) signals.push(AbortSignal.timeout(timeoutMs));
  if (outer) signals.push(outer);
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

function emptyResponse(request: HttpRequest): HttpResponse {
  const body = Buffer.alloc(0);
  return { status: 0, headers: {}, body, url: request.url, request, text: () => '' };
}

function describe(request: HttpRequest): string {
  return `${request.method} ${redactQuery(request.url)}`;
}

/** A second line of defence beside value masking: hide query values whose names look secret. */
function redactQuery(url: string): string {
  return url.replace(/([?&](?:[^=&]*(?:key|token|secret|password|signature|auth)[^=&]*)=)[^&]*/gi, '$1****');
}

function statusOf(outcome: Outcome): string {
  return outcome.response ? `status ${outcome.response.status}` : `error ${outcome.error?.message ?? ''}`;
}

function bodySnippet(response: HttpResponse): string {
  const text = response.text().trim();
  if (!text) return '';
  return `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}

function stringOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Python's str() for the scalar values that end up in query strings and headers. */
export function pyString(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'object') return stringifyJson(value);
  return String(value);
}

/**
 * The CDK's url join: Python's urljoin(base + '/', path). A path that starts with '/' replaces the
 * base's path, a full URL replaces everything, and empty segments of a relative join are dropped.
 */
export function joinUrl(base: string, path: string): string {
  return pythonUrljoin(base.endsWith('/') ? base : `${base}/`, path);
}

function evalOptionMapping(
  value: Json | string | undefined,
  parameters: Json,
  config: Json,
  extra: Json,
  field: string,
): Json {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    const evaluated = interpolateNested(value, parameters, config, extra);
    if (evaluated === '' || evaluated === null || evaluated === undefined) return {};
    if (typeof evaluated !== 'object' || Array.isArray(evaluated)) {
      throw new RuntimeError('MANIFEST_INVALID', `${field} must evaluate to a mapping, got '${String(evaluated)}'`);
    }
    return evaluated as Json;
  }
  return interpolateMapping(value, parameters, config, extra);
}

function evalBodyJson(value: unknown, parameters: Json, config: Json, extra: Json): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const evaluated = interpolateNested(value, parameters, config, extra);
  if (evaluated === '' || evaluated === null || evaluated === undefined) return undefined;
  if (typeof evaluated !== 'object' || Array.isArray(evaluated)) {
    throw new RuntimeError('MANIFEST_INVALID', 'request_body_json must evaluate to a mapping');
  }
  return evaluated as Json;
}

function evalBodyData(value: Json | string | undefined, parameters: Json, config: Json, extra: Json): Json | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const evaluated = interpolateNested(value, parameters, config, extra);
    return evaluated === null || evaluated === undefined ? undefined : typeof evaluated === 'object' ? (evaluated as Json) : String(evaluated);
  }
  return interpolateMapping(value, parameters, config, extra);
}
