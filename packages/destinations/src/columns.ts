/**
 * Typed columns of a stream's final table, derived from its JSON schema. Types are logical here;
 * each SQL destination maps them to its own names (BIGINT vs DOUBLE PRECISION...).
 */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'json';

export interface TypedColumn {
  name: string;
  type: ColumnType;
}

/** Columns every final table has, beside the typed ones, in this order. */
export const AIRBYTE_COLUMNS = [
  '_airbyte_raw_id',
  '_airbyte_extracted_at',
  '_airbyte_meta',
  '_airbyte_generation_id',
  '_airbyte_data',
] as const;

const AIRBYTE_COLUMN_NAMES: ReadonlySet<string> = new Set(AIRBYTE_COLUMNS);

/**
 * One column per top-level property. A property whose schema has one non-null type gets that
 * type; unions, objects, arrays and schemas without a type get JSON. `format: date-time` stays a
 * string column: sources emit many date shapes and a string keeps every one of them.
 */
export function columnsFromJsonSchema(jsonSchema: Record<string, unknown>): TypedColumn[] {
  const properties = jsonSchema['properties'];
  if (!isObject(properties)) return [];
  const columns: TypedColumn[] = [];
  for (const [name, propertySchema] of Object.entries(properties)) {
    // A source property named like our own columns would collide; its value stays in _airbyte_data.
    if (AIRBYTE_COLUMN_NAMES.has(name)) continue;
    columns.push({ name, type: columnTypeOf(propertySchema) });
  }
  return columns;
}

function columnTypeOf(propertySchema: unknown): ColumnType {
  if (!isObject(propertySchema)) return 'json';
  if (propertySchema['oneOf'] !== undefined || propertySchema['anyOf'] !== undefined) return 'json';
  const declared = propertySchema['type'];
  const types = (Array.isArray(declared) ? declared : [declared]).filter((type) => type !== 'null');
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'string':
      return 'string';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

/**
 * The type a column must have to hold both what it holds and what the new schema says: never
 * narrower than before. Numbers widen to number; anything mixed with JSON is JSON; other mixes
 * become strings.
 */
export function widenColumnType(existing: ColumnType, wanted: ColumnType): ColumnType {
  if (existing === wanted) return existing;
  const numeric = new Set<ColumnType>(['integer', 'number']);
  if (numeric.has(existing) && numeric.has(wanted)) return 'number';
  if (existing === 'json' || wanted === 'json') return 'json';
  return 'string';
}

/** Double-quoted SQL identifier; the name is kept as the source spells it. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
