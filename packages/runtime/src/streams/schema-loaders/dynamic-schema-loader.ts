import type { Json } from '../../context.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import type { RecordFilter } from '../../extractors/record-filter.js';
import type { Builder, BuildContext, Model } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import { InterpolatedBoolean, InterpolatedString } from '../../interpolation/index.js';
import { isPlainObject } from '../../manifest/path.js';
import { EMPTY_SLICE, sliceView } from '../../partitioning/stream-slice.js';
import { dpathGet } from '../../resolvers/dpath.js';
import type { RecordTransformation } from '../../transformations/transformation.js';
import type { DeclarativeStream } from '../declarative-stream.js';
import type { SchemaLoader } from './schema-loader.js';
import { stringifyJson } from '../../protocol/stringify-json.js';

/** A schema loader that must read an API before `schema()` can answer (DynamicSchemaLoader). */
export interface PreparableSchemaLoader extends SchemaLoader {
  prepare?(): Promise<void>;
}

const AIRBYTE_DATA_TYPES: Record<string, Json> = {
  string: { type: ['null', 'string'] },
  boolean: { type: ['null', 'boolean'] },
  date: { type: ['null', 'string'], format: 'date' },
  timestamp_without_timezone: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
  timestamp_with_timezone: { type: ['null', 'string'], format: 'date-time' },
  time_without_timezone: { type: ['null', 'string'], format: 'time', airbyte_type: 'time_without_timezone' },
  time_with_timezone: { type: ['null', 'string'], format: 'time', airbyte_type: 'time_with_timezone' },
  integer: { type: ['null', 'integer'] },
  number: { type: ['null', 'number'] },
  array: { type: ['null', 'array'] },
  object: { type: ['null', 'object'] },
};

interface TypesMap {
  targetType: unknown;
  currentType: unknown;
  condition: InterpolatedBoolean;
}

/**
 * DynamicSchemaLoader: reads the first record of its retriever (one request with an empty slice,
 * as the CDK), takes the field list at schema_pointer, and makes one property per field: the name
 * at key_pointer, the type at type_pointer (default "string") after types_mapping, as Airbyte types.
 * schema_filter then schema_transformations apply to the properties.
 */
export class DynamicSchemaLoader implements PreparableSchemaLoader {
  private loaded: Json | undefined;

  constructor(
    private readonly stream: DeclarativeStream,
    private readonly ctx: BuildContext,
    private readonly parts: {
      schemaPointer: InterpolatedString[];
      keyPointer: InterpolatedString[];
      typePointer: InterpolatedString[] | undefined;
      typesMapping: TypesMap[];
      filter: RecordFilter | undefined;
      transformations: RecordTransformation[];
    },
  ) {}

  async prepare(): Promise<void> {
    if (this.loaded) return;
    let first: Json | undefined;
    for await (const record of this.stream.parts.retriever.read(EMPTY_SLICE)) {
      first = record;
      break;
    }
    const raw = first ? this.extract(first, this.parts.schemaPointer, undefined) : [];
    let properties: Json = {};
    for (const definition of Array.isArray(raw) ? raw : []) {
      const key = this.extract(definition, this.parts.keyPointer, undefined);
      if (typeof key !== 'string') {
        throw this.error(`Expected key to be a string. Got ${stringifyJson(key) ?? 'nothing'}`);
      }
      properties[key] = this.typeOf(definition);
    }
    if (this.parts.filter) {
      const kept: Json = {};
      const context = { stream_slice: sliceView(EMPTY_SLICE) };
      for (const [key, value] of Object.entries(properties)) {
        if (this.parts.filter.matches({ [key]: value }, context)) kept[key] = value;
      }
      properties = kept;
    }
    for (const transformation of this.parts.transformations) transformation.transform(properties, { stream_slice: sliceView(EMPTY_SLICE) });
    this.loaded = {
      $schema: 'https://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties,
    };
  }

  schema(): Json {
    if (!this.loaded) {
      throw new RuntimeError('INTERNAL', 'the DynamicSchemaLoader schema was asked for before it was loaded (await source.resolve() first)', {
        path: this.ctx.path,
      });
    }
    return this.loaded;
  }

