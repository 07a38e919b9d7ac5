import type { RunContext } from '../context.js';
import { type Duration, parseDuration } from '../datetime/index.js';
import type { ErrorHandler } from '../error-handlers/error-handler.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Builder, Model } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { EMPTY_SLICE } from '../partitioning/stream-slice.js';
import type { HttpRequestRegexMatcher } from '../rate-limiting/matcher.js';
import type { HttpRequest, HttpResponse } from '../requesters/http-client.js';
import type { RequestOptions } from '../requesters/request-options.js';
import { HttpRequester, type RequesterDefinition, pyString } from '../requesters/http-requester.js';
import type { Authenticator } from './authenticator.js';
import { parseAirbyteDatetime } from './oauth.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/** A named quota pool every token has; requests are classified into it by its matchers. */
export interface TokenQuota {
  name: string;
  remainingPath: string[];
  resetPath: string[];
  limitPath: string[] | undefined;
  /** None: the default pool. */
  matchers: HttpRequestRegexMatcher[];
  remainingHeader: string | undefined;
  resetHeader: string | undefined;
  limitHeader: string | undefined;
  exhaustionStatusCodes: number[];
}

interface QuotaState {
  remaining: number;
  /** Epoch milliseconds. */
  resetAt: number;
  limit: number;
  /**
   * False when the quota status endpoint answered with one of the "unavailable" statuses: the
   * pool has no numbers, so no waiting, throttling or rotating on exhaustion happens for it.
   * `remaining` stays 0 so every `remaining > 0` test reads it as spent.
   */
  tracked: boolean;
}

/** What the quota status endpoint answered for one token. */
export type QuotaStatus = { unavailable: true } | { unavailable: false; body: unknown };

export interface RateLimitedOptions {
  tokens: string[];
  quotas: TokenQuota[];
  /** Fetches the quota status with the given token (signed with the authenticator's header). */
  fetchQuotaStatus: (token: string) => Promise<QuotaStatus>;
  authMethod: string;
  header: string;
  maxWaitMs: number;
  budgetReserveFraction: number;
  budgetMinReserve: number;
  /** Parses a reset value (epoch seconds or ISO 8601) to epoch milliseconds, as ab_datetime_parse. */
  parseReset: (value: unknown) => number;
}

const HEARTBEAT_MS = 60_000;
const MAX_BUDGET_DELAY_S = 10;
const MIN_EXHAUSTION_WAIT_MS = 5_000;
/** How far a response's reset may trail the one held and still count as the current window. */
const RESET_SKEW_TOLERANCE_MS = 60_000;

/**
 * RateLimitedMultipleTokenAuthenticator: interchangeable tokens, each with per-pool call
 * counters seeded from a quota status endpoint on first use. Each request is charged to the
 * active token's counter for the pool it matches; a spent token is rotated away from; when every
 * token is spent the authenticator waits for the earliest reset (within max_wait_time), reseeds,
 * and goes on. Near the end of every token's quota, requests are spread out until the reset.
 * Responses can correct the counters through the pool's rate-limit headers.
 */
export class RateLimitedMultipleTokenAuthenticator implements Authenticator {
  private states = new Map<string, Map<string, QuotaState>>();
  private activeIndex = 0;
  private initializing: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private budgetLogged = false;
  private unmatchedLogged = false;
  private untrackedLogged = false;

  constructor(
    private readonly opts: RateLimitedOptions,
    private readonly run: RunContext,
  ) {
    if (opts.tokens.length === 0) {
      throw new RuntimeError('AUTH_FAILED', 'Authentication tokens are missing from the configuration.', {
        help: 'RateLimitedMultipleTokenAuthenticator needs at least one token',
      });
    }
    if (opts.quotas.length === 0) throw new RuntimeError('MANIFEST_INVALID', 'Quota pool configuration is missing (quotas is empty).');
  }

  private get active(): string {
    return this.opts.tokens[this.activeIndex] as string;
  }

  private rotate(): void {
    this.activeIndex = (this.activeIndex + 1) % this.opts.tokens.length;
  }

