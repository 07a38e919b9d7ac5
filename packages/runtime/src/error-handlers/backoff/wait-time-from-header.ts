import type { BackoffStrategy, Outcome } from '../error-handler.js';
import { type Template, pythonStr } from '../interpolate.js';
import { type MaxWaitingTime, evalRegex, numericHeader } from './header.js';

/**
 * WaitTimeFromHeader: waits the number of seconds a response header asks for (e.g. Retry-After
 * in seconds). No opinion for exceptions or when the header is missing or not a number. A wait
 * at or above `max_waiting_time_in_seconds` stops the read with a transient error instead.
 */
export class WaitTimeFromHeader implements BackoffStrategy {
  constructor(
    private readonly header: Template,
    private readonly regex: Template | undefined,
    private readonly maxWait: MaxWaitingTime,
    private readonly config: Record<string, unknown>,
  ) {}

  backoffSeconds(outcome: Outcome, _attempt: number): number | undefined {
    const header = pythonStr(this.header.eval(this.config));
    const regex = evalRegex(this.regex, this.config);
    if (!outcome.response) return undefined;
    const seconds = numericHeader(outcome.response, header, regex);
    // A header of 0 asks for no wait, which no cap refuses.
    if (seconds) this.maxWait.check(seconds);
    return seconds;
  }
}
