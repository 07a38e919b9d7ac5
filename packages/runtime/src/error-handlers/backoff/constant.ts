import { RuntimeError } from '../../errors/runtime-error.js';
import type { BackoffStrategy, Outcome } from '../error-handler.js';
import type { Template } from '../interpolate.js';
import { toNumber } from '../python-compat.js';
import { stringifyJson } from '../../protocol/stringify-json.js';

/** Seconds from a template, or a clear error naming the field. */
export function secondsFrom(template: Template, config: Record<string, unknown>, field: string): number {
  const value = template.eval(config);
  const seconds = toNumber(value);
  if (seconds === undefined || Number.isNaN(seconds)) {
    throw new RuntimeError('INTERP_EVAL', `${field} '${template.source}' evaluated to ${stringifyJson(value) ?? 'nothing'}, not a number`);
  }
  return seconds;
}

/** Uniform jitter on [base, base + 2 * range], as the CDK draws it. */
export function withJitter(base: number, range: number | undefined, random: () => number): number {
  if (range === undefined) return base;
  return base + random() * range * 2;
}

/** ConstantBackoffStrategy: the same wait before every retry. */
export class ConstantBackoff implements BackoffStrategy {
  constructor(
    private readonly seconds: Template,
    private readonly config: Record<string, unknown>,
    private readonly jitterRangeSeconds: number | undefined = undefined,
    private readonly random: () => number = Math.random,
  ) {}

  backoffSeconds(_outcome: Outcome, _attempt: number): number {
    const base = secondsFrom(this.seconds, this.config, 'backoff_time_in_seconds');
    return withJitter(base, this.jitterRangeSeconds, this.random);
  }
}
