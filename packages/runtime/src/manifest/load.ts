import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { RuntimeError } from '../errors/runtime-error.js';
import { LocationTable, type NodeLocation, type Position } from './locations.js';

export interface ParsedYaml {
  data: unknown;
  locations: LocationTable;
}

/*
 * The CDK reads manifests with PyYAML's `safe_load`, i.e. YAML 1.1 as PyYAML implements it. The
 * `yaml` package's 1.1 schema is close, but treats `y`/`n` as booleans where PyYAML does not, so
 * its booleans are replaced by PyYAML's. Timestamps are left as strings (PyYAML would make
 * `datetime` objects, which could not be validated or emitted as JSON anyway).
 */
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

function pyBool(value: boolean, test: RegExp): ScalarTag {
  return {
    identify: (v: unknown) => v === value,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test,
    resolve: () => value,
  };
}

/** PyYAML's implicit floats: a dot is required, and an exponent needs its sign (`1e3` is a string). */
const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function pyFloat(source: string): number {
  let text = source.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (text.startsWith('-')) sign = -1;
  if (text.startsWith('-') || text.startsWith('+')) text = text.slice(1);
  if (text === '.inf') return sign * Infinity;
  if (text === '.nan') return NaN;
  if (text.includes(':')) {
    let value = 0;
    for (const part of text.split(':')) value = value * 60 + Number.parseFloat(part);
    return sign * value;
  }
  return sign * Number.parseFloat(text);
}

const pyFloatTag: ScalarTag = {
  identify: (v: unknown) => typeof v === 'number' && !Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: PY_FLOAT,
  resolve: pyFloat,
};

function pyYamlTags(tags: Tags): Tags {
  const replaced = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:float']);
  const kept = tags.filter((t) => !replaced.has(typeof t === 'string' ? t : t.tag));
  return [pyBool(true, PY_TRUE), pyBool(false, PY_FALSE), pyFloatTag, ...kept];
}

/** Parses manifest YAML into plain data, recording where every object, array and key was written. */
export function parseYaml(text: string, fileName?: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: pyYamlTags,
    lineCounter,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const where = fileName ? ` in ${fileName}` : '';
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const msg = first.message.split('\n')[0] ?? first.message;
    throw new RuntimeError('MANIFEST_YAML', `Invalid YAML${where}: ${msg}`, {
      line: pos.line,
      column: pos.col,
      help: doc.errors.length > 1 ? `${doc.errors.length - 1} more YAML error(s) follow it` : undefined,
    });
  }
  const locations = new LocationTable();
  const converter = new Converter(doc, lineCounter, locations);
  const data = converter.convert(doc.contents);
  return { data, locations };
}

class Converter {
  private readonly done = new Map<YamlNode, unknown>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly locations: LocationTable,
  ) {}

  private pos(node: YamlNode | null | undefined): Position {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  convert(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.convert(target) : null;
    }
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'symbol') return '<<';
      return v === undefined ? null : v;
    }
    const yamlNode = node as YamlNode;
    const cached = this.done.get(yamlNode);
    if (cached !== undefined) return cached;
    if (isSeq(node)) {
      const out: unknown[] = [];
      this.done.set(yamlNode, out);
      const loc: NodeLocation = { ...this.pos(yamlNode), keys: new Map() };
      this.locations.set(out, loc);
      node.items.forEach((item, i) => {
        loc.keys.set(String(i), this.pos(item as YamlNode));
        out.push(this.convert(item));
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      this.done.set(yamlNode, out);
      const loc: NodeLocation = { ...this.pos(yamlNode), keys: new Map() };
      this.locations.set(out, loc);
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyValue = isScalar(keyNode) ? keyNode.value : this.convert(keyNode);
        if (typeof keyValue === 'symbol') {
          merges.push(this.convert(pair.value));
          continue;
        }
        const key = pyKey(keyValue);
        out[key] = this.convert(pair.value);
        loc.keys.set(key, this.pos(keyNode));
      }
      // YAML merge keys (`<<: *anchor`): explicit keys win, earlier merge sources win.
      for (const m of merges) {
        for (const source of Array.isArray(m) ? m : [m]) {
          if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
          for (const [k, v] of Object.entries(source)) {
            if (!(k in out)) {
              out[k] = v;
              const kp = this.locations.get(source)?.keys.get(k);
              if (kp) loc.keys.set(k, kp);
            }
          }
        }
      }
      return out;
    }
    return null;
  }
}

/** Object keys as Python would print them once the manifest became JSON. */
function pyKey(key: unknown): string {
  if (key === null || key === undefined) return 'null';
  if (key === true) return 'true';
  if (key === false) return 'false';
  return String(key);
}
