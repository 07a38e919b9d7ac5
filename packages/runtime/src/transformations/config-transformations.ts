import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { type BuildContext, type Builder, type Model, parametersOf } from '../factory/build-context.js';
import { evalTemplate, interpolateMapping } from '../interpolation/index.js';
import { PathNotFound, remove, setPath } from '../dpath/dpath.js';
import { Condition, Template, toRecordValue, type ValueType } from './templates.js';

/**
 * Config transformations (the spec's `config_normalization_rules.config_migrations`): each changes
 * the user's config in place before the sync.
 */
export interface ConfigTransformation {
  transform(config: Json): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * ConfigRemapField: when the value at `field_path` (templates evaluated with the config; no
 * wildcards) is a key of `map`, it is replaced by the mapped value. `map` is an object whose keys
 * and string values are templates, or a template that renders an object; it is evaluated with the
 * config the component was built with (or, when that is empty, the config being transformed).
 */
export class ConfigRemapField implements ConfigTransformation {
  constructor(
    private readonly map: Record<string, unknown> | string,
    private readonly fieldPath: Template[],
    private readonly buildConfig: Json,
  ) {}

  transform(config: Json): void {
    const path = this.fieldPath.map((segment) => segment.eval(config));
    let current: unknown = config;
    for (const component of path.slice(0, -1)) {
      if (!isObject(current) || typeof component !== 'string' || !Object.hasOwn(current, component)) return;
      current = current[component];
      if (!isObject(current)) return;
    }
    const field = path[path.length - 1];
    if (!isObject(current) || typeof field !== 'string' || !Object.hasOwn(current, field)) return;
    const mapping = this.mapping(Object.keys(this.buildConfig).length > 0 ? this.buildConfig : config);
    const value = current[field];
    if (typeof value === 'string' && Object.hasOwn(mapping, value)) current[field] = mapping[value];
  }

  private mapping(config: Json): Record<string, unknown> {
    if (typeof this.map !== 'string') return interpolateMapping(this.map, {}, config);
    const rendered = evalTemplate(this.map, { config, parameters: {} });
    if (!isObject(rendered)) {
      throw new RuntimeError('CONFIG_INVALID', `ConfigRemapField's map ${JSON.stringify(this.map)} did not render an object`);
    }
    return rendered;
  }
}

export interface ConfigAddedField {
  path: string[];
  value: Template;
  valueType?: ValueType | undefined;
}

/**
 * ConfigAddFields: like AddFields on the config (the value template sees `config`; the condition
 * sees `config`, `value` and `path`).
 */
export class ConfigAddFields implements ConfigTransformation {
  constructor(
    private readonly fields: ConfigAddedField[],
    private readonly condition: Condition,
  ) {}

  transform(config: Json): void {
    for (const field of this.fields) {
      const value = toRecordValue(field.value.evalAs(config, {}, field.valueType));
      if (!this.condition.isEmpty && !this.condition.eval(config, { value, path: field.path })) continue;
      try {
        setPath(config, field.path, value);
      } catch (error) {
        if (error instanceof PathNotFound) {
          throw new RuntimeError('CONFIG_INVALID', `ConfigAddFields cannot add ${JSON.stringify(field.path)}: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
    }
  }
}

/** ConfigRemoveFields: when the condition (with `config`) is empty or holds, removes each pointer. */
export class ConfigRemoveFields implements ConfigTransformation {
  constructor(
    private readonly pointers: string[][],
    private readonly condition: Condition,
  ) {}

  transform(config: Json): void {
    if (!this.condition.isEmpty && !this.condition.eval(config)) return;
    for (const pointer of this.pointers) remove(config, pointer);
  }
}

function stringList(ctx: BuildContext, model: Model, field: string): string[] {
  const value = model[field];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw ctx.error('MANIFEST_INVALID', `'${field}' must be a list of strings`, model);
  }
  return value as string[];
}

function conditionOf(ctx: BuildContext, model: Model): Condition {
  const condition = model.condition ?? '';
  if (typeof condition !== 'string') throw ctx.error('MANIFEST_INVALID', "'condition' must be a string", model);
  return new Condition(condition, {});
}

const VALUE_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean'];

export const configTransformationBuilders: Record<string, Builder> = {
  ConfigRemapField: (model, ctx) => {
    const map = model.map;
    if (typeof map !== 'string' && !isObject(map)) throw ctx.error('MANIFEST_INVALID', "'map' must be an object or a template", model);
    const path = stringList(ctx, model, 'field_path');
    if (path.length === 0) throw ctx.error('MANIFEST_INVALID', "'field_path' cannot be empty", model);
    return new ConfigRemapField(map, path.map((segment) => new Template(segment, {})), ctx.config);
  },
  ConfigAddFields: (model, ctx) => {
    if (!Array.isArray(model.fields)) throw ctx.error('MANIFEST_INVALID', "'fields' must be a list", model);
    const here = ctx.at('fields');
    const fields = model.fields.map((item, index): ConfigAddedField => {
      const fieldCtx = here.at(index);
      if (!isObject(item)) throw fieldCtx.error('MANIFEST_INVALID', 'an added field must be an object', model);
      const path = stringList(fieldCtx, item, 'path');
      if (path.length === 0) throw fieldCtx.error('MANIFEST_INVALID', "an added field needs a non-empty 'path'", item);
      if (typeof item.value !== 'string') throw fieldCtx.error('MANIFEST_INVALID', "'value' must be a string", item);
      const valueType = item.value_type ?? undefined;
      if (valueType !== undefined && (typeof valueType !== 'string' || !VALUE_TYPES.includes(valueType))) {
        throw fieldCtx.error('MANIFEST_INVALID', `'value_type' must be one of ${VALUE_TYPES.join(', ')}`, item);
      }
      return { path, value: new Template(item.value, parametersOf(item)), valueType: valueType as ValueType | undefined };
    });
    return new ConfigAddFields(fields, conditionOf(ctx, model));
  },
  ConfigRemoveFields: (model, ctx) => {
    const pointers = model.field_pointers;
    if (!Array.isArray(pointers) || pointers.some((p) => !Array.isArray(p) || p.some((s) => typeof s !== 'string'))) {
      throw ctx.error('MANIFEST_INVALID', "'field_pointers' must be a list of paths (lists of strings)", model);
    }
    return new ConfigRemoveFields(pointers as string[][], conditionOf(ctx, model));
  },
};
