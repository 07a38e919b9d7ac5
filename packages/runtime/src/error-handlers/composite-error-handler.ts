import type { ErrorHandler, ErrorResolution, Outcome, ResponseAction } from './error-handler.js';
import { resolveDefault } from './default-error-mapping.js';

/** Actions that settle the outcome at once; any other resolution lets later handlers speak. */
const SETTLING: ReadonlySet<ResponseAction> = new Set(['SUCCESS', 'RETRY', 'IGNORE', 'RESET_PAGINATION']);

/**
 * CompositeErrorHandler: asks its handlers in order. The first resolution that is SUCCESS, RETRY,
 * IGNORE or RESET_PAGINATION wins; if none is, the LAST handler's resolution stands (so an early
 * FAIL or RATE_LIMITED can be overridden by a later handler). Retries: the first handler's
 * max_retries; max time: the largest of the handlers'. Backoff: the handlers' strategies taken
 * in order as one list, first usable wait wins.
 */
export class CompositeErrorHandler implements ErrorHandler {
  constructor(readonly handlers: readonly ErrorHandler[]) {
    if (handlers.length === 0) throw new Error('CompositeErrorHandler needs at least one error handler');
  }

  get maxRetries(): number {
    return this.handlers[0]!.maxRetries;
  }

  get maxTimeSeconds(): number | undefined {
    return Math.max(...this.handlers.map((handler) => handler.maxTimeSeconds ?? 0));
  }

  interpret(outcome: Outcome): ErrorResolution {
    let last: ErrorResolution | undefined;
    for (const handler of this.handlers) {
      last = handler.interpret(outcome);
      if (SETTLING.has(last.action)) return last;
    }
    return last ?? resolveDefault(outcome);
  }

  backoffSeconds(outcome: Outcome, attempt: number): number | undefined {
    for (const handler of this.handlers) {
      const seconds = handler.backoffSeconds(outcome, attempt);
      if (seconds !== undefined && seconds !== 0 && !Number.isNaN(seconds)) return seconds;
    }
    return undefined;
  }
}
