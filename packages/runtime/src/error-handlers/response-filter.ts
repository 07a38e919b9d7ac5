import type { FailureType } from '../errors/codes.js';
import type { HttpResponse } from '../requesters/http-client.js';
import { mappedStatus } from './default-error-mapping.js';
import type { ErrorResolution, Outcome, ResponseAction } from './error-handler.js';
import { parseErrorMessage, responseContext } from './error-message.js';
import { type Condition, type Template, pythonStr } from './interpolate.js';

export interface HttpResponseFilterOptions {
  action?: ResponseAction;
  failureType?: FailureType;
  httpCodes?: Iterable<number>;
  errorMessageContains?: string;
  predicate?: Condition;
  errorMessage?: Template;
  config: Record<string, unknown>;
}

/**
 * One `response_filters` entry. A response matches when its status is one of `http_codes`, OR the
 * `predicate` holds, OR the API's error message contains `error_message_contains`. Only responses
 * are filtered (an exception never matches), and a filter without an `action` never matches.
 *
 * On a match the resolution carries:
 *  - the filter's `error_message` (templated with config, response, headers) if it renders
 *    non-empty, else the default message for the status, else nothing (the requester then
 *    describes the failure itself);
 *  - the filter's `failure_type` only when the action is FAIL; otherwise the default failure
 *    type for the status; otherwise system_error.
 */
export class HttpResponseFilter {
  readonly action: ResponseAction | undefined;
  readonly failureType: FailureType | undefined;
  readonly httpCodes: ReadonlySet<number>;
  readonly errorMessageContains: string | undefined;
  private readonly predicate: Condition | undefined;
  private readonly errorMessage: Template | undefined;
  private readonly config: Record<string, unknown>;

  constructor(options: HttpResponseFilterOptions) {
    this.action = options.action;
    this.failureType = options.failureType;
    this.httpCodes = new Set(options.httpCodes ?? []);
    this.errorMessageContains = options.errorMessageContains || undefined;
    this.predicate = options.predicate?.source ? options.predicate : undefined;
    this.errorMessage = options.errorMessage?.source ? options.errorMessage : undefined;
    this.config = options.config;
  }

  /** True when the filter names at least one condition (a filter without one never matches). */
  get hasCondition(): boolean {
    return this.httpCodes.size > 0 || this.predicate !== undefined || this.errorMessageContains !== undefined;
  }

  /** The resolution when the outcome matches this filter, else undefined. */
  matches(outcome: Outcome): ErrorResolution | undefined {
    const response = outcome.response;
    if (!response || this.action === undefined || !this.conditionHolds(response)) return undefined;
    const mapped = mappedStatus(response.status);
    const message = this.renderMessage(response) || mapped?.message || undefined;
    let failureType: FailureType;
    if (this.failureType && this.action === 'FAIL') failureType = this.failureType;
    else failureType = mapped?.failureType ?? 'system_error';
    const resolution: ErrorResolution = { action: this.action, failureType };
    if (message !== undefined) resolution.message = message;
    return resolution;
  }

  private conditionHolds(response: HttpResponse): boolean {
    if (this.httpCodes.has(response.status)) return true;
    if (this.predicate && this.predicate.eval(this.config, responseContext(response))) return true;
    if (this.errorMessageContains !== undefined) {
      const apiMessage = parseErrorMessage(response);
      if (apiMessage && apiMessage.includes(this.errorMessageContains)) return true;
    }
    return false;
  }

  private renderMessage(response: HttpResponse): string | undefined {
    if (!this.errorMessage) return undefined;
    const rendered = this.errorMessage.eval(this.config, responseContext(response));
    if (rendered === undefined || rendered === null) return undefined;
    return typeof rendered === 'string' ? rendered : pythonStr(rendered);
  }
}
