/** Every error this package throws has one of these codes; callers branch on `code`, not on class. */
export const DestinationErrorCodes = {
  DEST_CONFIG_INVALID: 'the destination config is missing a field or has a wrong value',
  DEST_SYNC_MODE_UNSUPPORTED: 'the destination cannot write a stream in the requested sync mode',
  DEST_UNKNOWN_STREAM: 'a record was written for a stream that open() was not given',
  DEST_WRITER_CLOSED: 'the writer was used after complete() or abort()',
  DEST_WRITE_FAILED: 'the destination failed to store records or state',
  DEST_PROCESS_FAILED: 'the destination process exited or failed',
} as const;

export type DestinationErrorCode = keyof typeof DestinationErrorCodes;

export class DestinationError extends Error {
  readonly code: DestinationErrorCode;

  constructor(code: DestinationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DestinationError';
    this.code = code;
  }
}

/** A message safe to show: the error's own text, with the given secret values masked. */
export function safeMessage(error: unknown, secrets: ReadonlyArray<string | undefined>): string {
  let text = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) {
    if (secret) text = text.split(secret).join('****');
  }
  return text;
}
