import type { FailureType } from '../errors/codes.js';
import { type Builder, type BuildContext, type Model, parametersOf } from '../factory/build-context.js';
import { ConstantBackoff } from './backoff/constant.js';
import { ExponentialBackoff } from './backoff/exponential.js';
import { MaxWaitingTime, evalRegex } from './backoff/header.js';
import { WaitTimeFromHeader } from './backoff/wait-time-from-header.js';
import { WaitUntilTimeFromHeader } from './backoff/wait-until-time-from-header.js';
import { CompositeErrorHandler } from './composite-error-handler.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_MAX_TIME_SECONDS, DefaultErrorHandler } from './default-error-handler.js';
import type { BackoffStrategy, ErrorHandler, ResponseAction } from './error-handler.js';
import { type Template, condition, numberOrTemplate, template } from './interpolate.js';
import { truthy } from './python-compat.js';
import { HttpResponseFilter } from './response-filter.js';
import { stringifyJson } from '../protocol/stringify-json.js';

const ACTIONS: readonly ResponseAction[] = [
  'SUCCESS',
  'FAIL',
  'RETRY',
  'IGNORE',
  'RATE_LIMITED',
  'RESET_PAGINATION',
  'REFRESH_TOKEN_THEN_RETRY',
];
const FAILURE_TYPES: readonly FailureType[] = ['config_error', 'system_error', 'transient_error'];

function optionalString(model: Model, field: string, ctx: BuildContext): string | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ctx.error('MANIFEST_INVALID', `'${field}' must be a string`, model);
  return value;
}

function optionalTemplate(model: Model, field: string, ctx: BuildContext): Template | undefined {
  const value = optionalString(model, field, ctx);
  return value ? template(value, parametersOf(model)) : undefined;
}

/** A number-or-template field; undefined when absent. */
function numeric(model: Model, field: string, ctx: BuildContext): Template | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw ctx.error('MANIFEST_INVALID', `'${field}' must be a number or a template string`, model);
  }
  return numberOrTemplate(value, parametersOf(model));
}

function jitter(model: Model, ctx: BuildContext): number | undefined {
  const value = model.jitter_range_in_seconds;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !(value >= 0)) {
    throw ctx.error('MANIFEST_INVALID', 'jitter_range_in_seconds must be a number greater than or equal to 0', model);
  }
  return value;
}

function header(model: Model, ctx: BuildContext): Template {
  const value = optionalString(model, 'header', ctx);
  if (!value) throw ctx.error('MANIFEST_INVALID', "missing required field 'header'", model);
  return template(value, parametersOf(model));
}

function regex(model: Model, ctx: BuildContext): Template | undefined {
  const regexTemplate = optionalTemplate(model, 'regex', ctx);
  evalRegex(regexTemplate, ctx.config); // a broken pattern fails now, not at the first retry
  return regexTemplate;
}

function maxWaitingTime(model: Model, ctx: BuildContext): MaxWaitingTime {
  return new MaxWaitingTime(numeric(model, 'max_waiting_time_in_seconds', ctx), ctx.config);
}

/** max_retries: an integer, or a template over config resolved once (default 5). */
function maxRetries(model: Model, ctx: BuildContext): number {
  const value = model.max_retries;
  if (value === undefined || value === null) return DEFAULT_MAX_RETRIES;
  let resolved: unknown = value;
  if (typeof value === 'string') {
    resolved = template(value, parametersOf(model), String(DEFAULT_MAX_RETRIES)).eval(ctx.config);
  }
  const retries =
    typeof resolved === 'number' ? resolved : typeof resolved === 'string' && /^\s*[+-]?\d+\s*$/.test(resolved) ? Number(resolved) : NaN;
  if (!Number.isInteger(retries)) {
    throw ctx.error(
      'MANIFEST_INVALID',
      `max_retries did not evaluate to an integer (got ${stringifyJson(resolved) ?? 'nothing'})`,
      model,
    );
  }
  return retries;
}

