import pino, { type Logger } from 'pino';
import type { MessageWriter } from '../protocol/writer.js';
import type { SecretMasker } from './mask.js';

export type { Logger };

/**
 * A pino logger whose lines are Airbyte LOG messages. pino is shaped by options to print
 * `{"level":"INFO","message":"..."}` (no base, no timestamp, upper-case level names), and the
 * destination wraps that line as the `log` field of a protocol message: no second JSON parse.
 */
export function createLogger(writer: MessageWriter, masker?: SecretMasker, level = 'info'): Logger {
  const destination = {
    write(line: string): void {
      const body = line.endsWith('\n') ? line.slice(0, -1) : line;
      const masked = masker ? masker.mask(body) : body;
      void writer.writeLine(`{"type":"LOG","log":${masked}}`);
    },
  };
  return pino(
    {
      level,
      base: null,
      timestamp: false,
      messageKey: 'message',
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
