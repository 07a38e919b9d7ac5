import type { LocationTable } from './locations.js';
import { isPlainObject } from './path.js';
import { CUSTOM_DEFAULT_TYPES, DEFAULT_TYPES } from './default-types.js';

/*
 * The CDK's ManifestComponentTransformer, step for step:
 *  - a component without `type` gets the default for `<parent type>.<field>` (a Custom* one when it
 *    has `class_name`);
 *  - `$parameters` flow from parent to child; the child's own win (the parent's win when
 *    `use_parent_parameters` is set, as for dynamic stream templates);
 *  - on a typed component every parameter is also set as a field, unless the field already holds a
 *    truthy value (Python truthiness: "", 0, false, null, [] and {} are replaced);
 *  - a parameter named like the field being descended into is not passed down that field;
 *  - JSON-schema-looking objects (`type: object` / `[null, object]`) keep nothing: their
 *    `$parameters` are dropped and nothing below them is touched;
 *  - untyped objects pass parameters only to their direct typed children (e.g. QueryProperties in
 *    `request_parameters`);
 *  - the accumulated parameters are stored back as `$parameters` on each typed component.
 */

const PARAMETERS = '$parameters';
type Obj = Record<string, unknown>;

export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function pyStr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class ComponentTransformer {
  constructor(private readonly locations?: LocationTable) {}

  private clone<T>(value: T): T {
    if (Array.isArray(value)) {
      const out = value.map((v) => this.clone(v));
      this.locations?.inherit(out, value);
      return out as T;
    }
    if (isPlainObject(value)) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.clone(v);
      this.locations?.inherit(out, value);
      return out as T;
    }
    return value;
  }

  /** A copy of `value` one level deep, located where `value` is. */
  private shallow<T extends object>(value: T): T {
    const out = (Array.isArray(value) ? [...value] : { ...value }) as T;
    this.locations?.inherit(out, value);
    return out;
  }

  /*
   * The CDK deep-copies each component before changing it. Here nothing is ever mutated in place:
   * each level is copied shallowly and every changed child is a new object, which gives the same
   * result without copying subtrees once per level. Parameter values are deep-copied when they
   * become fields, so no two components share them.
   */
  propagate(parentField: string, component: Obj, parentParameters: Obj, useParentParameters?: boolean): Obj {
    const c = this.shallow(component);
    if (!('type' in c)) {
      const found = 'class_name' in c ? CUSTOM_DEFAULT_TYPES.get(parentField) : DEFAULT_TYPES.get(parentField);
      if (found) c.type = found;
    }

    const own = c[PARAMETERS];
    delete c[PARAMETERS];
    const ownParameters: Obj = isPlainObject(own) ? own : {};
    const inherited = { ...parentParameters };
    let current: Obj = useParentParameters ? { ...ownParameters, ...inherited } : { ...inherited, ...ownParameters };

    if (c.type === 'object' || (Array.isArray(c.type) && c.type.length === 2 && c.type[0] === 'null' && c.type[1] === 'object')) {
      return c;
    }

    if (!('type' in c)) {
      for (const [field, value] of Object.entries(c)) {
        if (isPlainObject(value) && pyTruthy(value.type)) {
          c[field] = this.propagate(parentField, value, current, useParentParameters);
        }
      }
      return c;
    }

    for (const [key, value] of Object.entries(current)) {
      if (!pyTruthy(c[key])) c[key] = this.clone(value);
    }

    const typeName = pyStr(c.type);
    for (const [field, value] of Object.entries(c)) {
      if (!isPlainObject(value) && !Array.isArray(value)) continue;
      const hadExcluded = Object.hasOwn(current, field);
      const excluded = current[field];
      if (hadExcluded) {
        const { [field]: _dropped, ...rest } = current;
        current = rest;
      }
      const identifier = `${typeName}.${field}`;
      if (isPlainObject(value)) {
        c[field] = this.propagate(identifier, value, current, useParentParameters);
      } else {
        const list = this.shallow(value);
        list.forEach((element, i) => {
          if (isPlainObject(element)) list[i] = this.propagate(identifier, element, current, useParentParameters);
        });
        c[field] = list;
      }
      if (hadExcluded && pyTruthy(excluded)) current[field] = excluded;
    }

    if (Object.keys(current).length > 0) c[PARAMETERS] = current;
    return c;
  }
}

/** Sets the root type (the CDK's `_fix_source_type`), then propagates types and parameters. */
export function propagateTypesAndParameters(manifest: Obj, locations?: LocationTable): Obj {
  return new ComponentTransformer(locations).propagate('', manifest, {});
}

/**
 * A component's parameters — what the CDK's models expose as `parameters` (the `$parameters` key,
 * after propagation). Always an object.
 */
export function parametersOf(component: Record<string, unknown>): Record<string, unknown> {
  const p = component[PARAMETERS];
  return isPlainObject(p) ? p : {};
}
