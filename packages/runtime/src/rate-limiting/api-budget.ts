import type { Logger } from '../logging/logger.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { pythonFloat, pythonInt } from '../error-handlers/python-compat.js';
import type { HttpResponse } from '../requesters/http-client.js';
import type { BudgetRequest } from './matcher.js';
import type { CallRatePolicy } from './policies.js';

export type { BudgetRequest } from './matcher.js';

/**
 * The manifest's `api_budget`: paces calls so the API's rate limit is not hit. The requester
 * calls `acquire` before every send (retries included) and `onResponse` after every response.
 */
export interface ApiBudget {
  /** Waits (via the run's sleep) until the call is allowed, then counts it. */
  acquire(request: BudgetRequest): Promise<void>;
  /** Updates the matching policy from the response's rate limit headers and status. */
  onResponse(request: BudgetRequest, response: HttpResponse): void;
}

export interface HttpApiBudgetOptions {
  policies: readonly CallRatePolicy[];
  ratelimitResetHeader?: string;
  ratelimitRemainingHeader?: string;
  statusCodesForRatelimitHit?: readonly number[];
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  logger?: Logger;
  signal?: AbortSignal;
}

/** Epoch seconds below this are read as seconds from now (see `resetAt`). */
const EPOCH_FLOOR_SECONDS = 1_000_000_000;
/** The CDK gives up after this many attempts to acquire one call. */
const MAX_ATTEMPTS = 100_000;

/**
 * HTTPAPIBudget. The first policy matching a request governs it; a request no policy matches is
 * not limited.
 */
export class HttpApiBudget implements ApiBudget {
  readonly policies: readonly CallRatePolicy[];
  private readonly resetHeader: string;
  private readonly remainingHeader: string;
  private readonly hitStatuses: ReadonlySet<number>;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger: Logger | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(options: HttpApiBudgetOptions) {
    this.policies = options.policies;
    this.resetHeader = (options.ratelimitResetHeader || 'ratelimit-reset').toLowerCase();
    this.remainingHeader = (options.ratelimitRemainingHeader || 'ratelimit-remaining').toLowerCase();
    this.hitStatuses = new Set(
      options.statusCodesForRatelimitHit && options.statusCodesForRatelimitHit.length > 0
        ? options.statusCodesForRatelimitHit
        : [429],
    );
    this.clock = options.clock;
    this.sleep = options.sleep;
    this.logger = options.logger;
    this.signal = options.signal;
  }

  policyFor(request: BudgetRequest): CallRatePolicy | undefined {
    return this.policies.find((policy) => policy.matches(request));
  }

  async acquire(request: BudgetRequest): Promise<void> {
    const policy = this.policyFor(request);
    if (!policy) return;
    const weight = policy.weightOf(request);
    if (weight > policy.maxWeight) {
      throw new RuntimeError(
        'MANIFEST_INVALID',
        `api_budget: a call weighing ${weight} can never fit in a ${policy.kind} allowing ${policy.maxWeight} calls`,
      );
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      this.signal?.throwIfAborted();
      const waitMs = policy.tryAcquire(weight, this.clock());
      if (waitMs <= 0) return;
      this.logger?.debug(
        `api_budget: ${policy.kind} has no calls left for ${request.method} ${request.url}; waiting ${Math.ceil(waitMs)} ms`,
      );
      await this.sleep(Math.ceil(waitMs));
    }
    throw new RuntimeError(
      'HTTP_TRANSIENT',
      `api_budget: gave up waiting for a call to ${request.method} ${request.url} after ${MAX_ATTEMPTS} attempts`,
    );
  }

  onResponse(request: BudgetRequest, response: HttpResponse): void {
    const policy = this.policyFor(request);
    if (!policy) return;
    const now = this.clock();
    policy.update(this.callsLeft(response), this.resetAt(response, now), now);
  }

  /** Calls left per the remaining header; 0 on a rate-limit status without it. */
  private callsLeft(response: HttpResponse): number | undefined {
    const header = response.headers[this.remainingHeader];
    if (header) {
      const value = pythonInt(header);
      if (value !== undefined) return value;
      this.logger?.debug(`api_budget: ignoring ${this.remainingHeader}: '${header}' (not an integer)`);
    }
    return this.hitStatuses.has(response.status) ? 0 : undefined;
  }

  /**
   * The reset time per the reset header, in epoch ms. The CDK reads it as epoch seconds; a
   * value too small to be one (the IETF RateLimit-Reset and Retry-After headers carry seconds
   * from now) is read as seconds from now instead.
   */
  private resetAt(response: HttpResponse, nowMs: number): number | undefined {
    const header = response.headers[this.resetHeader];
    if (!header) return undefined;
    const seconds = pythonFloat(header);
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
      this.logger?.debug(`api_budget: ignoring ${this.resetHeader}: '${header}' (not a number of seconds)`);
      return undefined;
    }
    return seconds < EPOCH_FLOOR_SECONDS ? nowMs + seconds * 1000 : seconds * 1000;
  }
}
