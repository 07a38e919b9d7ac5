import { type BuildContext, type Builder, type Model, parametersOf } from '../factory/build-context.js';
import { pyStr } from '../interpolation/index.js';
import { AddFields, type AddedField } from './add-fields.js';
import type { Segment } from '../dpath/dpath.js';
import { DpathFlattenFields, FlattenFields, type KeyAffixes } from './flatten-fields.js';
import { KeysReplace, KeysToLower, KeysToSnakeCase } from './keys.js';
import { RemoveFields } from './remove-fields.js';
import { Condition, Template, type ValueType } from './templates.js';

const VALUE_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean'];

function stringField(ctx: BuildContext, model: Model, field: string, fallback?: string): string {
  const value = model[field] ?? fallback;
  if (typeof value !== 'string') {
    throw ctx.error('MANIFEST_INVALID', value === undefined ? `missing required field '${field}'` : `'${field}' must be a string`, model);
  }
  return value;
}

function booleanField(ctx: BuildContext, model: Model, field: string): boolean | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw ctx.error('MANIFEST_INVALID', `'${field}' must be true or false`, model);
  return value;
}

function stringList(ctx: BuildContext, model: Model, field: string): string[] {
  const value = model[field];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw ctx.error('MANIFEST_INVALID', `'${field}' must be a list of strings`, model);
  }
  return value as string[];
}

function addedField(model: Model, ctx: BuildContext): AddedField {
  const path = stringList(ctx, model, 'path');
  if (path.length === 0) throw ctx.error('MANIFEST_INVALID', "an added field needs a non-empty 'path'", model);
  const value = stringField(ctx, model, 'value');
  const valueType = model.value_type;
  if (valueType !== undefined && valueType !== null && (typeof valueType !== 'string' || !VALUE_TYPES.includes(valueType))) {
    throw ctx.error('MANIFEST_INVALID', `'value_type' must be one of ${VALUE_TYPES.join(', ')}`, model);
  }
  return { path, value: new Template(value, parametersOf(model)), valueType: (valueType ?? undefined) as ValueType | undefined };
}

const addFields: Builder<AddFields> = (model, ctx) => {
  if (!Array.isArray(model.fields)) throw ctx.error('MANIFEST_INVALID', "'fields' must be a list", model);
  const here = ctx.at('fields');
  const fields = model.fields.map((item, index) => {
    if (typeof item !== 'object' || item === null) throw here.at(index).error('MANIFEST_INVALID', 'an added field must be an object', model);
    return addedField(item as Model, here.at(index));
  });
  const condition = new Condition(stringField(ctx, model, 'condition', ''), parametersOf(model));
  return new AddFields(fields, condition, ctx.config);
};

const removeFields: Builder<RemoveFields> = (model, ctx) => {
  const pointers = model.field_pointers;
  if (
    !Array.isArray(pointers) ||
    pointers.some((pointer) => !Array.isArray(pointer) || pointer.some((s) => typeof s !== 'string'))
  ) {
    throw ctx.error('MANIFEST_INVALID', "'field_pointers' must be a list of paths (lists of strings)", model);
  }
  for (const pointer of pointers as Segment[][]) {
    if (pointer.filter((s) => s === '**').length > 1) {
      throw ctx.error('MANIFEST_INVALID', `a field pointer may contain '**' only once: ${JSON.stringify(pointer)}`, model);
    }
  }
  // The CDK's factory gives RemoveFields no parameters.
  const condition = new Condition(stringField(ctx, model, 'condition', ''), {});
  return new RemoveFields(pointers as Segment[][], condition, ctx.config);
};

const keysReplace: Builder<KeysReplace> = (model, ctx) => {
  const parameters = parametersOf(model);
  return new KeysReplace(
    new Template(stringField(ctx, model, 'old'), parameters),
    new Template(stringField(ctx, model, 'new'), parameters),
    ctx.config,
  );
};

const dpathFlattenFields: Builder<DpathFlattenFields> = (model, ctx) => {
  const parameters = parametersOf(model);
  const path = stringList(ctx, model, 'field_path').map((segment) => new Template(segment, parameters));
  let keys: KeyAffixes | undefined;
  const transformation = model.key_transformation;
  if (transformation !== undefined && transformation !== null) {
    if (typeof transformation !== 'object') throw ctx.error('MANIFEST_INVALID', "'key_transformation' must be an object", model);
    const affix = (field: 'prefix' | 'suffix'): string | undefined => {
      const raw = (transformation as Model)[field];
      if (raw === undefined || raw === null) return undefined;
      if (typeof raw !== 'string') throw ctx.at('key_transformation').error('MANIFEST_INVALID', `'${field}' must be a string`, transformation);
      return pyStr(new Template(raw, parameters).eval(ctx.config));
    };
    keys = { prefix: affix('prefix'), suffix: affix('suffix') };
  }
  return new DpathFlattenFields(path, ctx.config, {
    deleteOriginValue: booleanField(ctx, model, 'delete_origin_value') ?? false,
    replaceRecord: booleanField(ctx, model, 'replace_record') ?? false,
    keys,
  });
};

export const transformationBuilders: Record<string, Builder> = {
  AddFields: addFields,
  RemoveFields: removeFields,
  KeysToLower: () => new KeysToLower(),
  KeysToSnakeCase: () => new KeysToSnakeCase(),
  KeysReplace: keysReplace,
  FlattenFields: (model, ctx) => new FlattenFields(booleanField(ctx, model, 'flatten_lists') ?? true),
  DpathFlattenFields: dpathFlattenFields,
};
