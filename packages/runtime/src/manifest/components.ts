import { declarativeSchema, definitionNames, ROOT_TYPE } from './schema/declarative-schema.js';
import { TYPE_VALUE_OVERRIDES, type Schema } from './schema/dsl.js';

const definitions = declarativeSchema.definitions as Record<string, Schema>;

/** Every component the schema knows (the CDK's definition names, plus the root `DeclarativeSource`). */
export const componentTypes: readonly string[] = definitionNames;

/** `type` value as written in a manifest → definition name (they differ only for `ApiKey`/`Bearer`). */
const byTypeValue = new Map<string, string>();
for (const name of definitionNames) {
  const props = definitions[name]?.properties as Record<string, Schema> | undefined;
  const t = props?.type?.const;
  if (typeof t === 'string') byTypeValue.set(t, name);
}
byTypeValue.set(ROOT_TYPE, ROOT_TYPE);

export function definitionForType(typeValue: string): string | undefined {
  return byTypeValue.get(typeValue);
}

/** All `type` values a manifest may use. */
export const typeValues: readonly string[] = [...byTypeValue.keys()].sort();

export function isCustomType(typeValue: string): boolean {
  return typeValue.startsWith('Custom') && byTypeValue.has(typeValue);
}

const fieldCache = new Map<string, readonly string[]>();

/** The fields a component type declares (by definition name or `type` value); [] when unknown. */
export function knownFields(type: string): readonly string[] {
  const name = definitions[type] ? type : byTypeValue.get(type) ?? TYPE_VALUE_OVERRIDES[type];
  if (!name) return [];
  let fields = fieldCache.get(name);
  if (!fields) {
    const props = definitions[name]?.properties as Record<string, Schema> | undefined;
    fields = Object.freeze(Object.keys(props ?? {}));
    fieldCache.set(name, fields);
  }
  return fields;
}

/** The schema of one field of a component, if declared. */
export function fieldSchema(type: string, field: string): Schema | undefined {
  const name = byTypeValue.get(type) ?? type;
  const props = definitions[name]?.properties as Record<string, Schema> | undefined;
  return props?.[field];
}

/** Whether a field's value can hold components (so unknown-field checks should look inside it). */
const holdsCache = new WeakMap<Schema, boolean>();
export function mayHoldComponents(schema: Schema | undefined): boolean {
  if (!schema) return false;
  let holds = holdsCache.get(schema);
  if (holds === undefined) {
    const text = JSON.stringify(schema);
    holds = text.includes('"$ref"') || text.includes('"const"');
    holdsCache.set(schema, holds);
  }
  return holds;
}
