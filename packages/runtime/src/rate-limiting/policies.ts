import type { BudgetRequest, HttpRequestRegexMatcher } from './matcher.js';

/** One `Rate` of a moving window: at most `limit` calls in any `intervalMs`. */
export interface Rate {
  limit: number;
  intervalMs: number;
}

/**
 * A call rate policy. `tryAcquire` takes `weight` calls from the budget at `nowMs` and returns 0,
 * or takes nothing and returns how many milliseconds to wait before trying again.
 */
export interface CallRatePolicy {
  readonly kind: string;
  matches(request: BudgetRequest): boolean;
  weightOf(request: BudgetRequest): number;
  tryAcquire(weight: number, nowMs: number): number;
  /** What the API said: calls left, and when its window resets (epoch ms). */
  update(availableCalls: number | undefined, resetAtMs: number | undefined, nowMs: number): void;
  /** The most a single call may weigh under this policy. */
  readonly maxWeight: number;
}

abstract class MatchedPolicy {
  constructor(protected readonly matchers: readonly HttpRequestRegexMatcher[]) {}

  /** No matchers means every request. */
  matches(request: BudgetRequest): boolean {
    return this.matchers.length === 0 || this.matchers.some((matcher) => matcher.matches(request));
  }

  /** The weight of the first matcher that matches (1 when it has none). */
  weightOf(request: BudgetRequest): number {
    const matcher = this.matchers.find((candidate) => candidate.matches(request));
    return matcher?.weight ?? 1;
  }
}

/** UnlimitedCallRatePolicy: the matched requests are never limited. */
export class UnlimitedCallRatePolicy extends MatchedPolicy implements CallRatePolicy {
  readonly kind = 'UnlimitedCallRatePolicy';
  readonly maxWeight = Infinity;

  tryAcquire(): number {
    return 0;
  }

  update(): void {}
}

/**
 * FixedWindowCallRatePolicy: `callLimit` calls per window of `periodMs`. The first window opens
 * at the first call. The API can lower the calls left (ratelimit-remaining) and move the reset
 * time (ratelimit-reset); a higher count from the API is ignored, so a policy can stay below the
 * API's own limit.
 */
export class FixedWindowCallRatePolicy extends MatchedPolicy implements CallRatePolicy {
  readonly kind = 'FixedWindowCallRatePolicy';
  private calls = 0;
  private nextResetMs: number | undefined;

  constructor(
    readonly periodMs: number,
    readonly callLimit: number,
    matchers: readonly HttpRequestRegexMatcher[],
  ) {
    super(matchers);
  }

  get maxWeight(): number {
    return this.callLimit;
  }

  /** Calls taken in the current window (for tests and logs). */
  get used(): number {
    return this.calls;
  }

  tryAcquire(weight: number, nowMs: number): number {
    this.roll(nowMs);
    if (this.calls + weight > this.callLimit) return Math.max(1, this.nextResetMs! - nowMs);
    this.calls += weight;
    return 0;
  }

  update(availableCalls: number | undefined, resetAtMs: number | undefined, nowMs: number): void {
    this.roll(nowMs);
    if (availableCalls !== undefined && this.callLimit - this.calls > availableCalls) {
      this.calls = this.callLimit - availableCalls;
    }
    if (resetAtMs !== undefined) this.nextResetMs = resetAtMs;
  }

  /** Opens a new window once the reset time is reached (catching up whole periods). */
  private roll(nowMs: number): void {
    if (this.nextResetMs === undefined) {
      this.nextResetMs = nowMs + this.periodMs;
      return;
    }
    if (nowMs >= this.nextResetMs) {
      const periods = Math.floor((nowMs - this.nextResetMs) / this.periodMs) + 1;
      this.nextResetMs += periods * this.periodMs;
      this.calls = 0;
    }
  }
}

/**
 * MovingWindowCallRatePolicy: for every rate, at most `limit` calls in any window of
 * `intervalMs` ending now. A call made at t counts until t + interval.
 */
export class MovingWindowCallRatePolicy extends MatchedPolicy implements CallRatePolicy {
  readonly kind = 'MovingWindowCallRatePolicy';
  /** Calls taken, oldest first. */
  private readonly taken: { at: number; weight: number }[] = [];
  private readonly longestMs: number;

  constructor(
    readonly rates: readonly Rate[],
    matchers: readonly HttpRequestRegexMatcher[],
  ) {
    super(matchers);
    if (rates.length === 0) throw new Error('a MovingWindowCallRatePolicy needs at least one rate');
    this.longestMs = Math.max(...rates.map((rate) => rate.intervalMs));
  }

  get maxWeight(): number {
    return Math.min(...this.rates.map((rate) => rate.limit));
  }

  tryAcquire(weight: number, nowMs: number): number {
    this.prune(nowMs);
    let wait = 0;
    for (const rate of this.rates) wait = Math.max(wait, this.waitFor(rate, weight, nowMs));
    if (wait > 0) return wait;
    this.taken.push({ at: nowMs, weight });
    return 0;
  }

  /**
   * When the API says no calls are left (and gives no reset time), fill the first rate's window
   * so the next call waits for it to slide.
   */
  update(availableCalls: number | undefined, resetAtMs: number | undefined, nowMs: number): void {
    if (availableCalls !== 0 || resetAtMs !== undefined) return;
    const first = this.rates[0]!;
    this.prune(nowMs);
    const missing = first.limit - this.countSince(nowMs - first.intervalMs);
    if (missing > 0) this.taken.push({ at: nowMs, weight: missing });
  }

  private countSince(afterMs: number): number {
    let count = 0;
    for (const call of this.taken) if (call.at > afterMs) count += call.weight;
    return count;
  }

  /** Milliseconds until `weight` more calls fit under `rate` (0 when they fit now). */
  private waitFor(rate: Rate, weight: number, nowMs: number): number {
    const inWindow = this.taken.filter((call) => call.at > nowMs - rate.intervalMs);
    let excess = inWindow.reduce((sum, call) => sum + call.weight, 0) + weight - rate.limit;
    if (excess <= 0) return 0;
    for (const call of inWindow) {
      excess -= call.weight;
      if (excess <= 0) return Math.max(1, call.at + rate.intervalMs - nowMs);
    }
    return rate.intervalMs;
  }

  private prune(nowMs: number): void {
    while (this.taken.length > 0 && this.taken[0]!.at <= nowMs - this.longestMs) this.taken.shift();
  }
}
