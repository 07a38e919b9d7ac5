import type { Logger } from './logging/logger.js';
import type { SecretMasker } from './logging/mask.js';
import type { AirbyteMessage } from './protocol/messages.js';
import type { HttpClient } from './requesters/http-client.js';

export type Json = Record<string, unknown>;

/** What one HTTP exchange looked like; the Builder's test read shows these. */
export interface HttpExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  /** AUTH for token calls, PARENT_STREAM for reads done on behalf of a child stream, etc. */
  kind?: string;
  title?: string;
  stream?: string;
}

/** Hooks the Builder uses to watch a test read; the CLI leaves them unset. */
export interface ReadObserver {
  onHttp?(exchange: HttpExchange): void;
  onSlice?(stream: string, slice: Json): void;
  onPage?(stream: string): void;
}

/**
 * Everything a run needs from the outside world, passed down explicitly (no module-level state:
 * the Builder runs many test reads in one process). Time comes only from `clock` and `sleep`,
 * so tests control it.
 */
export interface RunContext {
  config: Json;
  logger: Logger;
  http: HttpClient;
  masker: SecretMasker;
  /** Epoch milliseconds. */
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** Directory of manifest.yaml, for JsonFileSchemaLoader. */
  manifestDirectory?: string;
  /** Emits out-of-band protocol messages (CONTROL config updates) in order with the rest. */
  emit: (message: AirbyteMessage) => void;
  observer?: ReadObserver;
  /**
   * The configured catalog of a `read` (absent for spec, check and discover). Only components
   * that depend on the selected schema read it: JsonSchemaPropertySelector.
   */
  configuredCatalog?: { streams: Array<{ stream: { name: string; json_schema?: unknown } }> };
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
