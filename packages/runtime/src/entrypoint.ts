import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from './config/validate-config.js';
import { type Json, type RunContext, realSleep } from './context.js';
import { RuntimeError, isRuntimeError } from './errors/runtime-error.js';
import { createLogger } from './logging/logger.js';
import { SecretMasker, collectSecrets } from './logging/mask.js';
import { type LoadedManifest, loadManifestFile, prepareManifest } from './manifest/index.js';
import { errorTraceMessage, type AirbyteMessage } from './protocol/messages.js';
import { MessageWriter, type OutputStream } from './protocol/writer.js';
import { type HttpClient, UndiciHttpClient } from './requesters/http-client.js';
import { DeclarativeSource, specOf } from './source/declarative-source.js';
import { describeError, parseCatalog, parseState, readSource } from './source/read.js';
import { mayHoldUnsafeInteger, parseJsonLossless } from './decoders/lossless-json.js';

/** Where an image bakes its manifest; overridable for tests and other layouts. */
export const DEFAULT_MANIFEST_PATH = '/airbyte/integration_code/manifest.yaml';
export const INJECTED_MANIFEST_KEY = '__injected_declarative_manifest';

export interface EntrypointIO {
  stdout: OutputStream;
  stderr?: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  http?: HttpClient;
}

const USAGE = `usage: source-declarative-manifest <spec|check|discover|read> [--manifest-path M] [--config C] [--catalog K] [--state S] [--debug]`;

/**
 * The Airbyte source entrypoint: argv in, protocol messages out, exit code back. Every failure
 * becomes a TRACE error message a user can act on; nothing but protocol messages goes to stdout.
 */
export async function runEntrypoint(argv: string[], io: EntrypointIO): Promise<number> {
  const masker = new SecretMasker();
  const writer = new MessageWriter(io.stdout, masker);
  const clock = io.clock ?? Date.now;
  const emit = (message: AirbyteMessage) => writer.write(message);
  let http: HttpClient | undefined;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stderr?.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseCommand(argv);
    const logger = createLogger(writer, masker, args.debug ? 'debug' : 'info');
    const env = io.env ?? {};
    const config = args.config ? readConfig(args.config) : undefined;
    if (args.command !== 'spec' && !config) throw usage(`'${args.command}' needs --config`);

    const loaded = loadTheManifest(args.manifestPath, config, env);
    for (const warning of loaded.warnings) {
      logger.warn(`${warning.message}${warning.path ? ` (at ${warning.path}${warning.line ? `, line ${warning.line}` : ''})` : ''}`);
    }
    if (args.command === 'spec') {
      await emit({ type: 'SPEC', spec: specOf(loaded.manifest) });
      await writer.end();
      return 0;
    }

    const runConfig = config as Json;
    const spec = specOf(loaded.manifest);
    collectSecrets(spec.connectionSpecification, runConfig, masker);
    http = io.http ?? new UndiciHttpClient();
    const run: RunContext = {
      config: runConfig,
      logger,
      http,
      masker,
      clock,
      sleep: io.sleep ?? realSleep,
      manifestDirectory: loaded.directory,
      emit: (message) => void writer.write(message),
    };

    const source = new DeclarativeSource(loaded, run);
    const prepare = () => {
      const rules = source.configRules();
      if (rules.migrate(runConfig)) {
        // As the CDK: a migrated config is saved back and announced to the platform.
        if (args.config) writeFileSync(args.config, JSON.stringify(runConfig));
        void emit({ type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: clock(), connectorConfig: { config: runConfig } } });
      }
      validateConfig(runConfig, spec.connectionSpecification as Json);
      rules.transform(runConfig);
      rules.validate(runConfig);
    };

    if (args.command === 'check') {
      try {
        prepare();
        const status = await source.check();
        await emit({ type: 'CONNECTION_STATUS', connectionStatus: status });
      } catch (error) {
        const described = describeError(error);
        if (described.failureType !== 'config_error') throw error;
        await emit({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: described.message } });
      }
      await writer.end();
      return 0;
    }

    prepare();
    if (args.command === 'discover') {
      await source.resolve();
      await emit({ type: 'CATALOG', catalog: source.discover() });
      await writer.end();
      return 0;
    }

    if (!args.catalog) throw usage("'read' needs --catalog");
    const catalog = parseCatalog(readJsonFile(args.catalog, 'catalog', 'CATALOG_INVALID'), `catalog file '${args.catalog}'`);
    run.configuredCatalog = catalog;
    const states = args.state
      ? parseState(readJsonFile(args.state, 'state', 'STATE_INVALID'), `state file '${args.state}'`)
      : new Map<string, Json>();
    await source.resolve(catalog.streams.map((configured) => configured.stream.name));
    const { failed } = await readSource(source, catalog, states, emit, run);
    if (failed.length > 0) {
      await emit(
        errorTraceMessage(
          `During the sync, the following streams did not sync successfully: ${failed.join(', ')}`,
          'config_error',
          clock(),
        ),
      );
      await writer.end();
      return 1;
    }
    await writer.end();
    return 0;
  } catch (error) {
    const described = describeError(error);
    if (isRuntimeError(error) && error.code === 'CLI_USAGE') io.stderr?.write(`${USAGE}\n`);
    await emit(
      errorTraceMessage(described.message, described.failureType, clock(), {
        internalMessage: described.internal,
        stackTrace: described.stack,
      }),
    );
    await writer.end();
    return 1;
  } finally {
    if (http && !io.http) await http.close();
  }
}

