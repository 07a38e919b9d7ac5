import { parse as parseYamlText } from 'yaml';
import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Model } from '../factory/build-context.js';
import { InterpolatedBoolean, evalTemplate, type ValidType } from '../interpolation/index.js';
import { isPlainObject } from '../manifest/path.js';
import { parametersOf, pyTruthy } from '../manifest/parameters.js';
import { dpathNew, dpathSet } from './dpath.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/** ComponentMappingDefinition, with its templates ready to evaluate. */
export interface ComponentMapping {
  fieldPath: string[];
  value: string;
  validTypes: ValidType[] | undefined;
  createOrUpdate: boolean;
  condition: string | undefined;
}

const VALUE_TYPES: Record<string, ValidType> = { string: 'str', number: 'float', integer: 'int', boolean: 'bool' };

export function componentMappingsOf(resolver: Model, path: string): ComponentMapping[] {
  const models = (resolver.components_mapping as Model[] | undefined) ?? [];
  return models.map((model, index) => {
    if (typeof model.value !== 'string') {
      throw new RuntimeError('MANIFEST_INVALID', `Expected a string for value in mapping, got ${stringifyJson(model.value)}`, {
        path: `${path}.components_mapping[${index}].value`,
      });
    }
    const valueType = model.value_type === undefined || model.value_type === null ? undefined : VALUE_TYPES[String(model.value_type)];
    return {
      fieldPath: ((model.field_path as unknown[] | undefined) ?? []).map(String),
      value: model.value,
      validTypes: valueType ? [valueType] : undefined,
      createOrUpdate: model.create_or_update === true,
      condition: typeof model.condition === 'string' && model.condition !== '' ? model.condition : undefined,
    };
  });
}

export type YamlParsing = 'none' | 'config' | 'parametrized';

export interface MappingOptions {
  /** HttpComponentsResolver: plain dpath.set, no create_or_update, no condition, no YAML parsing. */
  yaml: YamlParsing;
  useCondition: boolean;
  useCreateOrUpdate: boolean;
}

/**
 * Fills one copy of the stream template: each mapping's field_path (templates) gets the mapping's
 * value (a template), evaluated with `components_values`, `stream_template_config` and, for
 * HttpComponentsResolver, `stream_slice`.
 */
export function applyMappings(
  template: Json,
  mappings: ComponentMapping[],
  resolver: Model,
  config: Json,
  extra: Json,
  options: MappingOptions,
): Json {
  const parameters = parametersOf(resolver);
  const updated = structuredClone(template);
  const context = { ...extra, stream_template_config: template, config, parameters };
  for (const mapping of mappings) {
    if (options.useCondition && mapping.condition !== undefined) {
      if (!new InterpolatedBoolean(mapping.condition, parameters).eval(config, { ...extra, stream_template_config: template })) continue;
    }
    const value = evalTemplate(mapping.value, context, { default: mapping.value, validTypes: mapping.validTypes });
    const path = mapping.fieldPath.map((segment) => evalTemplate(segment, context, { default: segment }));
    let parsed = value;
    if (options.yaml === 'parametrized' || (options.yaml === 'config' && !(typeof value === 'string' && mapping.validTypes?.[0] === 'str'))) {
      parsed = parseYamlIfPossible(value);
    }
    const changed = dpathSet(updated, path, parsed);
    if (options.useCreateOrUpdate && pyTruthy(parsed) && changed === 0 && mapping.createOrUpdate) dpathNew(updated, path, parsed);
  }
  return updated;
}

/**
 * yaml.safe_load of a string value, as the CDK does for config and parametrized resolvers: a
 * value like "[a, b]" or "{k: 1}" becomes a list or mapping, "true" a boolean. Text that is not
 * YAML stays as it is. Dates stay text (safe_load would make a date object of them).
 */
export function parseYamlIfPossible(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const parsed: unknown = parseYamlText(value, { version: '1.1', schema: 'yaml-1.1' });
    if (parsed instanceof Date) return value;
    if (parsed === undefined) return null;
    return toPlain(parsed, value);
  } catch {
    return value;
  }
}

function toPlain(parsed: unknown, original: string): unknown {
  if (parsed instanceof Date) return parsed.toISOString().slice(0, 10);
  if (parsed instanceof Set) return [...parsed];
  if (parsed instanceof Map) return Object.fromEntries(parsed);
  if (Array.isArray(parsed)) return parsed.map((item) => toPlain(item, original));
  if (isPlainObject(parsed)) return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, toPlain(v, original)]));
  return parsed;
}
