import type { BackoffStrategy, Outcome } from '../error-handler.js';
import { type Template, pythonStr } from '../interpolate.js';
import { secondsFrom } from './constant.js';
import { type MaxWaitingTime, evalRegex, numericHeader } from './header.js';
import { truthy } from '../python-compat.js';

/**
 * WaitUntilTimeFromHeader: the header holds the epoch second at which retrying is allowed; waits
 * from now until then, never less than `min_wait` when set. Without a usable header, waits
 * `min_wait` (or has no opinion). A past time without `min_wait` gives no opinion. The cap
 * (`max_waiting_time_in_seconds`) applies to the computed wait, after the `min_wait` floor.
 */
export class WaitUntilTimeFromHeader implements BackoffStrategy {
  constructor(
    private readonly header: Template,
    private readonly regex: Template | undefined,
    private readonly minWait: Template | undefined,
    private readonly maxWait: MaxWaitingTime,
    private readonly config: Record<string, unknown>,
    private readonly clock: () => number,
  ) {}

  backoffSeconds(outcome: Outcome, _attempt: number): number | undefined {
    const now = this.clock() / 1000;
    const header = pythonStr(this.header.eval(this.config));
    const regex = evalRegex(this.regex, this.config);
    const waitUntil = outcome.response ? numericHeader(outcome.response, header, regex) : undefined;
    const minWait = this.resolveMinWait();
    if (!waitUntil) return minWait === undefined ? undefined : this.capped(minWait);
    const wait = waitUntil - now;
    if (minWait !== undefined) return this.capped(Math.max(wait, minWait));
    if (wait < 0) return undefined;
    return this.capped(wait);
  }

  /** min_wait in seconds, or undefined when unset or falsy (0, empty, null). */
  private resolveMinWait(): number | undefined {
    if (!this.minWait) return undefined;
    const raw = this.minWait.eval(this.config);
    if (!truthy(raw)) return undefined;
    const seconds = secondsFrom({ source: this.minWait.source, eval: () => raw }, this.config, 'min_wait');
    return seconds === 0 ? undefined : seconds;
  }

  private capped(seconds: number): number {
    this.maxWait.check(seconds);
    return seconds;
  }
}
