import { type ErrorCode, ErrorCodes, type FailureType } from './codes.js';

export interface RuntimeErrorOptions {
  /** Component path in the manifest, e.g. `streams[2].retriever.paginator`. */
  path?: string;
  /** 1-based line in manifest.yaml, when known. */
  line?: number;
  column?: number;
  /** What the user can do about it. */
  help?: string;
  /** Overrides the failure type the code implies (e.g. an error handler's `failure_type`). */
  failureType?: FailureType;
  cause?: unknown;
}

/**
 * The one error class of the runtime: coded, typed by who must act, and located in the manifest.
 * The CLI renders it as a TRACE message; the Builder as JSON beside the field it concerns.
 */
export class RuntimeError extends Error {
  readonly code: ErrorCode;
  readonly failureType: FailureType;
  path: string | undefined;
  line: number | undefined;
  column: number | undefined;
  readonly help: string | undefined;

  constructor(code: ErrorCode, message: string, options: RuntimeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.failureType = options.failureType ?? ErrorCodes[code];
    this.path = options.path;
    this.line = options.line;
    this.column = options.column;
    this.help = options.help;
  }

  /** The message with its location and help, as a user reads it. */
  describe(): string {
    const where = [this.path, this.line === undefined ? undefined : `line ${this.line}`]
      .filter(Boolean)
      .join(', ');
    // Messages that already name their place (manifest validation) are not located twice.
    const located = (this.path && this.message.includes(this.path)) || this.message.includes('(line ');
    let text = where && !located ? `${this.message} (at ${where})` : this.message;
    if (this.help) text += `. ${this.help}`;
    return text;
  }
}

export function isRuntimeError(value: unknown): value is RuntimeError {
  return value instanceof RuntimeError;
}
