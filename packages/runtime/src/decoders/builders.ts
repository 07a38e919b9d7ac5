import { type BuildContext, type Builder, type Model } from '../factory/build-context.js';
import { CsvDecoder } from './csv.js';
import type { Decoder } from './decoder.js';
import { GzipDecoder } from './gzip.js';
import { IterableDecoder, JsonDecoder, JsonItemsDecoder, JsonlDecoder } from './json.js';
import { XmlDecoder } from './xml.js';
import { ZipfileDecoder } from './zip.js';

function guard<T>(ctx: BuildContext, model: Model, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof Error && error.name === 'Error') throw ctx.error('MANIFEST_INVALID', error.message, model);
    throw error;
  }
}

function optionalString(ctx: BuildContext, model: Model, field: string): string | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ctx.error('MANIFEST_INVALID', `'${field}' must be a string`, model);
  return value;
}

function csvDecoder(model: Model, ctx: BuildContext): CsvDecoder {
  const none = model.set_values_to_none;
  if (none !== undefined && none !== null && (!Array.isArray(none) || none.some((v) => typeof v !== 'string'))) {
    throw ctx.error('MANIFEST_INVALID', "'set_values_to_none' must be a list of strings", model);
  }
  return guard(
    ctx,
    model,
    () =>
      new CsvDecoder({
        encoding: optionalString(ctx, model, 'encoding'),
        delimiter: optionalString(ctx, model, 'delimiter'),
        setValuesToNone: (none as string[] | null | undefined) ?? undefined,
      }),
  );
}

function jsonItemsDecoder(model: Model, ctx: BuildContext): JsonItemsDecoder {
  const itemsPath = optionalString(ctx, model, 'items_path');
  if (!itemsPath) throw ctx.error('MANIFEST_INVALID', "JsonItemsDecoder needs a non-empty 'items_path'", model);
  return guard(ctx, model, () => new JsonItemsDecoder(itemsPath, optionalString(ctx, model, 'encoding') ?? 'utf-8'));
}

/** Decoders that may sit inside GzipDecoder / ZipfileDecoder (the CDK's parsers). */
const PARSER_TYPES = ['CsvDecoder', 'GzipDecoder', 'JsonDecoder', 'JsonItemsDecoder', 'JsonlDecoder'];

/** Builds the `decoder` of a GzipDecoder / ZipfileDecoder the way the CDK builds a Parser. */
function innerParser(model: Model, ctx: BuildContext): Decoder {
  const inner = model.decoder;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw ctx.error('MANIFEST_INVALID', `${String(model.type)} needs a 'decoder'`, model);
  }
  const here = ctx.at('decoder');
  const innerModel = inner as Model;
  const type = innerModel.type;
  if (typeof type !== 'string' || !PARSER_TYPES.includes(type)) {
    throw here.error(
      'MANIFEST_INVALID',
      `decoder type '${String(type)}' cannot be nested in ${String(model.type)}; use one of ${PARSER_TYPES.join(', ')}`,
      innerModel,
    );
  }
  switch (type) {
    case 'JsonDecoder':
      return new JsonDecoder({ emptyAsObject: false });
    case 'GzipDecoder':
      return new GzipDecoder(innerParser(innerModel, here), false);
    default:
      return here.component<Decoder>(innerModel);
  }
}

export const decoderBuilders: Record<string, Builder> = {
  JsonDecoder: () => new JsonDecoder(),
  JsonlDecoder: () => new JsonlDecoder(),
  JsonItemsDecoder: jsonItemsDecoder,
  CsvDecoder: csvDecoder,
  XmlDecoder: () => new XmlDecoder(),
  IterableDecoder: () => new IterableDecoder(),
  GzipDecoder: (model, ctx) => new GzipDecoder(innerParser(model, ctx)),
  ZipfileDecoder: (model, ctx) => new ZipfileDecoder(innerParser(model, ctx)),
};
