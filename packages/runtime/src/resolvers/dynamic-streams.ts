import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Model } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { ComponentTransformer, parametersOf } from '../manifest/parameters.js';
import { isPlainObject } from '../manifest/path.js';
import type { DeclarativeStream } from '../streams/declarative-stream.js';
import { applyMappings, componentMappingsOf, type MappingOptions } from './components-mapping.js';
import { dpathGet } from './dpath.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/** One stream made from a dynamic_streams definition. */
export interface GeneratedStream {
  /** The stream model, types and parameters propagated as for a static stream. */
  model: Model;
  /** The definition's name, or `dynamic_stream_<index>` (the CDK's dynamic_stream_name). */
  dynamicStreamName: string;
  /** The definition's index in dynamic_streams. */
  index: number;
  /** Where the definition is, for errors: `dynamic_streams[0]`. */
  path: string;
}

const RESOLVERS = ['HttpComponentsResolver', 'ConfigComponentsResolver', 'ParametrizedComponentsResolver'];

interface Filled {
  values: Json;
  extra: Json;
}

/** True when every definition resolves without HTTP (config or parametrized values). */
export function resolvesOffline(manifest: Model): boolean {
  return definitionsOf(manifest).every((def) => (def.components_resolver as Model | undefined)?.type !== 'HttpComponentsResolver');
}

function definitionsOf(manifest: Model): Model[] {
  const defs = manifest.dynamic_streams;
  return Array.isArray(defs) ? (defs as Model[]) : [];
}

/** Expands dynamic_streams without HTTP; throws if one needs HttpComponentsResolver. */
export function resolveDynamicStreamsOffline(manifest: Model, ctx: BuildContext, staticNames: string[] = []): GeneratedStream[] {
  const collector = new Collector(staticNames);
  definitionsOf(manifest).forEach((def, index) => {
    const { resolver, path } = checkDefinition(def, index);
    if (resolver.type === 'HttpComponentsResolver') {
      throw new RuntimeError('INTERNAL', 'dynamic streams from HttpComponentsResolver need `await source.resolve()` before the streams are built', { path });
    }
    for (const filled of offlineValues(resolver, ctx.config)) collector.add(generate(def, index, resolver, filled, ctx.config));
  });
  return collector.streams;
}

/** Expands dynamic_streams, reading HttpComponentsResolver retrievers through `ctx`. */
export async function resolveDynamicStreamModels(manifest: Model, ctx: BuildContext, staticNames: string[] = []): Promise<GeneratedStream[]> {
  const collector = new Collector(staticNames);
  const defs = definitionsOf(manifest);
  for (const [index, def] of defs.entries()) {
    const { resolver } = checkDefinition(def, index);
    if (resolver.type === 'HttpComponentsResolver') {
      const stream = resolverStream(def, resolver, ctx.at('dynamic_streams').at(index).at('components_resolver'));
      for await (const event of stream.read(undefined)) {
        if (!event.record) continue;
        const filled = { values: event.record, extra: { stream_slice: sliceOf(event.slice) } };
        collector.add(generate(def, index, resolver, filled, ctx.config));
      }
    } else {
      for (const filled of offlineValues(resolver, ctx.config)) collector.add(generate(def, index, resolver, filled, ctx.config));
    }
  }
  return collector.streams;
}

function sliceOf(slice: { partition: Json; cursorSlice: Json }): Json {
  return { ...slice.partition, ...slice.cursorSlice };
}

function checkDefinition(def: Model, index: number): { resolver: Model; path: string } {
  const path = `dynamic_streams[${index}]`;
  const resolver = def.components_resolver as Model | undefined;
  if (!resolver || !isPlainObject(resolver)) {
    throw new RuntimeError('MANIFEST_INVALID', `Missing 'components_resolver' in dynamic definition`, { path });
  }
  if (!RESOLVERS.includes(String(resolver.type))) {
    throw new RuntimeError('MANIFEST_INVALID', `Invalid components resolver type '${String(resolver.type)}'. Expected one of ${RESOLVERS.join(', ')}.`, {
      path: `${path}.components_resolver`,
    });
  }
  return { resolver, path };
}

/** The HttpComponentsResolver's retriever, built as a stream of its own (partition router included). */
function resolverStream(def: Model, resolver: Model, ctx: BuildContext): DeclarativeStream {
  const model: Model = {
    type: 'DeclarativeStream',
    name: typeof def.name === 'string' ? def.name : '',
    retriever: resolver.retriever,
    schema_loader: { type: 'InlineSchemaLoader', schema: {} },
    $parameters: parametersOf(resolver),
  };
  return ctx.component<DeclarativeStream>(model);
}

