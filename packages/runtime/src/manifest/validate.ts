import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { RuntimeError } from '../errors/runtime-error.js';
import {
  definitionForType,
  fieldSchema,
  isCustomType,
  knownFields,
  mayHoldComponents,
} from './components.js';
import type { LocationTable, Position } from './locations.js';
import { formatPath, isPlainObject, type PathSegment } from './path.js';
import { AJV_OPTIONS, declarativeSchema } from './schema/declarative-schema.js';
import type { Schema } from './schema/dsl.js';
import { closest, didYouMean } from './suggest.js';

export interface ManifestWarning {
  path: string;
  line?: number;
  message: string;
}

export interface ValidationResult {
  errors: RuntimeError[];
  warnings: ManifestWarning[];
}

let compiled: ValidateFunction | undefined;

/**
 * The validator: the standalone code the build generates (scripts/gen-validator.mjs), else — when
 * running from source, as the tests do — compiled on first use. Shared by the whole process.
 */
function validator(): ValidateFunction {
  if (!compiled) {
    try {
      const generated = createRequire(import.meta.url)('./schema/validator.gen.cjs') as ValidateFunction | { default: ValidateFunction };
      compiled = typeof generated === 'function' ? generated : generated.default;
    } catch {
      compiled = new Ajv(AJV_OPTIONS).compile(declarativeSchema);
    }
  }
  return compiled;
}

/** Fields of the root (and anything below them) that hold free-form data, not components. */
const ROOT_FREE_FORM = new Set(['definitions', 'metadata', 'schemas']);

/**
 * Validates a resolved and transformed manifest: schema errors, Custom* components (which need
 * Python), and warnings for fields no component declares. Errors come worst first.
 */
