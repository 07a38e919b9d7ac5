import { type Builder, type BuildContext, type Model } from '../factory/build-context.js';
import { numberOrTemplate } from '../error-handlers/interpolate.js';
import { type ApiBudget, HttpApiBudget } from './api-budget.js';
import { parseIsoDuration } from './duration.js';
import { HttpRequestRegexMatcher } from './matcher.js';
import {
  type CallRatePolicy,
  FixedWindowCallRatePolicy,
  MovingWindowCallRatePolicy,
  type Rate,
  UnlimitedCallRatePolicy,
} from './policies.js';
import { stringifyJson } from '../protocol/stringify-json.js';

function duration(model: Model, field: string, ctx: BuildContext): number {
  const value = model[field];
  if (typeof value !== 'string') throw ctx.error('MANIFEST_INVALID', `'${field}' must be an ISO 8601 duration such as PT1M`, model);
  try {
    return parseIsoDuration(value);
  } catch (error) {
    throw ctx.error('MANIFEST_INVALID', `${field}: ${(error as Error).message}`, model);
  }
}

/** A positive integer, or a template over config resolving to one. */
function positiveInteger(model: Model, field: string, ctx: BuildContext, required: boolean): number | undefined {
  const value = model[field];
  if (value === undefined || value === null) {
    if (required) throw ctx.error('MANIFEST_INVALID', `missing required field '${field}'`, model);
    return undefined;
  }
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw ctx.error('MANIFEST_INVALID', `'${field}' must be an integer`, model);
  }
  const resolved = numberOrTemplate(value, {}).eval(ctx.config);
  const number =
    typeof resolved === 'number' ? resolved : typeof resolved === 'string' && /^\s*\d+\s*$/.test(resolved) ? Number(resolved) : NaN;
  if (!Number.isInteger(number) || number < 1) {
    throw ctx.error('MANIFEST_INVALID', `'${field}' must be an integer >= 1 (got ${stringifyJson(resolved) ?? 'nothing'})`, model);
  }
  return number;
}

function objectField(model: Model, field: string, ctx: BuildContext): Record<string, unknown> | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw ctx.error('MANIFEST_INVALID', `'${field}' must be a mapping`, model);
  return value as Record<string, unknown>;
}

function stringField(model: Model, field: string, ctx: BuildContext): string | undefined {
  const value = model[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw ctx.error('MANIFEST_INVALID', `'${field}' must be a string`, model);
  return value;
}

const buildMatcher: Builder<HttpRequestRegexMatcher> = (model, ctx) => {
  const urlBase = stringField(model, 'url_base', ctx);
  if (urlBase !== undefined && (/\{\{|\{%/.test(urlBase) || /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/.+/i.test(urlBase))) {
    // As in the CDK, url_base is compared verbatim with the request's scheme://host.
    ctx.run.logger.warn(
      `${ctx.path}: url_base '${urlBase}' is compared verbatim with the request's scheme://host, so a template or a path in it never matches`,
    );
  }
  try {
    return new HttpRequestRegexMatcher({
      method: stringField(model, 'method', ctx),
      urlBase,
      urlPathPattern: stringField(model, 'url_path_pattern', ctx),
      params: objectField(model, 'params', ctx),
      headers: objectField(model, 'headers', ctx),
      weight: positiveInteger(model, 'weight', ctx, false),
    });
  } catch (error) {
    throw ctx.error('MANIFEST_INVALID', (error as Error).message, model);
  }
};

function matchers(model: Model, ctx: BuildContext): HttpRequestRegexMatcher[] {
  return ctx.list<HttpRequestRegexMatcher>(model, 'matchers', 'HttpRequestRegexMatcher');
}

function checkWeights(policy: CallRatePolicy, found: HttpRequestRegexMatcher[], model: Model, ctx: BuildContext): void {
  for (const matcher of found) {
    if (matcher.weight !== undefined && matcher.weight > policy.maxWeight) {
      throw ctx.error(
        'MANIFEST_INVALID',
        `a matcher weight of ${matcher.weight} exceeds the ${policy.maxWeight} calls this policy ever allows`,
        model,
      );
    }
  }
}

const buildRate: Builder<Rate> = (model, ctx) => ({
  limit: positiveInteger(model, 'limit', ctx, true)!,
  intervalMs: duration(model, 'interval', ctx),
});

const buildFixedWindow: Builder<CallRatePolicy> = (model, ctx) => {
  const found = matchers(model, ctx);
  const policy = new FixedWindowCallRatePolicy(duration(model, 'period', ctx), positiveInteger(model, 'call_limit', ctx, true)!, found);
  checkWeights(policy, found, model, ctx);
  return policy;
};

const buildMovingWindow: Builder<CallRatePolicy> = (model, ctx) => {
  const rates = ctx.list<Rate>(model, 'rates', 'Rate');
  if (rates.length === 0) throw ctx.error('MANIFEST_INVALID', 'a MovingWindowCallRatePolicy needs at least one rate', model);
  const found = matchers(model, ctx);
  const policy = new MovingWindowCallRatePolicy(rates, found);
  checkWeights(policy, found, model, ctx);
  return policy;
};

const buildUnlimited: Builder<CallRatePolicy> = (model, ctx) => new UnlimitedCallRatePolicy(matchers(model, ctx));

const buildHttpApiBudget: Builder<ApiBudget> = (model, ctx) => {
  const codes = model.status_codes_for_ratelimit_hit;
  if (codes !== undefined && codes !== null && (!Array.isArray(codes) || !codes.every((code) => Number.isInteger(code)))) {
    throw ctx.error('MANIFEST_INVALID', 'status_codes_for_ratelimit_hit must be a list of integers', model);
  }
  return new HttpApiBudget({
    policies: ctx.list<CallRatePolicy>(model, 'policies'),
    ratelimitResetHeader: stringField(model, 'ratelimit_reset_header', ctx),
    ratelimitRemainingHeader: stringField(model, 'ratelimit_remaining_header', ctx),
    statusCodesForRatelimitHit: (codes as number[] | undefined) ?? undefined,
    clock: ctx.run.clock,
    sleep: ctx.run.sleep,
    logger: ctx.run.logger,
    signal: ctx.run.signal,
  });
};

export const rateLimitBuilders: Record<string, Builder> = {
  HTTPAPIBudget: buildHttpApiBudget,
  FixedWindowCallRatePolicy: buildFixedWindow,
  MovingWindowCallRatePolicy: buildMovingWindow,
  UnlimitedCallRatePolicy: buildUnlimited,
  Rate: buildRate,
  HttpRequestRegexMatcher: buildMatcher,
};
