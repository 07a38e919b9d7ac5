/**
 * Manifest YAML text ⇄ JSON value, keeping the text as written (comments, key order, quoting,
 * anchors) wherever the value did not change.
 */
import { Document, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Node, type Pair } from 'yaml';
import { deepEqual, isPlainObject, type Obj } from './refs.js';

export interface YamlProblem {
  message: string;
  line?: number;
  column?: number;
}

export interface ParsedManifest {
  doc: Document;
  /** The manifest value (undefined when the text does not parse to a mapping). */
  value: Obj | undefined;
  errors: YamlProblem[];
}

export function parseManifest(text: string): ParsedManifest {
  const doc = parseDocument(text, { prettyErrors: true, keepSourceTokens: false, uniqueKeys: true });
  const errors: YamlProblem[] = doc.errors.map((e) => ({
    message: e.message.split('\n')[0]!,
    line: e.linePos?.[0]?.line,
    column: e.linePos?.[0]?.col,
  }));
  if (errors.length) return { doc, value: undefined, errors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { doc, value: undefined, errors: [{ message: (e as Error).message }] };
  }
  if (value === null || value === undefined) value = {};
  if (!isPlainObject(value)) {
    return { doc, value: undefined, errors: [{ message: 'The manifest must be a YAML mapping (key: value pairs)', line: 1 }] };
  }
  return { doc, value, errors: [] };
}

export function stringify(doc: Document): string {
  // the yaml package's defaults (80 columns, indented sequences) reproduce most Airbyte manifests byte for byte
  return doc.toString();
}

/**
 * Stringify and make sure the text says `value`: the yaml package can mis-fold some multi-line
 * double-quoted strings at 80 columns, so fall back to unfolded output, then to a fresh document.
 */
export function stringifyChecked(doc: Document, value: Obj): string {
  const holds = (t: string) => {
    const p = parseDocument(t, { uniqueKeys: false });
    return p.errors.length === 0 && deepEqual(p.toJS({ maxAliasCount: 10000 }), value);
  };
  const folded = doc.toString();
  if (holds(folded)) return folded;
  const unfolded = doc.toString({ lineWidth: 0 });
  if (holds(unfolded)) return unfolded;
  // last resort (seen once in 469 Airbyte manifests): a fresh document, without comments
  return new Document(value).toString({ lineWidth: 0 });
}

function keyOf(pair: Pair): string {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

function patchNode(doc: Document, node: unknown, value: unknown): unknown {
  if (node && isAlias(node)) {
    const current = (node as { resolve(d: Document): Node | undefined }).resolve(doc);
    if (current && deepEqual(current.toJS(doc), value)) return node;
    return doc.createNode(value);
  }
  if (isMap(node) && isPlainObject(value)) {
    // `{}` written as a placeholder grows into a block mapping
    if (node.flow && node.items.length === 0 && Object.keys(value).length > 0) node.flow = false;
    node.items = node.items.filter((p) => {
      const k = keyOf(p);
      return k === '<<' ? true : k in value && value[k] !== undefined;
    });
    const hasMerge = node.items.some((p) => keyOf(p) === '<<');
    if (hasMerge) {
      // merge keys make per-key patching ambiguous; compare the whole mapping
      if (deepEqual(node.toJS(doc), value)) return node;
      return doc.createNode(value);
    }
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const pair = node.items.find((p) => keyOf(p) === k);
      if (pair) pair.value = patchNode(doc, pair.value, v) as Node;
      else node.items.push(doc.createPair(k, v) as Pair<unknown, unknown>);
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    if (node.flow && node.items.length === 0 && value.length > 0) node.flow = false;
    // realign by identity first: items moved (reordered streams) keep their comments
    const old = node.items.slice();
    const oldJs = old.map((n) => (n && typeof (n as Node).toJSON === 'function' ? (n as Node).toJS?.(doc) : n));
    const used = new Set<number>();
    node.items = value.map((v, i) => {
      let j = oldJs.findIndex((o, idx) => !used.has(idx) && deepEqual(o, v));
      if (j < 0 && i < old.length && !used.has(i)) j = i;
      if (j >= 0) {
        used.add(j);
        return patchNode(doc, old[j], v);
      }
      return doc.createNode(v);
    });
    if (value.length > 0 && node.flow && value.some((v) => typeof v === 'object' && v !== null)) node.flow = false;
    return node;
  }
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value === value) return node;
    const scalar = node;
    scalar.value = value;
    // a quoted or block style may not suit a new value: let the stringifier choose
    if (typeof value !== 'string') scalar.type = undefined;
    else if (value.includes('\n')) scalar.type = 'BLOCK_LITERAL';
    return scalar;
  }
  return doc.createNode(value);
}

/**
 * Patch a parsed document (in place) so it holds `value`, keeping untouched nodes (and comments)
 * as they were.
 */
export function patchDocument(doc: Document, value: Obj): Document {
  doc.contents = patchNode(doc, doc.contents, value) as Node;
  // with anchors and aliases, a change to an anchored node shows up at every alias: check, and
  // if the document no longer says `value`, write it afresh (comments are lost then)
  if (hasAliases(doc) && !deepEqual(doc.toJS({ maxAliasCount: 10000 }), value)) return new Document(value);
  return doc;
}

function hasAliases(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** The new YAML text for `value`, starting from the text the user last had. */
export function updateText(previousText: string, value: Obj): string {
  const { doc, errors, value: before } = parseManifest(previousText);
  if (errors.length) return stringify(new Document(value));
  if (deepEqual(before, value)) return previousText;
  return stringifyChecked(patchDocument(doc, value), value);
}