  /**
   * The active token, as the CDK's get_auth_header gives it (so a requester header of the same
   * name collides the same way); sign() then replaces it with the token charged for the request.
   */
  async options(): Promise<Partial<RequestOptions>> {
    return { headers: { [this.opts.header]: `${this.opts.authMethod} ${this.active}`.trim() } };
  }

  async sign(request: HttpRequest): Promise<void> {
    this.initializing ??= this.seedAllTokens().catch((error: unknown) => {
      this.initializing = undefined;
      throw error;
    });
    await this.initializing;
    const quota = this.matchQuota(request);
    const token = await this.acquireCall(quota);
    for (const name of Object.keys(request.headers)) {
      if (name.toLowerCase() === this.opts.header.toLowerCase()) delete request.headers[name];
    }
    request.headers[this.opts.header] = `${this.opts.authMethod} ${token}`.trim();
  }

  private matchQuota(request: HttpRequest): TokenQuota {
    let fallback: TokenQuota | undefined;
    for (const quota of this.opts.quotas) {
      if (quota.matchers.length > 0) {
        if (quota.matchers.some((matcher) => matcher.matches(request))) return quota;
      } else {
        fallback ??= quota;
      }
    }
    const first = this.opts.quotas[0] as TokenQuota;
    if (!fallback && !this.unmatchedLogged) {
      this.unmatchedLogged = true;
      this.run.logger.warn(
        `Request ${request.url} did not match any quota pool; falling back to '${first.name}'. Consider defining a matcher-less default pool.`,
      );
    }
    return fallback ?? first;
  }

  private state(token: string, quota: TokenQuota): QuotaState {
    return this.states.get(token)?.get(quota.name) as QuotaState;
  }

  private statesOf(quota: TokenQuota): QuotaState[] {
    return this.opts.tokens.map((token) => this.state(token, quota));
  }

  /** Charges one call to the pool and returns the token it was charged to. */
  private async acquireCall(quota: TokenQuota): Promise<string> {
    // max_wait_time bounds the total waiting of one exhaustion episode, across reseeds.
    let deadline: number | undefined;
    for (;;) {
      const token = this.active;
      const state = this.state(token, quota);
      if (!state.tracked) {
        // No counters to go by: spread the load round-robin.
        this.rotate();
        return token;
      }
      if (state.remaining > 0) {
        state.remaining -= 1;
        const delay = this.budgetDelaySeconds(quota);
        if (delay !== undefined && delay >= 0.1) {
          if (!this.budgetLogged) {
            this.budgetLogged = true;
            this.run.logger.info(`API budget: throttling requests (${delay.toFixed(1)}s delay) for quota '${quota.name}'.`);
          }
          await this.run.sleep(delay * 1000);
        }
        return token;
      }
      if (!this.statesOf(quota).every((s) => s.remaining <= 0 && s.tracked)) {
        this.rotate();
        continue;
      }
      const now = this.run.clock();
      deadline ??= now + this.opts.maxWaitMs;
      const budget = deadline - now;
      const untilReset = Math.min(...this.statesOf(quota).map((s) => s.resetAt - now));
      if (budget <= 0 || untilReset >= budget) {
        const error = new RuntimeError('HTTP_TRANSIENT', 'Rate limit is exceeded for all provided tokens.');
        (error as RuntimeError & { internalMessage?: string }).internalMessage =
          `Rate limits for all tokens (quota: ${quota.name}) were reached and the next reset exceeds max_wait_time`;
        throw error;
      }
      const wait = Math.min(Math.max(untilReset, MIN_EXHAUSTION_WAIT_MS), budget);
      this.run.logger.info(`All tokens exhausted (quota: ${quota.name}). Waiting ${Math.round(wait / 1000)}s until rate limit resets.`);
      await this.sleepWithHeartbeat(wait, quota.name);
      await this.refreshAfterExhaustion(quota);
    }
  }