export function validateResolved(manifest: unknown, locations?: LocationTable): ValidationResult {
  const ctx = new Context(manifest, locations);
  const ranked: Ranked[] = [];
  findCustomComponents(manifest, [], ctx, ranked);
  const validate = validator();
  if (!validate(manifest)) ranked.push(...schemaErrors(validate.errors ?? [], ctx));
  const warnings: ManifestWarning[] = [];
  findUnknownFields(manifest, [], ctx, warnings);

  const seen = new Set<string>();
  const unique = ranked.filter((r) => {
    const key = `${r.error.path}|${r.error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.rank - b.rank || (a.error.line ?? Infinity) - (b.error.line ?? Infinity));
  return { errors: unique.map((r) => r.error), warnings };
}

interface Ranked {
  rank: number;
  error: RuntimeError;
}

/** Severity, worst first. */
const RANK = { custom: 0, root: 1, unknownType: 2, missing: 3, type: 4, value: 5, other: 6, closed: 7 } as const;

class Context {
  constructor(
    readonly root: unknown,
    readonly locations: LocationTable | undefined,
  ) {}

  /** The data nodes along a JSON pointer, with path segments in manifest terms. */
  walk(pointer: string): { nodes: unknown[]; path: PathSegment[] } {
    const nodes: unknown[] = [this.root];
    const path: PathSegment[] = [];
    if (!pointer) return { nodes, path };
    let node: unknown = this.root;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) {
        const i = Number(key);
        path.push(i);
        node = node[i];
      } else {
        path.push(key);
        node = isPlainObject(node) ? node[key] : undefined;
      }
      nodes.push(node);
    }
    return { nodes, path };
  }

  /** Where a node (or the value under `key` of `parent`) was written. */
  position(parent: unknown, key: PathSegment | undefined, node: unknown): Position | undefined {
    if (!this.locations) return undefined;
    if (typeof node === 'object' && node !== null && key === undefined) return this.locations.get(node);
    if (typeof parent === 'object' && parent !== null && key !== undefined) {
      const p = this.locations.keyPosition(parent, String(key));
      if (p) return p;
    }
    if (typeof node === 'object' && node !== null) return this.locations.get(node);
    return undefined;
  }

  error(code: 'MANIFEST_INVALID' | 'MANIFEST_CUSTOM_COMPONENT', message: string, path: PathSegment[], pos: Position | undefined, help?: string): RuntimeError {
    const where = formatPath(path);
    const line = pos ? ` (line ${pos.line})` : '';
    return new RuntimeError(code, `${where}${line}: ${message}`, { path: where, line: pos?.line, column: pos?.col, help });
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `string '${shown}'`;
  }
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'integer' : 'number'} ${value}`;
  return `${typeof value} ${String(value)}`;
}

function kindList(types: unknown): string {
  const list = Array.isArray(types) ? types : String(types).split(',');
  return list.join(' or ');
}

function componentName(schema: unknown, data: unknown): string | undefined {
  if (isPlainObject(schema) && isPlainObject(schema.properties)) {
    const t = schema.properties.type;
    if (isPlainObject(t) && typeof t.const === 'string') return t.const;
  }
  if (isPlainObject(data) && typeof data.type === 'string') return data.type;
  return undefined;
}

function typeHint(given: string, allowed: string[]): string {
  const known = definitionForType(given) !== undefined;
  const expected = allowed.length === 1 ? `expected ${allowed[0]}` : `expected one of ${allowed.join(', ')}`;
  const head = known ? `type '${given}' is not allowed here — ${expected}` : `unknown type '${given}' — ${expected}`;
  return head + didYouMean(given, allowed);
}

function schemaErrors(errors: ErrorObject[], ctx: Context): Ranked[] {
  // anyOf errors stand for their branches: drop the branch errors beneath them.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => e.keyword !== 'if' && !anyOfPaths.some((p) => e.schemaPath.startsWith(p)));
  const out: Ranked[] = [];
  for (const e of kept) {
    const { nodes, path } = ctx.walk(e.instancePath);
    const node = nodes[nodes.length - 1];
    const parent = nodes[nodes.length - 2];
    const lastKey = path[path.length - 1];
    const valuePos = ctx.position(parent, lastKey, node);
    const nodePos = ctx.position(undefined, undefined, node) ?? valuePos;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required': {
        const field = String(params.missingProperty);
        const union = isPlainObject(e.parentSchema) ? (e.parentSchema['x-union'] as string[] | undefined) : undefined;
        if (field === 'type' && union) {
          out.push({ rank: RANK.missing, error: ctx.error('MANIFEST_INVALID', `missing 'type' — expected one of ${union.join(', ')}`, path, nodePos) });
        } else {
          const of = componentName(e.parentSchema, node);
          const typo = isPlainObject(node) ? closest(field, Object.keys(node)) : undefined;
          const message = `missing required field '${field}'${of ? ` of ${of}` : ''}${typo ? ` (found '${typo}' — a typo?)` : ''}`;
          out.push({ rank: path.length === 0 ? RANK.root : RANK.missing, error: ctx.error('MANIFEST_INVALID', message, path, nodePos) });
        }
        break;
      }
      case 'enum': {
        const allowed = (e.schema as unknown[]).map(String);
        const parentSchema = e.parentSchema;
        if (lastKey === 'type' && typeof node === 'string' && allowed.every((a) => /^[A-Z]/.test(a))) {
          void parentSchema;
          out.push({ rank: RANK.unknownType, error: ctx.error('MANIFEST_INVALID', typeHint(node, allowed), path.slice(0, -1), valuePos) });
        } else {
          const got = describeValue(node);
          const hint = typeof node === 'string' ? didYouMean(node, allowed) : '';
          out.push({ rank: RANK.value, error: ctx.error('MANIFEST_INVALID', `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${got}${hint}`, path, valuePos) });
        }
        break;
      }
      case 'const': {
        const expected = String(params.allowedValue);
        if (lastKey === 'type') {
          const given = typeof node === 'string' ? node : describeValue(node);
          out.push({ rank: RANK.unknownType, error: ctx.error('MANIFEST_INVALID', typeHint(given, [expected]), path.slice(0, -1), valuePos) });
        } else {
          out.push({ rank: RANK.value, error: ctx.error('MANIFEST_INVALID', `must be '${expected}', got ${describeValue(node)}`, path, valuePos) });
        }
        break;
      }
      case 'type':
        out.push({ rank: RANK.type, error: ctx.error('MANIFEST_INVALID', `must be ${kindList(params.type)}, got ${describeValue(node)}`, path, valuePos) });
        break;
      case 'additionalProperties': {
        const field = String(params.additionalProperty);
        const known = isPlainObject(e.parentSchema) && isPlainObject(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
        const of = componentName(e.parentSchema, node) ?? (path.length === 0 ? 'DeclarativeSource' : undefined);
        const pos = ctx.position(node, field, undefined) ?? nodePos;
        out.push({
          rank: path.length === 0 ? RANK.root : RANK.closed,
          error: ctx.error('MANIFEST_INVALID', `unknown field '${field}'${of ? ` on ${of}` : ''} is not allowed${didYouMean(field, known)}`, [...path, field], pos),
        });
        break;
      }
      case 'anyOf': {
        const branches = Array.isArray(e.schema) ? (e.schema as Schema[]) : [];
        const requiredSets = branches.map((b) => b.required).filter(Array.isArray) as string[][];
        const message =
          requiredSets.length === branches.length && branches.length > 0
            ? `must define one of ${requiredSets.map((r) => `'${r.join("', '")}'`).join(' or ')}`
            : `does not match any allowed form, got ${describeValue(node)}`;
        out.push({ rank: path.length === 0 ? RANK.root : RANK.value, error: ctx.error('MANIFEST_INVALID', message, path, nodePos) });
        break;
      }
      default:
        out.push({ rank: RANK.other, error: ctx.error('MANIFEST_INVALID', `${e.message ?? 'is invalid'}, got ${describeValue(node)}`, path, valuePos) });
    }
  }
  return out;
}

/** Custom* components (and `class_name` components the CDK could not type) need Python code. */
function findCustomComponents(node: unknown, path: PathSegment[], ctx: Context, out: Ranked[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => findCustomComponents(v, [...path, i], ctx, out));
    return;
  }
  if (!isPlainObject(node)) return;
  const type = node.type;
  const className = node.class_name;
  const isCustom =
    typeof type === 'string'
      ? isCustomType(type) || (type.startsWith('Custom') && typeof className === 'string')
      : type === undefined && typeof className === 'string';
  if (isCustom) {
    const what = typeof type === 'string' ? type : 'component';
    const cls = typeof className === 'string' ? ` '${className}'` : '';
    out.push({
      rank: RANK.custom,
      error: ctx.error(
        'MANIFEST_CUSTOM_COMPONENT',
        `${what}${cls} needs custom Python code (components.py), which this runtime does not run`,
        path,
        ctx.position(undefined, undefined, node),
        'Replace it with a declarative component, or run this connector with the Python CDK',
      ),
    });
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === '$parameters') continue;
    if (path.length === 0 && ROOT_FREE_FORM.has(k)) continue;
    findCustomComponents(v, [...path, k], ctx, out);
  }
}

