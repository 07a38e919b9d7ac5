/**
 * Infers a JSON schema from the records of a test read, with the same output as the CDK's
 * SchemaInferrer (genson underneath, with no `required` lists and every number a `number`):
 * every field is nullable, nested objects and arrays are described, and the primary key and cursor
 * fields are made required and non-null.
 */
type Json = Record<string, unknown>;
type Scalar = 'null' | 'boolean' | 'number' | 'string';

/** One node of the inferred schema: the kinds of values seen at one place, in first-seen order. */
class SchemaNode {
  private readonly order: Array<Scalar | 'object' | 'array'> = [];
  private properties: Map<string, SchemaNode> | undefined;
  private items: SchemaNode | undefined;

  add(value: unknown): void {
    if (value === null || value === undefined) this.see('null');
    else if (typeof value === 'boolean') this.see('boolean');
    else if (typeof value === 'number' || typeof value === 'bigint') this.see('number');
    else if (typeof value === 'string') this.see('string');
    else if (Array.isArray(value)) {
      this.see('array');
      for (const item of value) (this.items ??= new SchemaNode()).add(item);
    } else if (typeof value === 'object') {
      this.see('object');
      this.properties ??= new Map();
      for (const [key, sub] of Object.entries(value as Json)) {
        let node = this.properties.get(key);
        if (!node) {
          node = new SchemaNode();
          this.properties.set(key, node);
        }
        node.add(sub);
      }
    }
  }

  private see(kind: Scalar | 'object' | 'array'): void {
    if (!this.order.includes(kind)) this.order.push(kind);
  }

  toSchema(): Json {
    const types = new Set<string>();
    const schemas: Json[] = [];
    for (const kind of this.order) {
      const generated = this.schemaOf(kind);
      if (Object.keys(generated).length === 1 && 'type' in generated) types.add(generated.type as string);
      else schemas.push(generated);
    }
    if (types.size > 0) {
      const type = types.size === 1 ? [...types][0] : [...types].sort();
      schemas.unshift({ type });
    }
    if (schemas.length === 1) return schemas[0] as Json;
    if (schemas.length > 1) return { anyOf: schemas };
    return {};
  }

  private schemaOf(kind: Scalar | 'object' | 'array'): Json {
    if (kind === 'object') {
      const out: Json = { type: 'object' };
      if (this.properties && this.properties.size > 0) {
        out.properties = Object.fromEntries([...this.properties].map(([key, node]) => [key, node.toSchema()]));
      }
      return out;
    }
    if (kind === 'array') {
      const out: Json = { type: 'array' };
      if (this.items) {
        const items = this.items.toSchema();
        if (Object.keys(items).length > 0) out.items = items;
      }
      return out;
    }
    return { type: kind };
  }
}

export class SchemaInferenceError extends Error {
  constructor(
    readonly schema: Json,
    readonly errors: string[],
  ) {
    super(errors.join('; '));
  }
}

export class SchemaInferrer {
  private root: SchemaNode | undefined;

  constructor(
    private readonly primaryKey: string[][] = [],
    private readonly cursorField: string[][] = [],
  ) {}

  accumulate(record: Json): void {
    (this.root ??= new SchemaNode()).add(record);
  }

  /** The inferred schema, or undefined when no record was seen. Throws SchemaInferenceError (carrying the schema) when a key field is missing. */
  schema(): Json | undefined {
    if (!this.root) return undefined;
    const schema: Json = { $schema: 'http://json-schema.org/schema#', ...clean(this.root.toSchema()) };
    schema.type = 'object';
    const errors: string[] = [];
    for (const key of [this.primaryKey, this.cursorField]) {
      for (const path of key) {
        try {
          markRequired(schema, path, []);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    }
    if (errors.length > 0) throw new SchemaInferenceError(schema, errors);
    return schema;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The CDK's cleanup: nullable everywhere, `null`-only properties dropped, `anyOf [x, null]` folded into x. */
function clean(node: Json): Json {
  if (!isObject(node)) return node;
  const anyOf = node.anyOf as Json[] | undefined;
  if (anyOf) {
    const nullIndex = anyOf.findIndex((branch) => branch.type === 'null' && Object.keys(branch).length === 1);
    if (anyOf.length === 2 && nullIndex !== -1) {
      const real = anyOf[nullIndex === 0 ? 1 : 0] as Json;
      Object.assign(node, real);
      node.type = [real.type, 'null'];
      delete node.anyOf;
    } else if (anyOf.length > 1) {
      node.type = ['null'];
    }
  }
  if (isObject(node.properties)) {
    const properties = node.properties;
    for (const [key, value] of Object.entries(properties)) {
      if (isObject(value) && value.type === 'null') delete properties[key];
      else clean(value as Json);
    }
  }
  if (isObject(node.items)) clean(node.items);
  if ('type' in node) {
    if (Array.isArray(node.type)) {
      const types = (node.type as unknown[]).filter((type) => type !== 'null');
      node.type = [...types, 'null'];
    } else {
      node.type = [node.type, 'null'];
    }
  }
  if (node.anyOf) delete node.type;
  return node;
}

function removeNull(node: Json): void {
  if (Array.isArray(node.type)) {
    const types = (node.type as unknown[]).filter((type) => type !== 'null');
    node.type = types.length === 1 ? types[0] : types;
  }
}

function markRequired(node: Json, path: string[], travelled: string[]): void {
  removeNull(node);
  if (path.length === 0) return;
  const [next, ...rest] = path as [string, ...string[]];
  const where = travelled.length > 0 ? travelled.join('.') : 'the record';
  if (!isObject(node.properties)) {
    throw new Error(`${where} is not an object, so '${[...travelled, ...path].join('.')}' cannot be marked as required`);
  }
  const child = node.properties[next];
  if (!isObject(child)) {
    throw new Error(`${where} has no field '${next}' in the records read, so it cannot be marked as required`);
  }
  const type = node.type;
  const isObjectType = type === 'object' || (Array.isArray(type) && type.includes('object') && type.every((t) => t === 'object' || t === 'null'));
  if (!isObjectType) throw new Error(`${where} is expected to be an object but is of type ${JSON.stringify(type)}`);
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  if (!required.includes(next)) required.push(next);
  node.required = required;
  markRequired(child, rest, [...travelled, next]);
}
