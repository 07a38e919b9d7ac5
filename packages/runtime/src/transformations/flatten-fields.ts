import type { Json } from '../context.js';
import { get, remove, type Segment, values } from '../dpath/dpath.js';
import type { Template } from './templates.js';
import type { RecordContext, RecordTransformation } from './transformation.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}

/**
 * The CDK's flattening, step for step (its order decides key names and key order): a stack of
 * (value, key) pairs; an object pushes its entries, keyed by the bare key unless that key is
 * already in the output or a list has been flattened earlier in the run (then `parent.key`); a list
 * (when flattening lists) pushes its items as `parent.index`; anything else is written under its key.
 * Empty objects and lists vanish. Output keys come out in stack (reverse) order.
 */
export function flattenRecord(record: Record<string, unknown>, flattenLists: boolean): Record<string, unknown> {
  const stack: Array<[unknown, string]> = [[record, '_']];
  const out: Record<string, unknown> = {};
  let forceWithParentName = false;
  while (stack.length > 0) {
    const [current, parentKey] = stack.pop()!;
    if (isObject(current)) {
      for (const [key, value] of Object.entries(current)) {
        const newKey = Object.hasOwn(out, key) || forceWithParentName ? `${parentKey}.${key}` : key;
        stack.push([value, newKey]);
      }
    } else if (Array.isArray(current) && flattenLists) {
      current.forEach((item, index) => {
        forceWithParentName = true;
        stack.push([item, `${parentKey}.${index}`]);
      });
    } else {
      setKey(out, parentKey, current);
    }
  }
  return out;
}

/** FlattenFields: the record becomes one level of dotted keys. */
export class FlattenFields implements RecordTransformation {
  constructor(private readonly flattenLists = true) {}

  transform(record: Json, _context?: RecordContext): void {
    const flat = flattenRecord(record, this.flattenLists);
    for (const key of Object.keys(record)) delete record[key];
    for (const [key, value] of Object.entries(flat)) setKey(record, key, value);
  }
}

export interface KeyAffixes {
  prefix?: string | undefined;
  suffix?: string | undefined;
}

/**
 * DpathFlattenFields: lifts the object at `field_path` (templates evaluated with config; with `*`,
 * the first match) into the record. Keys get the optional prefix / suffix. With `replace_record`
 * (and a non-empty object) the record becomes that object; otherwise the keys are merged in only
 * when none of them is already a top-level key, and `delete_origin_value` then removes every value
 * the path matches. Anything but an object at the path leaves the record unchanged.
 */
export class DpathFlattenFields implements RecordTransformation {
  constructor(
    private readonly fieldPath: Template[],
    private readonly config: Json,
    private readonly options: { deleteOriginValue?: boolean; replaceRecord?: boolean; keys?: KeyAffixes } = {},
  ) {}

  transform(record: Json, _context?: RecordContext): void {
    const path = this.fieldPath.map((segment) => toSegment(segment.eval(this.config)));
    let extracted: unknown;
    if (path.includes('*')) extracted = values(record, path)[0];
    else extracted = get(record, path, []);
    if (!isObject(extracted)) return;
    const { prefix, suffix } = this.options.keys ?? {};
    if (prefix || suffix) {
      const renamed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(extracted)) setKey(renamed, `${prefix ?? ''}${key}${suffix ?? ''}`, value);
      extracted = renamed;
    }
    const lifted = extracted as Record<string, unknown>;
    if (this.options.replaceRecord && Object.keys(lifted).length > 0) {
      const entries = Object.entries(lifted);
      for (const key of Object.keys(record)) delete record[key];
      for (const [key, value] of entries) setKey(record, key, value);
      return;
    }
    if (Object.keys(lifted).some((key) => Object.hasOwn(record, key))) return;
    if (this.options.deleteOriginValue) remove(record, path);
    for (const [key, value] of Object.entries(lifted)) setKey(record, key, value);
  }
}

function toSegment(value: unknown): Segment {
  return typeof value === 'number' ? value : String(value);
}
