import { RuntimeError } from '../../errors/runtime-error.js';
import type { HttpResponse } from '../../requesters/http-client.js';
import { type Template, pythonStr } from '../interpolate.js';
import { compilePythonRegex, matchAtStart, pythonFloat, toNumber } from '../python-compat.js';
import { stringifyJson } from '../../protocol/stringify-json.js';

/**
 * A header's value as a number. With a regex, the part of the value the regex matches at its
 * start (the whole match, not a group) is read instead; when the regex does not match, the whole
 * value is read. Undefined when the header is missing, empty or not a number.
 */
export function numericHeader(response: HttpResponse, header: string, regex: RegExp | undefined): number | undefined {
  let value = response.headers[header.toLowerCase()];
  if (!value) return undefined;
  if (regex) {
    const match = matchAtStart(regex, value);
    if (match) value = match[0];
  }
  return pythonFloat(value);
}

export function evalRegex(regex: Template | undefined, config: Record<string, unknown>): RegExp | undefined {
  if (!regex) return undefined;
  const source = regex.eval(config);
  if (source === undefined || source === null || source === '') return undefined;
  try {
    return compilePythonRegex(pythonStr(source));
  } catch (error) {
    throw new RuntimeError('MANIFEST_INVALID', `regex '${pythonStr(source)}' is not a valid regular expression`, {
      cause: error,
    });
  }
}

/**
 * `max_waiting_time_in_seconds`: absent means no cap; present, it must resolve to a finite number
 * (0 means never wait). Resolved once when the strategy is built, so a broken template fails at
 * startup, and again on every check.
 */
export class MaxWaitingTime {
  constructor(
    private readonly value: Template | undefined,
    private readonly config: Record<string, unknown>,
  ) {
    this.seconds();
  }

  seconds(): number | undefined {
    if (!this.value) return undefined;
    let resolved: unknown;
    try {
      resolved = this.value.eval(this.config);
    } catch (error) {
      throw this.invalid(error instanceof Error ? error.message : String(error), error);
    }
    const seconds = toNumber(resolved);
    if (seconds === undefined || !Number.isFinite(seconds)) {
      throw this.invalid(`it resolved to ${stringifyJson(resolved) ?? 'nothing'}, not a finite number`);
    }
    return seconds;
  }

  /** Throws when `waitSeconds` reaches the cap (the bound is inclusive: equal is refused). */
  check(waitSeconds: number): void {
    const max = this.seconds();
    if (max !== undefined && waitSeconds >= max) {
      throw new RuntimeError(
        'HTTP_TRANSIENT',
        `The API asks to wait ${waitSeconds}s before retrying, which reaches max_waiting_time_in_seconds ` +
          `(${max}s); stopping instead of waiting.`,
        { failureType: 'transient_error', help: 'Try again later, once the API rate limit has reset.' },
      );
    }
  }

  private invalid(reason: string, cause?: unknown): RuntimeError {
    return new RuntimeError(
      'MANIFEST_INVALID',
      `max_waiting_time_in_seconds '${this.value?.source ?? ''}' cannot be used: ${reason}`,
      { failureType: 'system_error', cause },
    );
  }
}
