import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Json } from '../../context.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import type { Builder } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import { InterpolatedString } from '../../interpolation/index.js';

export interface SchemaLoader {
  /** The stream's JSON schema (computed once; cached by the stream). */
  schema(): Json;
}

export const buildInlineSchemaLoader: Builder<SchemaLoader> = (model) => {
  const schema = (model.schema as Json | undefined) ?? {};
  return { schema: () => schema };
};

/**
 * JsonFileSchemaLoader: a schema file relative to the manifest's directory. With no file_path,
 * the CDK looks for `<name>.json`; a missing default file gives the empty schema, as there.
 */
export const buildJsonFileSchemaLoader: Builder<SchemaLoader> = (model, ctx) => {
  const parameters = parametersOf(model);
  const explicit = typeof model.file_path === 'string' && model.file_path !== '';
  const template = new InterpolatedString(explicit ? String(model.file_path) : "./{{ parameters['name'] }}.json", parameters);
  let cached: Json | undefined;
  return {
    schema() {
      if (cached) return cached;
      const relative = String(template.eval(ctx.config));
      const path = isAbsolute(relative) ? relative : resolve(ctx.run.manifestDirectory ?? process.cwd(), relative);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        if (!explicit) return (cached = {});
        throw new RuntimeError('MANIFEST_NOT_FOUND', `schema file '${relative}' not found (looked in ${path})`, {
          path: ctx.path,
        });
      }
      try {
        cached = JSON.parse(text) as Json;
      } catch (error) {
        throw new RuntimeError('MANIFEST_INVALID', `schema file '${relative}' is not valid JSON: ${(error as Error).message}`, {
          path: ctx.path,
        });
      }
      return cached;
    },
  };
};

/** CompositeSchemaLoader: a list of loaders whose properties are merged (first wins per key). */
export function compositeSchemaLoader(loaders: SchemaLoader[]): SchemaLoader {
  return {
    schema() {
      const properties: Json = {};
      let base: Json = {};
      for (const loader of loaders) {
        const schema = loader.schema();
        if (Object.keys(base).length === 0) base = schema;
        for (const [key, value] of Object.entries((schema.properties as Json | undefined) ?? {})) {
          if (!(key in properties)) properties[key] = value;
        }
      }
      return { ...base, properties };
    },
  };
}

export const schemaLoaderBuilders: Record<string, Builder> = {
  InlineSchemaLoader: buildInlineSchemaLoader,
  JsonFileSchemaLoader: buildJsonFileSchemaLoader,
};