const buildResponseFilter: Builder<HttpResponseFilter> = (model, ctx) => {
  const parameters = parametersOf(model);
  const action = model.action ?? undefined;
  if (action !== undefined && !ACTIONS.includes(action as ResponseAction)) {
    throw ctx.error('MANIFEST_INVALID', `unknown action '${String(action)}' (expected one of ${ACTIONS.join(', ')})`, model);
  }
  const failureType = model.failure_type ?? undefined;
  if (failureType !== undefined && !FAILURE_TYPES.includes(failureType as FailureType)) {
    throw ctx.error('MANIFEST_INVALID', `unknown failure_type '${String(failureType)}' (expected one of ${FAILURE_TYPES.join(', ')})`, model);
  }
  const codes = model.http_codes ?? [];
  if (!Array.isArray(codes) || !codes.every((code) => Number.isInteger(code))) {
    throw ctx.error('MANIFEST_INVALID', 'http_codes must be a list of integers', model);
  }
  const predicate = optionalString(model, 'predicate', ctx);
  const filter = new HttpResponseFilter({
    action: action as ResponseAction | undefined,
    failureType: failureType as FailureType | undefined,
    httpCodes: codes as number[],
    errorMessageContains: optionalString(model, 'error_message_contains', ctx),
    predicate: predicate ? condition(predicate, parameters) : undefined,
    errorMessage: optionalTemplate(model, 'error_message', ctx),
    config: ctx.config,
  });
  // The CDK accepts both of these silently; they never match anything, which is rarely intended.
  if (filter.action === undefined && filter.hasCondition) {
    ctx.run.logger.warn(`${ctx.path}: this response filter has no 'action', so it never matches`);
  } else if (filter.action !== undefined && !filter.hasCondition) {
    ctx.run.logger.warn(
      `${ctx.path}: this response filter has no http_codes, predicate or error_message_contains, so it never matches`,
    );
  }
  return filter;
};

const buildDefaultErrorHandler: Builder<ErrorHandler> = (model, ctx) => {
  const maxTime = model.max_time;
  return new DefaultErrorHandler({
    filters: ctx.list<HttpResponseFilter>(model, 'response_filters', 'HttpResponseFilter'),
    strategies: ctx.list<BackoffStrategy>(model, 'backoff_strategies'),
    maxRetries: maxRetries(model, ctx),
    maxTimeSeconds: typeof maxTime === 'number' ? maxTime : DEFAULT_MAX_TIME_SECONDS,
  });
};

const buildCompositeErrorHandler: Builder<ErrorHandler> = (model, ctx) => {
  const handlers = ctx.list<ErrorHandler>(model, 'error_handlers', 'DefaultErrorHandler');
  if (handlers.length === 0) {
    throw ctx.error('MANIFEST_INVALID', 'CompositeErrorHandler needs at least one entry in error_handlers', model);
  }
  return new CompositeErrorHandler(handlers);
};

const buildConstantBackoff: Builder<BackoffStrategy> = (model, ctx) => {
  const seconds = numeric(model, 'backoff_time_in_seconds', ctx);
  if (!seconds) throw ctx.error('MANIFEST_INVALID', "missing required field 'backoff_time_in_seconds'", model);
  return new ConstantBackoff(seconds, ctx.config, jitter(model, ctx));
};

const buildExponentialBackoff: Builder<BackoffStrategy> = (model, ctx) => {
  // As the CDK: a falsy factor (absent, 0, "") means the default, 5.
  const factor = truthy(model.factor) ? model.factor : 5;
  const factorTemplate = numeric({ ...model, factor }, 'factor', ctx)!;
  return new ExponentialBackoff(factorTemplate, ctx.config, jitter(model, ctx));
};

const buildWaitTimeFromHeader: Builder<BackoffStrategy> = (model, ctx) =>
  new WaitTimeFromHeader(header(model, ctx), regex(model, ctx), maxWaitingTime(model, ctx), ctx.config);

const buildWaitUntilTimeFromHeader: Builder<BackoffStrategy> = (model, ctx) =>
  new WaitUntilTimeFromHeader(
    header(model, ctx),
    regex(model, ctx),
    numeric(model, 'min_wait', ctx),
    maxWaitingTime(model, ctx),
    ctx.config,
    ctx.run.clock,
  );

export const errorHandlerBuilders: Record<string, Builder> = {
  DefaultErrorHandler: buildDefaultErrorHandler,
  CompositeErrorHandler: buildCompositeErrorHandler,
  HttpResponseFilter: buildResponseFilter,
  ConstantBackoffStrategy: buildConstantBackoff,
  ExponentialBackoffStrategy: buildExponentialBackoff,
  WaitTimeFromHeader: buildWaitTimeFromHeader,
  WaitUntilTimeFromHeader: buildWaitUntilTimeFromHeader,
};