interface ParsedArgs {
  command: 'spec' | 'check' | 'discover' | 'read';
  manifestPath?: string;
  config?: string;
  catalog?: string;
  state?: string;
  debug: boolean;
}

function parseCommand(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'manifest-path': { type: 'string' },
        config: { type: 'string' },
        catalog: { type: 'string' },
        state: { type: 'string' },
        debug: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const command = parsed.positionals[0];
  if (command !== 'spec' && command !== 'check' && command !== 'discover' && command !== 'read') {
    throw usage(command ? `unknown command '${command}'` : 'missing command');
  }
  return {
    command,
    manifestPath: parsed.values['manifest-path'],
    config: parsed.values.config,
    catalog: parsed.values.catalog,
    state: parsed.values.state,
    debug: Boolean(parsed.values.debug),
  };
}

function readConfig(path: string): Json {
  const config = readJsonFile(path, 'config', 'CONFIG_FILE');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new RuntimeError('CONFIG_FILE', `the config file '${path}' must hold a JSON object`);
  }
  return config as Json;
}

function usage(message: string): RuntimeError {
  return new RuntimeError('CLI_USAGE', message, { help: USAGE });
}

function readJsonFile(path: string, what: string, code: 'CONFIG_FILE' | 'CATALOG_INVALID' | 'STATE_INVALID'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RuntimeError(code, `cannot read the ${what} file '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    // A cursor value in the state may be an integer beyond 2^53 (a 64-bit id): it must come back
    // exactly as it was written. Config and catalog keep JSON.parse (config validation wants numbers).
    if (code === 'STATE_INVALID' && mayHoldUnsafeInteger(text)) return parseJsonLossless(text);
    return JSON.parse(text);
  } catch (error) {
    throw new RuntimeError(code, `the ${what} file '${path}' is not valid JSON: ${(error as Error).message}`);
  }
}

function loadTheManifest(manifestPath: string | undefined, config: Json | undefined, env: Record<string, string | undefined>): LoadedManifest {
  if (manifestPath) return loadManifestFile(resolve(manifestPath));
  const injected = config?.[INJECTED_MANIFEST_KEY];
  if (injected !== undefined) {
    if (typeof injected !== 'object' || injected === null) {
      throw new RuntimeError('MANIFEST_INVALID', `config.${INJECTED_MANIFEST_KEY} must be a manifest object`);
    }
    return prepareManifest(injected);
  }
  const baked = env.MANIFEST_PATH ?? DEFAULT_MANIFEST_PATH;
  try {
    readFileSync(baked);
  } catch {
    throw new RuntimeError('MANIFEST_NOT_FOUND', `no manifest: pass --manifest-path, put one in the config's ${INJECTED_MANIFEST_KEY}, or bake it at ${baked}`);
  }
  const loaded = loadManifestFile(baked);
  return { ...loaded, directory: loaded.directory ?? dirname(baked) };
}
