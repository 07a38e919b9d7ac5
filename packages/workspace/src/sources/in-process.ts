/**
 * A source run in this process by the runtime: the published manifest plus the config, read
 * with `readSource`, messages handed over as objects (no JSON round trip for records).
 */
import {
  type AirbyteMessage,
  DeclarativeSource,
  type HttpClient,
  type LoadedManifest,
  MessageWriter,
  type RunContext,
  SecretMasker,
  UndiciHttpClient,
  collectSecrets,
  createLogger,
  parseState,
  readSource,
  specOf,
  validateConfig,
} from '@manifold/runtime';
import type { StateMessage } from '../destination.js';
import type { Json } from '../model.js';
import {
  type ConfiguredCatalog,
  type DiscoveredStream,
  type ReadHooks,
  type SourceProcess,
  discoveredStream,
} from './source-process.js';

export interface InProcessOptions {
  /** For tests: an HTTP client other than undici. */
  http?: HttpClient;
}

export class InProcessSource implements SourceProcess {
  constructor(
    private readonly loaded: LoadedManifest,
    private readonly config: Json,
    private readonly options: InProcessOptions = {},
  ) {}

  async discover(signal?: AbortSignal): Promise<DiscoveredStream[]> {
    return this.withRun(signal, () => undefined, async (source) => {
      await source.resolve();
      return source.discover().streams.map(discoveredStream);
    });
  }

  async read(
    catalog: ConfiguredCatalog,
    state: StateMessage[],
    onMessage: (message: AirbyteMessage) => Promise<void>,
    hooks: ReadHooks,
  ): Promise<{ ok: boolean }> {
    const onLog = (message: AirbyteMessage) => void logQueue.push(message);
    const logQueue: AirbyteMessage[] = [];
    // LOG lines arrive synchronously from the logger; they are handed on in order with the rest.
    const drainLogs = async () => {
      while (logQueue.length > 0) await onMessage(logQueue.shift() as AirbyteMessage);
    };
    return this.withRun(hooks.signal, onLog, async (source, run) => {
      if (hooks.onPage) run.observer = { onPage: hooks.onPage };
      const states = parseState(state, 'the destination state');
      await source.resolve(catalog.streams.map((configured) => configured.stream.name));
      const { failed } = await readSource(
        source,
        { streams: catalog.streams },
        states,
        async (message) => {
          await drainLogs();
          await onMessage(message.type === 'RECORD' || message.type === 'STATE' ? message : run.masker.maskValue(message));
        },
        run,
      );
      await drainLogs();
      return { ok: failed.length === 0 };
    });
  }

  private async withRun<T>(
    signal: AbortSignal | undefined,
    onLog: (message: AirbyteMessage) => void,
    body: (source: DeclarativeSource, run: RunContext) => Promise<T>,
  ): Promise<T> {
    const masker = new SecretMasker();
    const config = structuredClone(this.config);
    const spec = specOf(this.loaded.manifest);
    collectSecrets(spec.connectionSpecification, config, masker);
    const lines = {
      write(chunk: string): boolean {
        for (const line of chunk.split('\n')) if (line) onLog(JSON.parse(line) as AirbyteMessage);
        return true;
      },
      once(): unknown {
        return undefined;
      },
    };
    const writer = new MessageWriter(lines, masker, { highWaterMark: 0 });
    const http = this.options.http ?? new UndiciHttpClient();
    const run: RunContext = {
      config,
      logger: createLogger(writer, masker, 'info'),
      http,
      masker,
      clock: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...(signal ? { signal } : {}),
      ...(this.loaded.directory ? { manifestDirectory: this.loaded.directory } : {}),
      // A CONTROL config update would be saved by a platform; the workspace keeps the user's config.
      emit: () => undefined,
    };
    try {
      const source = new DeclarativeSource(this.loaded, run);
      const rules = source.configRules();
      rules.migrate(config);
      validateConfig(config, spec.connectionSpecification as Json);
      rules.transform(config);
      rules.validate(config);
      return await body(source, run);
    } finally {
      await writer.end();
      if (!this.options.http) await http.close().catch(() => undefined);
    }
  }
}