function* offlineValues(resolver: Model, config: Json): Iterable<Filled> {
  if (resolver.type === 'ParametrizedComponentsResolver') {
    const definition = resolver.stream_parameters as Model | undefined;
    const list = (definition?.list_of_parameters_for_stream as Json[] | undefined) ?? [];
    for (const values of list) yield { values, extra: {} };
    return;
  }
  // ConfigComponentsResolver: every combination of the configs each stream_config points at.
  const raw = resolver.stream_config ?? resolver.stream_configs;
  const streamConfigs = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Model[];
  const parameters = parametersOf(resolver);
  const indexed: Array<Array<[number, unknown]>> = streamConfigs.map((streamConfig) => {
    const pointer = ((streamConfig.configs_pointer as unknown[] | undefined) ?? []).map((segment) =>
      typeof segment === 'string' ? new InterpolatedString(segment, parameters).eval(config) : segment,
    );
    const found = dpathGet(config, pointer, []);
    const items: unknown[] = Array.isArray(found) ? [...found] : [found];
    const defaults = streamConfig.default_values;
    if (Array.isArray(defaults) && defaults.length > 0) items.push(...defaults);
    return items.map((item, i) => [i, item] as [number, unknown]);
  });
  for (const combo of product(indexed)) {
    const values: Json = {};
    combo.forEach(([elementIndex, element], configIndex) => {
      if (isPlainObject(element)) Object.assign(values, element);
      else if (!(`source_config_${configIndex}` in values)) values[`source_config_${configIndex}`] = [elementIndex, element];
    });
    yield { values, extra: {} };
  }
}

function* product<T>(lists: T[][]): Iterable<T[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists;
  for (const item of first as T[]) for (const tail of product(rest)) yield [item, ...tail];
}

function optionsFor(resolver: Model): MappingOptions {
  switch (resolver.type) {
    case 'ConfigComponentsResolver':
      return { yaml: 'config', useCondition: true, useCreateOrUpdate: true };
    case 'ParametrizedComponentsResolver':
      return { yaml: 'parametrized', useCondition: false, useCreateOrUpdate: true };
    default:
      return { yaml: 'none', useCondition: false, useCreateOrUpdate: false };
  }
}

function generate(def: Model, index: number, resolver: Model, filled: Filled, config: Json): GeneratedStream & { resolverType: string } {
  const template = def.stream_template as Json;
  const path = `dynamic_streams[${index}]`;
  const mappings = componentMappingsOf(resolver, `${path}.components_resolver`);
  const updated = applyMappings(template, mappings, resolver, config, { ...filled.extra, components_values: filled.values }, optionsFor(resolver));
  // Default true: connectors relied on parent parameters winning before the flag existed.
  const useParentParameters = def.use_parent_parameters === undefined || def.use_parent_parameters === null ? true : Boolean(def.use_parent_parameters);
  const model: Model = { ...new ComponentTransformer().propagate('', updated, {}, useParentParameters) };
  if (!('type' in model)) model.type = 'DeclarativeStream';
  return {
    model,
    dynamicStreamName: typeof def.name === 'string' ? def.name : `dynamic_stream_${index}`,
    index,
    path,
    resolverType: String(resolver.type),
  };
}

class Collector {
  readonly streams: GeneratedStream[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly staticNames: string[]) {}

  add(stream: GeneratedStream & { resolverType: string }): void {
    const { model, resolverType, ...rest } = stream;
    const name = model.name;
    if (typeof name !== 'string') {
      throw new RuntimeError('MANIFEST_INVALID', `Expected the name of a generated stream to be a string, got ${stringifyJson(name) ?? 'nothing'}`, {
        path: `${rest.path}.stream_template.name`,
        help: 'Map a value onto ["name"] in components_mapping',
      });
    }
    const fromConfig = resolverType === 'ConfigComponentsResolver';
    if (this.seen.has(name) || this.staticNames.includes(name)) {
      const clash = this.seen.has(name) ? 'Dynamic streams list contains a duplicate name' : 'A dynamic stream has the name of a static stream';
      throw new RuntimeError(fromConfig ? 'CONFIG_INVALID' : 'MANIFEST_INVALID', `${clash}: ${name}. ${fromConfig ? 'Please check your configuration.' : 'Each stream needs a unique name.'}`, {
        path: rest.path,
        failureType: fromConfig ? 'config_error' : 'system_error',
      });
    }
    this.seen.add(name);
    this.streams.push({ model, ...rest });
  }
}

/**
 * The CDK's full_resolve: the manifest with every generated stream appended to `streams`, each
 * carrying `dynamic_stream_name` (null on static streams). `maxStreams` caps the streams kept per
 * definition (the Builder's limit). The `streams` entries are kept as they are, so a
 * ConditionalStreams entry stays one unexpanded entry (marked null itself, its inner streams not
 * marked) whatever its condition: the CDK's full_resolve_manifest does not evaluate conditions.
 */
export function fullyResolvedManifest(manifest: Model, generated: GeneratedStream[], maxStreams?: number): Model {
  const streams: Model[] = ((manifest.streams as Model[] | undefined) ?? []).map((stream) => ({ ...stream, dynamic_stream_name: null }));
  const byDefinition = new Map<string, Model[]>();
  for (const stream of generated) {
    const list = byDefinition.get(stream.dynamicStreamName) ?? [];
    if (maxStreams === undefined || list.length < maxStreams) list.push({ ...stream.model, dynamic_stream_name: stream.dynamicStreamName });
    byDefinition.set(stream.dynamicStreamName, list);
  }
  for (const list of byDefinition.values()) streams.push(...list);
  return { ...manifest, streams };
}