  /** Proactive throttling: seconds to wait once every token is inside its reserve. */
  private budgetDelaySeconds(quota: TokenQuota): number | undefined {
    const states = this.statesOf(quota);
    if (states.some((s) => !s.tracked)) return undefined;
    if (!states.every((s) => s.remaining <= this.reserve(s))) return undefined;
    const secondsToReset = Math.max((this.state(this.active, quota).resetAt - this.run.clock()) / 1000, 0);
    const total = states.reduce((sum, s) => sum + Math.max(s.remaining, 0), 0);
    if (total <= 0 || secondsToReset <= 0) return undefined;
    return Math.min(secondsToReset / total, MAX_BUDGET_DELAY_S);
  }

  private reserve(state: QuotaState): number {
    return Math.max(this.opts.budgetMinReserve, state.limit * this.opts.budgetReserveFraction);
  }

  private async sleepWithHeartbeat(totalMs: number, quotaName: string): Promise<void> {
    let remaining = totalMs;
    while (remaining > 0) {
      const chunk = Math.min(remaining, HEARTBEAT_MS);
      await this.run.sleep(chunk);
      remaining -= chunk;
      if (remaining > 0) {
        this.run.logger.info(`Rate limit exhausted (quota: ${quotaName}). Waiting for reset — ${Math.round(remaining / 1000)}s remaining.`);
      }
    }
  }