/** Warns about fields a typed component does not declare (and that did not come from parameters). */
function findUnknownFields(node: unknown, path: PathSegment[], ctx: Context, out: ManifestWarning[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => findUnknownFields(v, [...path, i], ctx, out));
    return;
  }
  if (!isPlainObject(node)) return;
  const type = typeof node.type === 'string' ? node.type : undefined;
  const definition = type === undefined ? undefined : definitionForType(type);
  if (type === undefined || definition === undefined || isCustomType(type)) {
    // Untyped holders (e.g. request_parameters) may still contain components.
    for (const [k, v] of Object.entries(node)) {
      if (k === '$parameters' || (path.length === 0 && ROOT_FREE_FORM.has(k))) continue;
      if (typeof v === 'object' && v !== null) findUnknownFields(v, [...path, k], ctx, out);
    }
    return;
  }
  const known = knownFields(definition);
  const fromParameters = isPlainObject(node.$parameters) ? node.$parameters : {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$parameters' || (path.length === 0 && ROOT_FREE_FORM.has(k))) continue;
    if (!known.includes(k)) {
      if (Object.hasOwn(fromParameters, k) || path.length === 0) continue; // root extras are schema errors
      const pos = ctx.position(node, k, undefined);
      const suggestion = closest(k, known.filter((f) => f !== '$parameters' && !Object.hasOwn(node, f)));
      out.push({
        path: formatPath([...path, k]),
        line: pos?.line,
        message: `unknown field '${k}' on ${type}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; it is ignored`,
      });
      continue;
    }
    if (typeof v === 'object' && v !== null && mayHoldComponents(fieldSchema(definition, k))) {
      findUnknownFields(v, [...path, k], ctx, out);
    }
  }
}
