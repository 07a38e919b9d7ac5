import type { Json, RunContext } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { BuildContext, type Builder, type Model, parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { createRegistry } from '../factory/registry.js';
import type { LoadedManifest } from '../manifest/index.js';
import { type ConfigRules, buildConfigRules } from '../config/normalization-rules.js';
import { staticStreamModels } from '../streams/conditional-streams.js';
import type { DeclarativeStream } from '../streams/declarative-stream.js';
import type { ReadLimits } from '../streams/build-stream.js';
import type { PreparableSchemaLoader } from '../streams/schema-loaders/dynamic-schema-loader.js';
import {
  type GeneratedStream,
  resolveDynamicStreamModels,
  resolveDynamicStreamsOffline,
} from '../resolvers/dynamic-streams.js';

/**
 * A loaded manifest plus a run: builds the streams once, with the config, and answers spec,
 * check and discover. Reading is in read.ts.
 */
export class DeclarativeSource {
  private built: DeclarativeStream[] | undefined;
  private generated: GeneratedStream[] | undefined;
  private root: BuildContext | undefined;
  private rules: ConfigRules | undefined;
  private readonly registry: ReadonlyMap<string, Builder>;

  constructor(
    readonly loaded: LoadedManifest,
    readonly run: RunContext,
    private readonly limits: ReadLimits = {},
  ) {
    this.registry = createRegistry();
  }

  get manifest(): Model {
    return this.loaded.manifest;
  }

  /** The SPEC message body, as the CDK's Spec.generate_spec shapes it. */
  spec(): Json {
    return specOf(this.manifest);
  }

  streams(): DeclarativeStream[] {
    if (this.built) return this.built;
    const root = this.buildRoot();
    // ConditionalStreams entries are expanded (or dropped) for this config before anything is built.
    const built = staticStreamModels(this.manifest, this.run.config).map(({ model, path }) =>
      path.reduce<BuildContext>((ctx, field) => ctx.at(field), root).component<DeclarativeStream>(model, 'DeclarativeStream'),
    );
    if (definesDynamicStreams(this.manifest)) {
      // Config and parametrized resolvers need no HTTP; HttpComponentsResolver needs resolve() first.
      this.generated ??= resolveDynamicStreamsOffline(this.manifest, root, staticNames(this.manifest, this.run.config));
      const dynamicCtx = root.at('dynamic_streams');
      for (const stream of this.generated) {
        built.push(dynamicCtx.at(stream.index).at('stream_template').component<DeclarativeStream>(stream.model, 'DeclarativeStream'));
      }
    }
    this.built = built;
    return this.built;
  }

  /**
   * Does what needs HTTP before the streams can be listed: expands dynamic_streams (an
   * HttpComponentsResolver reads its API) and loads DynamicSchemaLoader schemas — of the named
   * streams, or of all streams when no names are given.
   */
  async resolve(streamNames?: string[]): Promise<void> {
    await this.dynamicStreams();
    for (const stream of this.streams()) {
      if (streamNames && !streamNames.includes(stream.name)) continue;
      await (stream.parts.schemaLoader as PreparableSchemaLoader).prepare?.();
    }
  }

  /** The streams made from dynamic_streams (reading the API of an HttpComponentsResolver once). */
  async dynamicStreams(): Promise<GeneratedStream[]> {
    if (!definesDynamicStreams(this.manifest)) return [];
    this.generated ??= await resolveDynamicStreamModels(this.manifest, this.buildRoot(), staticNames(this.manifest, this.run.config));
    return this.generated;
  }

  /** The spec's config_normalization_rules, built once. */
  configRules(): ConfigRules {
    this.rules ??= buildConfigRules(this.manifest.spec as Model | undefined, this.rootContext());
    return this.rules;
  }

  stream(name: string): DeclarativeStream | undefined {
    return this.streams().find((stream) => stream.name === name);
  }

  /** One root context for all streams, so they share the api_budget. */
  private buildRoot(): BuildContext {
    this.root ??= this.rootContext();
    return this.root;
  }

  private rootContext(): BuildContext {
    const shared: Record<string, unknown> = { limits: this.limits };
    const root = new BuildContext(this.run, this.registry, '', (node) => this.loaded.locate(node), shared);
    if (this.manifest.api_budget) shared.apiBudget = root.required(this.manifest, 'api_budget');
    shared.concurrency = concurrencyOf(this.manifest.concurrency_level as Model | undefined, this.run.config);
    return root;
  }

  /** DeclarativeSource-level check: CheckStream (read one record of each named stream). */
  async check(): Promise<{ status: 'SUCCEEDED' | 'FAILED'; message?: string }> {
    const checkModel = (this.manifest.check as Model | undefined) ?? { type: 'CheckStream', stream_names: [] };
    await this.dynamicStreams();
    const streams = this.streams();
    if (streams.length === 0) return { status: 'FAILED', message: 'The manifest defines no streams to check' };
    // CheckDynamicStream with use_check_availability false only needs streams to exist.
    if (checkModel.type === 'CheckDynamicStream' && checkModel.use_check_availability === false) return { status: 'SUCCEEDED' };
    const names = checkStreamNames(checkModel, this.run.config, streams);
    for (const name of names) {
      const stream = streams.find((s) => s.name === name);
      if (!stream) {
        throw new RuntimeError('MANIFEST_INVALID', `check names stream '${name}', which the manifest does not define`, {
          path: 'check.stream_names',
          help: `Expected one of ${streams.map((s) => s.name).join(', ')}`,
        });
      }
      try {
        for await (const event of stream.read(undefined)) {
          if (event.record) break;
        }
      } catch (error) {
        const message = error instanceof RuntimeError ? error.describe() : (error as Error).message;
        return { status: 'FAILED', message: `Stream ${name} is not available: ${message}` };
      }
    }
    return { status: 'SUCCEEDED' };
  }

  discover(): { streams: Json[] } {
    return {
      streams: this.streams().map((stream) => {
        const entry: Json = {
          name: stream.name,
          json_schema: stream.parts.schemaLoader.schema(),
          supported_sync_modes: stream.supportsIncremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
          is_resumable: stream.supportsIncremental,
          is_file_based: false,
        };
        if (stream.supportsIncremental) {
          entry.source_defined_cursor = true;
          entry.default_cursor_field = stream.cursorField;
        }
        if (stream.primaryKey.length > 0) entry.source_defined_primary_key = stream.primaryKey;
        return entry;
      }),
    };
  }
}

/**
 * ConcurrencyLevel: `default_concurrency` (an integer or a template over the config), capped by
 * `max_concurrency`. Without it, slices are read one at a time.
 */
function concurrencyOf(model: Model | undefined, config: Json): number {
  if (!model) return 1;
  const raw = model.default_concurrency;
  const value = typeof raw === 'string' ? new InterpolatedString(raw, parametersOf(model)).eval(config) : raw;
  const level = Number(value);
  if (!Number.isInteger(level) || level < 1) {
    throw new RuntimeError('MANIFEST_INVALID', `concurrency_level.default_concurrency must be a positive integer, got '${String(value)}'`, {
      path: 'concurrency_level.default_concurrency',
    });
  }
  const max = Number(model.max_concurrency ?? level);
  return Math.max(1, Math.min(level, Number.isInteger(max) && max > 0 ? max : level));
}

export function specOf(manifest: Model): Json {
  const spec = manifest.spec as Model | undefined;
  if (!spec) {
    throw new RuntimeError('MANIFEST_INVALID', "the manifest has no 'spec' (its connection_specification is what the user fills in)", {
      path: 'spec',
    });
  }
  const out: Json = { connectionSpecification: spec.connection_specification ?? {} };
  if (spec.documentation_url) out.documentationUrl = spec.documentation_url;
  if (spec.advanced_auth) out.advanced_auth = spec.advanced_auth;
  return out;
}

function checkStreamNames(check: Model, config: Json, streams: DeclarativeStream[]): string[] {
  const fromConfig = config.__check_stream_names;
  if (Array.isArray(fromConfig) && fromConfig.length > 0) return fromConfig.map(String);
  if (check.type === 'CheckDynamicStream') {
    // CheckDynamicStream: the first stream_count streams (static ones first, then generated).
    const count = Number(check.stream_count ?? 1);
    return streams.slice(0, Number.isInteger(count) && count > 0 ? count : 0).map((s) => s.name);
  }
  const names = check.stream_names;
  return Array.isArray(names) && names.length > 0 ? names.map(String) : streams.slice(0, 1).map((s) => s.name);
}

function definesDynamicStreams(manifest: Model): boolean {
  return Array.isArray(manifest.dynamic_streams) && manifest.dynamic_streams.length > 0;
}

function staticNames(manifest: Model, config: Json): string[] {
  return staticStreamModels(manifest, config)
    .map(({ model }) => model.name)
    .filter((name): name is string => typeof name === 'string');
}