  /** One reseed for every waiter; skipped when another waiter's reseed already brought quota back. */
  private async refreshAfterExhaustion(quota: TokenQuota): Promise<void> {
    if (this.refreshing) {
      await this.refreshing;
      return;
    }
    if (!this.statesOf(quota).every((s) => s.remaining <= 0 && s.tracked)) return;
    this.refreshing = this.seedAllTokens().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  /** Replaces every counter with what the quota status endpoint says now (local decrements are dropped). */
  private async seedAllTokens(): Promise<void> {
    const states = new Map<string, Map<string, QuotaState>>();
    for (const token of this.opts.tokens) states.set(token, await this.fetchQuotaStates(token));
    this.states = states;
    this.budgetLogged = false;
    this.logUntracked();
  }

  private async fetchQuotaStates(token: string): Promise<Map<string, QuotaState>> {
    const status = await this.opts.fetchQuotaStatus(token);
    const states = new Map<string, QuotaState>();
    const now = this.run.clock();
    for (const quota of this.opts.quotas) {
      if (status.unavailable) {
        states.set(quota.name, { remaining: 0, resetAt: now, limit: 0, tracked: false });
        continue;
      }
      const remaining = toInt(extractPath(status.body, quota.remainingPath, quota.name, 'remaining'), quota.name, 'remaining');
      const reset = extractPath(status.body, quota.resetPath, quota.name, 'reset');
      const limit = quota.limitPath ? toInt(extractPath(status.body, quota.limitPath, quota.name, 'limit'), quota.name, 'limit') : remaining;
      let resetAt: number;
      try {
        resetAt = this.opts.parseReset(reset);
      } catch (error) {
        throw new RuntimeError('HTTP_SYSTEM', `Quota status response has a reset value for token quota "${quota.name}" that is not a date: ${String(reset)}`, {
          cause: error,
        });
      }
      states.set(quota.name, { remaining, resetAt, limit, tracked: true });
    }
    return states;
  }

  private logUntracked(): void {
    if (this.untrackedLogged) return;
    const untracked = this.opts.tokens.filter((token) => [...(this.states.get(token)?.values() ?? [])].some((s) => !s.tracked));
    if (untracked.length === 0) return;
    this.untrackedLogged = true;
    const total = this.opts.tokens.length;
    if (untracked.length === total) {
      this.run.logger.info(
        'Quota status endpoint reports that rate limiting is unavailable. Token quotas are untracked: the connector will not wait for quota resets, throttle proactively, or rotate tokens on exhaustion. Responses that report a rate limit are still handled by the stream\'s error handler.',
      );
    } else {
      this.run.logger.info(
        `Quota status endpoint reports that rate limiting is unavailable for ${untracked.length} of ${total} tokens. Those tokens are used without quota tracking. The other ${total - untracked.length} keep proactive throttling until their counters are locally spent, after which traffic moves onto the untracked tokens.`,
      );
    }
  }

  /**
   * Reconciles the pool of the token that sent the request with the response's rate-limit
   * headers: a later reset means a new window (take the server's numbers); otherwise the count
   * only ever goes down, and only for the current window (within a skew tolerance), except an
   * exhaustion status's zero, which always counts.
   */
  onResponse(request: HttpRequest, response: HttpResponse): void {
    const quota = this.matchQuota(request);
    if (!(quota.remainingHeader || quota.resetHeader || quota.limitHeader || quota.exhaustionStatusCodes.length > 0)) return;
    const token = this.tokenOf(request);
    if (token === undefined) return;
    let remaining = headerInt(response, quota.remainingHeader);
    if (remaining === undefined && quota.exhaustionStatusCodes.includes(response.status)) remaining = 0;
    const resetAt = this.headerTime(response, quota.resetHeader);
    const limit = headerInt(response, quota.limitHeader);
    if (remaining === undefined && limit === undefined && resetAt === undefined) return;
    const state = this.states.get(token)?.get(quota.name);
    if (!state || !state.tracked) return;
    if (limit !== undefined && limit > 0 && (resetAt === undefined || resetAt >= state.resetAt)) state.limit = limit;
    if (resetAt !== undefined && resetAt > state.resetAt) {
      state.resetAt = resetAt;
      state.remaining = remaining ?? state.limit;
    } else if (
      remaining !== undefined &&
      ((remaining <= 0 && quota.exhaustionStatusCodes.includes(response.status)) ||
        resetAt === undefined ||
        resetAt >= state.resetAt - RESET_SKEW_TOLERANCE_MS)
    ) {
      state.remaining = Math.min(state.remaining, remaining);
    }
  }

  /**
   * True only when the token that sent the request is tracked and spent for its pool and some
   * other token still has calls: then a rate-limited retry can skip the wait, since it will go
   * out on another token.
   */
  hasAlternativeToken(request: HttpRequest): boolean {
    const quota = this.matchQuota(request);
    const sender = this.tokenOf(request);
    if (this.states.size === 0 || sender === undefined) return false;
    const state = this.state(sender, quota);
    if (!state.tracked || state.remaining > 0) return false;
    return this.opts.tokens.some((token) => token !== sender && this.state(token, quota).remaining > 0);
  }

  /** The token a request was signed with, read back from its header (the prefix is checked). */
  private tokenOf(request: HttpRequest): string | undefined {
    const name = Object.keys(request.headers).find((key) => key.toLowerCase() === this.opts.header.toLowerCase());
    const value = name === undefined ? undefined : request.headers[name];
    if (!value) return undefined;
    let token: string;
    if (this.opts.authMethod) {
      const prefix = `${this.opts.authMethod} `;
      if (!value.startsWith(prefix)) return undefined;
      token = value.slice(prefix.length).trim();
    } else {
      token = value.trim();
    }
    return this.states.has(token) ? token : undefined;
  }

  private headerTime(response: HttpResponse, header: string | undefined): number | undefined {
    const value = headerValue(response, header);
    if (value === undefined) return undefined;
    try {
      return this.opts.parseReset(value);
    } catch {
      return undefined;
    }
  }
}

function headerValue(response: HttpResponse, header: string | undefined): string | undefined {
  if (!header) return undefined;
  const name = Object.keys(response.headers).find((key) => key.toLowerCase() === header.toLowerCase());
  return name === undefined ? undefined : response.headers[name];
}

/** Python int() of a header: an optionally signed integer, surrounding spaces allowed; else none. */
function headerInt(response: HttpResponse, header: string | undefined): number | undefined {
  const value = headerValue(response, header);
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/** A configured path missing from the answer is the manifest's fault, not the user's: system_error. */
function extractPath(body: unknown, path: string[], quotaName: string, field: string): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(key in value)) {
      const error = new RuntimeError('HTTP_SYSTEM', `Quota status response does not contain the configured ${field} path for token quota "${quotaName}".`);
      (error as RuntimeError & { internalMessage?: string }).internalMessage =
        `Quota status response did not contain the ${field} path ${stringifyJson(path)} configured for quota '${quotaName}'`;
      throw error;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Python int(): whole numbers, floats truncated, integer strings. */
function toInt(value: unknown, quotaName: string, field: string): number {
  const number = typeof value === 'number' ? Math.trunc(value) : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
  if (!Number.isFinite(number)) {
    throw new RuntimeError('HTTP_SYSTEM', `Quota status response has a ${field} value for token quota "${quotaName}" that is not an integer: ${stringifyJson(value)}`);
  }
  return number;
}

export const buildRateLimitedMultipleTokenAuthenticator: Builder<RateLimitedMultipleTokenAuthenticator> = (model, ctx) => {
  const config = ctx.config;
  const evalString = (template: unknown) => pyString(new InterpolatedString(String(template), {}).eval(config));
  let tokens: string[];
  if (typeof model.tokens === 'string') {
    const delimiter = typeof model.token_delimiter === 'string' && model.token_delimiter ? model.token_delimiter : ',';
    tokens = evalString(model.tokens)
      .split(delimiter)
      .map((token) => token.trim())
      .filter(Boolean);
  } else if (Array.isArray(model.tokens)) {
    tokens = model.tokens.map((token) => evalString(token).trim()).filter(Boolean);
  } else {
    throw ctx.error('MANIFEST_INVALID', 'tokens must be a string or a list of strings', model);
  }
  for (const token of tokens) ctx.run.masker.add(token);

  const quotaModels = model.quotas;
  if (!Array.isArray(quotaModels) || quotaModels.length === 0) throw ctx.error('MANIFEST_INVALID', 'quotas must list at least one TokenQuota', model);
  const source = model.quota_status_source as Model | undefined;
  if (!source || typeof source.url !== 'string') throw ctx.error('MANIFEST_INVALID', 'quota_status_source needs a url', model);
  const quotaStatusUrl = evalString(source.url);
  const method = String(source.http_method ?? 'GET').toUpperCase();
  const statusHeaders = Object.fromEntries(
    Object.entries((source.request_headers as Record<string, unknown> | undefined) ?? {}).map(([key, value]) => [key, evalString(value)]),
  );
  const unavailable = [...new Set(((source.unavailable_status_codes as number[] | undefined) ?? []).map(Number))].sort((a, b) => a - b);
  const authMethod = typeof model.auth_method === 'string' ? model.auth_method : 'Bearer';
  const header = typeof model.header === 'string' && model.header ? model.header : 'Authorization';
  const maxWaitText = evalString(model.max_wait_time ?? 'PT2H');
  let maxWait: Duration;
  try {
    maxWait = parseDuration(maxWaitText);
  } catch {
    throw ctx.at('max_wait_time').error('MANIFEST_INVALID', `max_wait_time '${maxWaitText}' is not an ISO 8601 duration`, model);
  }
  if (maxWait.hasCalendarPart) {
    throw ctx.at('max_wait_time').error(
      'MANIFEST_INVALID',
      `max_wait_time must be a fixed-length ISO 8601 duration (e.g. 'PT2H'); calendar-unit durations like '${maxWaitText}' are not supported`,
      model,
    );
  }
  const budgetReserveFraction = typeof model.budget_reserve_fraction === 'number' ? model.budget_reserve_fraction : 0.1;
  const budgetMinReserve = typeof model.budget_min_reserve === 'number' ? model.budget_min_reserve : 50;

  // Identical definitions share one instance, so every stream spends from the same counters.
  const key = stringifyJson({
    tokens,
    quotas: quotaModels.map((quota) => stripParameters(quota)),
    quotaStatusUrl,
    method,
    statusHeaders,
    unavailable,
    authMethod,
    header,
    maxWait: maxWait.totalMicros,
    budgetReserveFraction,
    budgetMinReserve,
  });
  const cache = (ctx.shared.rateLimitedAuthenticators ??= new Map<string, RateLimitedMultipleTokenAuthenticator>()) as Map<
    string,
    RateLimitedMultipleTokenAuthenticator
  >;
  const cached = cache.get(key);
  if (cached) return cached;

  const qctx = ctx.at('quotas');
  const quotas: TokenQuota[] = quotaModels.map((quotaModel: Model, index: number) => {
    const here = qctx.at(index);
    const paths = (field: string, required: boolean): string[] | undefined => {
      const value = quotaModel[field];
      if (value === undefined || value === null) {
        if (required) throw here.error('MANIFEST_INVALID', `TokenQuota needs ${field}`, quotaModel);
        return undefined;
      }
      if (!Array.isArray(value)) throw here.error('MANIFEST_INVALID', `${field} must be a list of keys`, quotaModel);
      return value.map(String);
    };
    const optionalString = (field: string) => (typeof quotaModel[field] === 'string' && quotaModel[field] ? (quotaModel[field] as string) : undefined);
    return {
      name: String(quotaModel.name ?? ''),
      remainingPath: paths('remaining_path', true) as string[],
      resetPath: paths('reset_path', true) as string[],
      limitPath: paths('limit_path', false),
      matchers: here.list<HttpRequestRegexMatcher>(quotaModel, 'matchers', 'HttpRequestRegexMatcher'),
      remainingHeader: optionalString('remaining_header'),
      resetHeader: optionalString('reset_header'),
      limitHeader: optionalString('limit_header'),
      exhaustionStatusCodes: ((quotaModel.exhaustion_status_codes as number[] | undefined) ?? []).map(Number),
    };
  });

  // The quota status request: the requester's retry loop with the CDK's default mapping, and
  // the "unavailable" statuses ignored so their meaning can be read here.
  const errorHandler = ctx.at('quota_status_source').component<ErrorHandler>({
    type: 'DefaultErrorHandler',
    ...(unavailable.length > 0 ? { response_filters: [{ type: 'HttpResponseFilter', action: 'IGNORE', http_codes: unavailable }] } : {}),
  });
  const requesters = new Map<string, HttpRequester>();
  const requesterFor = (token: string): HttpRequester => {
    let requester = requesters.get(token);
    if (!requester) {
      const signature = `${authMethod} ${token}`.trim();
      requester = new HttpRequester(
        {
          name: 'quota_status',
          urlBase: new InterpolatedString(quotaStatusUrl, {}),
          url: undefined,
          path: undefined,
          method: method as RequesterDefinition['method'],
          authenticator: { options: async () => ({ headers: { [header]: signature } }) },
          errorHandler,
          apiBudget: undefined,
          parameters: {},
          requestParameters: undefined,
          requestHeaders: statusHeaders,
          requestBodyJson: undefined,
          requestBodyData: undefined,
          timeoutSeconds: 300,
        },
        ctx.run,
      );
      requesters.set(token, requester);
    }
    return requester;
  };
  const fetchQuotaStatus = async (token: string): Promise<QuotaStatus> => {
    const result = await requesterFor(token).send({ slice: EMPTY_SLICE, kind: 'AUTH' });
    if (unavailable.includes(result.response.status)) return { unavailable: true };
    try {
      return { unavailable: false, body: JSON.parse(result.response.text()) as unknown };
    } catch (error) {
      throw new RuntimeError('HTTP_SYSTEM', `the quota status endpoint answered with a body that is not JSON (status ${result.response.status})`, {
        cause: error,
      });
    }
  };

  const authenticator = new RateLimitedMultipleTokenAuthenticator(
    {
      tokens,
      quotas,
      fetchQuotaStatus,
      authMethod,
      header,
      maxWaitMs: maxWait.totalMicros / 1000,
      budgetReserveFraction,
      budgetMinReserve,
      parseReset: (value) => parseAirbyteDatetime(value, ctx.run.clock),
    },
    ctx.run,
  );
  cache.set(key, authenticator);
  return authenticator;
};

/** A quota definition without the stream-specific $parameters propagated onto it. */
function stripParameters(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripParameters);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$parameters' && key !== 'parameters')
      .map(([key, item]) => [key, stripParameters(item)]),
  );
}
