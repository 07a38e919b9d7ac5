import type { BackoffStrategy, Outcome } from '../error-handler.js';
import type { Template } from '../interpolate.js';
import { secondsFrom, withJitter } from './constant.js';

/** ExponentialBackoffStrategy: `factor * 2 ** attempt` seconds (attempt 1 is the first retry). */
export class ExponentialBackoff implements BackoffStrategy {
  constructor(
    private readonly factor: Template,
    private readonly config: Record<string, unknown>,
    private readonly jitterRangeSeconds: number | undefined = undefined,
    private readonly random: () => number = Math.random,
  ) {}

  backoffSeconds(_outcome: Outcome, attempt: number): number {
    const factor = secondsFrom(this.factor, this.config, 'factor');
    return withJitter(factor * 2 ** attempt, this.jitterRangeSeconds, this.random);
  }
}
