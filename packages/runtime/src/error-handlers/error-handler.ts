import type { FailureType } from '../errors/codes.js';
import type { HttpResponse } from '../requesters/http-client.js';

export type ResponseAction =
  | 'SUCCESS'
  | 'FAIL'
  | 'RETRY'
  | 'IGNORE'
  | 'RATE_LIMITED'
  | 'RESET_PAGINATION'
  | 'REFRESH_TOKEN_THEN_RETRY';

export interface ErrorResolution {
  action: ResponseAction;
  failureType?: FailureType;
  /** A message a user can act on. */
  message?: string;
}

/** What came back from one attempt: a response, or an exception (connection reset, timeout...). */
export type Outcome = { response: HttpResponse; error?: undefined } | { response?: undefined; error: Error };

/**
 * Decides what to do with each HTTP outcome, and how long to wait before retrying.
 * The retry loop itself lives once, in the HttpRequester.
 */
export interface ErrorHandler {
  /** Retries after the first attempt (CDK default 5). */
  readonly maxRetries: number;
  /** Give up retrying after this many seconds in total, if set. */
  readonly maxTimeSeconds: number | undefined;
  interpret(outcome: Outcome): ErrorResolution;
  /**
   * Seconds to wait before retry number `attempt` (1-based), or undefined when no backoff
   * strategy of the handler applies (the requester then uses its default: Retry-After if the
   * response has one, else the CDK's default 2^(attempt-1): 1, 2, 4, 8, 16 s).
   */
  backoffSeconds(outcome: Outcome, attempt: number): number | undefined;
}

/** A backoff strategy: seconds to wait, or undefined when it has no opinion (e.g. header missing). */
export interface BackoffStrategy {
  backoffSeconds(outcome: Outcome, attempt: number): number | undefined;
}
