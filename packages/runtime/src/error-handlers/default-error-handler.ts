import type { BackoffStrategy, ErrorHandler, ErrorResolution, Outcome } from './error-handler.js';
import { resolveDefault } from './default-error-mapping.js';
import type { HttpResponseFilter } from './response-filter.js';

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_TIME_SECONDS = 600;

export interface DefaultErrorHandlerOptions {
  filters?: HttpResponseFilter[];
  strategies?: BackoffStrategy[];
  maxRetries?: number;
  maxTimeSeconds?: number;
}

/**
 * DefaultErrorHandler: the response filters in order, first match wins (they see successful
 * responses too, so a 200 carrying an error can be caught); otherwise the default mapping.
 * Backoff: the first strategy giving a non-zero wait wins; none means the requester's default.
 */
export class DefaultErrorHandler implements ErrorHandler {
  readonly maxRetries: number;
  readonly maxTimeSeconds: number | undefined;
  readonly filters: readonly HttpResponseFilter[];
  readonly strategies: readonly BackoffStrategy[];

  constructor(options: DefaultErrorHandlerOptions = {}) {
    this.filters = options.filters ?? [];
    this.strategies = options.strategies ?? [];
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.maxTimeSeconds = options.maxTimeSeconds ?? DEFAULT_MAX_TIME_SECONDS;
  }

  interpret(outcome: Outcome): ErrorResolution {
    for (const filter of this.filters) {
      const resolution = filter.matches(outcome);
      if (resolution) return resolution;
    }
    return resolveDefault(outcome);
  }

  backoffSeconds(outcome: Outcome, attempt: number): number | undefined {
    return firstBackoff(this.strategies, outcome, attempt);
  }
}

/** The first strategy's wait that is a usable number of seconds (the CDK skips 0 and None). */
export function firstBackoff(
  strategies: readonly BackoffStrategy[],
  outcome: Outcome,
  attempt: number,
): number | undefined {
  for (const strategy of strategies) {
    const seconds = strategy.backoffSeconds(outcome, attempt);
    if (seconds !== undefined && seconds !== 0 && !Number.isNaN(seconds)) return seconds;
  }
  return undefined;
}