  private typeOf(definition: unknown): Json {
    const raw = this.parts.typePointer ? this.extract(definition, this.parts.typePointer, 'string') : 'string';
    const mapped = this.replaceType(raw, definition);
    if (Array.isArray(mapped) && mapped.length === 2 && mapped.every((item) => typeof item === 'string')) {
      return { oneOf: [this.airbyteType(mapped[0] as string), this.airbyteType(mapped[1] as string)] };
    }
    if (typeof mapped === 'string') return this.airbyteType(mapped);
    if (isPlainObject(mapped) && typeof mapped.field_type === 'string') return this.complexType(mapped);
    throw this.error(`Invalid data type. Available string or two items list of string. Got ${stringifyJson(mapped)}.`);
  }

  private complexType(complex: Json): Json {
    const fieldType = this.airbyteType(String(complex.field_type));
    const items = complex.items;
    if (items === undefined || items === null || items === '') return fieldType;
    if (complex.field_type !== 'array') throw this.error("'items' can only be used when 'field_type' is an array.");
    fieldType.items = typeof items === 'string' ? this.airbyteType(items) : this.complexType(items as Json);
    return fieldType;
  }

  private replaceType(fieldType: unknown, rawSchema: unknown): unknown {
    for (const map of this.parts.typesMapping) {
      if (pyEquals(fieldType, map.currentType) && map.condition.eval(this.ctx.config, { raw_schema: rawSchema })) return map.targetType;
    }
    return fieldType;
  }

  private airbyteType(fieldType: string): Json {
    const type = AIRBYTE_DATA_TYPES[fieldType];
    if (!type) throw this.error(`Invalid Airbyte data type: ${fieldType}`);
    return structuredClone(type);
  }

  private extract(body: unknown, pointer: InterpolatedString[], fallback: unknown): unknown {
    if (pointer.length === 0) return body;
    const path = pointer.map((segment) => segment.eval(this.ctx.config));
    return dpathGet(body, path, fallback);
  }

  private error(message: string): RuntimeError {
    return new RuntimeError('MANIFEST_INVALID', message, { path: this.ctx.path, failureType: 'system_error' });
  }
}

function pyEquals(a: unknown, b: unknown): boolean {
  return stringifyJson(a) === stringifyJson(b);
}

export const buildDynamicSchemaLoader: Builder<SchemaLoader> = (model, ctx) => {
  const parameters = parametersOf(model);
  const identifier = (model.schema_type_identifier as Model | undefined) ?? {};
  const idParameters = parametersOf(identifier);
  const pointer = (value: unknown) => ((value as unknown[] | undefined) ?? []).map((segment) => new InterpolatedString(String(segment), idParameters));
  const typePointer = identifier.type_pointer as unknown[] | undefined;
  const typesMapping = ((identifier.types_mapping as Model[] | undefined) ?? []).map((map) => ({
    targetType: map.target_type,
    currentType: map.current_type,
    condition: new InterpolatedBoolean(typeof map.condition === 'string' ? map.condition : 'True', {}),
  }));
  // The retriever is read like a stream of its own (its partition router is not used: one request).
  const streamModel: Model = {
    type: 'DeclarativeStream',
    name: String(parameters.name ?? ''),
    retriever: model.retriever,
    schema_loader: { type: 'InlineSchemaLoader', schema: {} },
    $parameters: parameters,
  };
  const stream = ctx.component<DeclarativeStream>(streamModel);
  return new DynamicSchemaLoader(stream, ctx, {
    schemaPointer: pointer(identifier.schema_pointer),
    keyPointer: pointer(identifier.key_pointer),
    typePointer: typePointer && typePointer.length > 0 ? pointer(typePointer) : undefined,
    typesMapping,
    filter: ctx.optional<RecordFilter>(model, 'schema_filter', 'RecordFilter'),
    transformations: ctx.list<RecordTransformation>(model, 'schema_transformations'),
  });
};
