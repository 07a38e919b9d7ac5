/**
 * Manifest ⇄ form state.
 *
 * `readForm(manifest)` gives what the forms show; `apply*(manifest, …)` returns a new manifest with
 * the changed form values written back. Only fields whose form value changed are written, and they
 * are written where they live (through `$ref`s), so anything the form does not show — custom
 * components, `$parameters`, definitions, metadata, extra keys — is kept exactly as written.
 */
import { clone, deepEqual, getIn, isPlainObject, locate, ownedSetter, patchIn as patchShared, rawAt, setIn, setRaw, type Obj, type Path, type Setter } from './refs.js';

export type AnyObj = Obj;

export interface GlobalForm {
  urlBase: string;
  /** The authenticator component (resolved), undefined when none. */
  authenticator: Obj | undefined;
}

export type InputType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'date' | 'date-time' | 'object';

export interface InputForm {
  key: string;
  type: InputType;
  title: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** As typed (JSON for non-strings); '' = none. */
  default: string;
  examples: string[];
  enum: string[];
  pattern: string;
  /** Something the form cannot show (e.g. nested properties): the input is edited in YAML. */
  yamlOnly?: string;
}

export type BodyKind = 'none' | 'json' | 'form' | 'text';

export interface StreamForm {
  name: string;
  path: string;
  httpMethod: string;
  /** Set when this stream's URL base differs from the global one. */
  urlBase: string;
  requestParameters: Record<string, string>;
  requestHeaders: Record<string, string>;
  bodyKind: BodyKind;
  /** JSON text for 'json', raw text for 'text'. */
  bodyText: string;
  bodyForm: Record<string, string>;
  fieldPath: string[];
  filterCondition: string;
  primaryKey: string[];
  transformations: Obj[];
  paginator: Obj | undefined;
  incrementalSync: Obj | undefined;
  partitionRouter: Obj | Obj[] | undefined;
  errorHandler: Obj | undefined;
  /** The declared schema (InlineSchemaLoader) or undefined. */
  schema: Obj | undefined;
  /** Parts of the stream the form cannot edit, each "what: why". */
  yamlOnly: string[];
}

export interface BuilderForm {
  global: GlobalForm;
  inputs: InputForm[];
  streams: StreamForm[];
  /** dynamic_streams etc.: shown as "edited in YAML". */
  notes: string[];
}

const RETRIEVER = ['retriever'];
const REQUESTER = ['retriever', 'requester'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

function strMap(v: unknown): Record<string, string> | undefined {
  if (v === undefined) return {};
  if (!isPlainObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') return undefined;
    out[k] = String(x);
  }
  return out;
}

function streamPath(i: number): Path {
  return ['streams', i];
}

export function streamCount(m: Obj): number {
  return Array.isArray(m.streams) ? m.streams.length : 0;
}

/** The stream's name, including one set only through `$parameters`. */
export function streamName(m: Obj, i: number): string {
  const name = getIn(m, [...streamPath(i), 'name']);
  if (typeof name === 'string') return name;
  const p = getIn(m, [...streamPath(i), '$parameters', 'name']);
  return typeof p === 'string' ? p : '';
}

// ── global ──────────────────────────────────────────────────────────────────────────────────

function globalSource(m: Obj): Path | undefined {
  if (isPlainObject(getIn(m, ['definitions', 'base_requester']))) return ['definitions', 'base_requester'];
  if (streamCount(m) > 0) return [...streamPath(0), ...REQUESTER];
  return undefined;
}

export function readGlobal(m: Obj): GlobalForm {
  const src = globalSource(m);
  if (!src) return { urlBase: '', authenticator: undefined };
  const auth = getIn(m, [...src, 'authenticator']);
  return { urlBase: str(getIn(m, [...src, 'url_base'])), authenticator: isPlainObject(auth) ? auth : undefined };
}

export function applyGlobal(m0: Obj, next: GlobalForm): Obj {
  const old = readGlobal(m0);
  if (deepEqual(old, next)) return m0;
  const m = clone(m0);
  const targets: Path[] = [];
  if (isPlainObject(getIn(m, ['definitions', 'base_requester']))) targets.push(['definitions', 'base_requester']);
  for (let i = 0; i < streamCount(m); i++) targets.push([...streamPath(i), ...REQUESTER]);
  if (targets.length === 0) targets.push(['definitions', 'base_requester']);
  for (const t of targets) {
    if (old.urlBase !== next.urlBase) {
      const cur = str(getIn(m, [...t, 'url_base']));
      // streams with their own URL base keep it
      if (cur === old.urlBase || cur === next.urlBase) {
        if (t[0] === 'definitions' && rawAt(m, t) === undefined) setRaw(m, t, { type: 'HttpRequester' });
        patchIn(m, [...t, 'url_base'], next.urlBase || undefined);
      }
    }
    if (!deepEqual(old.authenticator, next.authenticator)) {
      const cur = getIn(m, [...t, 'authenticator']);
      if (deepEqual(cur, old.authenticator) || deepEqual(cur, next.authenticator)) {
        if (t[0] === 'definitions' && rawAt(m, t) === undefined) setRaw(m, t, { type: 'HttpRequester' });
        patchIn(m, [...t, 'authenticator'], next.authenticator);
      }
    }
  }
  return m;
}

// ── user inputs (spec) ──────────────────────────────────────────────────────────────────────

const SPEC = ['spec', 'connection_specification'];
const INPUT_KEYS = new Set(['type', 'format', 'title', 'description', 'airbyte_secret', 'default', 'examples', 'enum', 'pattern', 'order', 'items']);

function inputType(p: Obj): InputType {
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
  if (t === 'string' && p.format === 'date') return 'date';
  if (t === 'string' && p.format === 'date-time') return 'date-time';
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'array' || t === 'object') return t;
  return 'string';
}

function showValue(v: unknown): string {
  return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

export function readInputs(m: Obj): InputForm[] {
  const cs = getIn(m, SPEC);
  if (!isPlainObject(cs) || !isPlainObject(cs.properties)) return [];
  const required = Array.isArray(cs.required) ? cs.required : [];
  const entries = Object.entries(cs.properties);
  return entries.map(([key, p]) => {
    const prop = isPlainObject(p) ? p : {};
    const type = inputType(prop);
    const extra = Object.keys(prop).filter((k) => !INPUT_KEYS.has(k));
    let yamlOnly: string | undefined;
    if (type === 'object' || prop.oneOf || prop.anyOf || prop.properties) yamlOnly = 'nested object or oneOf';
    else if (extra.length) yamlOnly = undefined;
    return {
      key,
      type,
      title: str(prop.title),
      description: str(prop.description),
      required: required.includes(key),
      secret: prop.airbyte_secret === true,
      default: showValue(prop.default),
      examples: Array.isArray(prop.examples) ? prop.examples.map(showValue) : [],
      enum: Array.isArray(prop.enum) ? prop.enum.map(showValue) : [],
      pattern: str(prop.pattern),
      ...(yamlOnly ? { yamlOnly } : {}),
    };
  });
}

function typedValue(type: InputType, s: string): unknown {
  if (type === 'integer' || type === 'number') {
    const n = Number(s);
    return s.trim() !== '' && Number.isFinite(n) ? n : s;
  }
  if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s;
}

function writeInput(prop: Obj, f: InputForm, old: InputForm | undefined): Obj {
  const out: Obj = { ...prop };
  const changed = <K extends keyof InputForm>(k: K) => !old || !deepEqual(old[k], f[k]);
  if (changed('type')) {
    if (f.type === 'date' || f.type === 'date-time') {
      out.type = 'string';
      out.format = f.type;
    } else {
      out.type = f.type;
      if (out.format === 'date' || out.format === 'date-time') delete out.format;
    }
    if (f.type === 'array' && !out.items) out.items = { type: 'string' };
  }
  const set = (k: string, v: unknown, isEmpty: boolean) => {
    if (isEmpty) delete out[k];
    else out[k] = v;
  };
  if (changed('title')) set('title', f.title, f.title === '');
  if (changed('description')) set('description', f.description, f.description === '');
  if (changed('secret')) set('airbyte_secret', true, !f.secret);
  if (changed('default') || changed('type')) set('default', typedValue(f.type, f.default), f.default === '');
  if (changed('examples') || changed('type')) set('examples', f.examples.map((e) => typedValue(f.type, e)), f.examples.length === 0);
  if (changed('enum') || changed('type')) set('enum', f.enum.map((e) => typedValue(f.type, e)), f.enum.length === 0);
  if (changed('pattern')) set('pattern', f.pattern, f.pattern === '');
  return out;
}

export function applyInputs(m0: Obj, next: InputForm[], renamedFrom?: Record<number, string>): Obj {
  const old = readInputs(m0);
  if (deepEqual(old, next)) return m0;
  const m = clone(m0);
  const cs0 = getIn(m, SPEC);
  const cs: Obj = isPlainObject(cs0) ? cs0 : { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: true };
  const props0 = isPlainObject(cs.properties) ? cs.properties : {};
  const props: Obj = {};
  const required: string[] = [];
  next.forEach((f, i) => {
    const prevKey = renamedFrom?.[i] ?? f.key;
    const before = old.find((o) => o.key === prevKey);
    const prop = isPlainObject(props0[prevKey]) ? (props0[prevKey] as Obj) : {};
    props[f.key] = before && deepEqual(before, f) ? prop : writeInput(prop, f, before);
    if (f.required) required.push(f.key);
  });
  const keepOrder = Array.isArray(cs.required) ? (cs.required as string[]).filter((k) => required.includes(k)) : [];
  const req = [...keepOrder, ...required.filter((k) => !keepOrder.includes(k))];
  if (isPlainObject(getIn(m, ['spec']))) {
    patchIn(m, [...SPEC, 'properties'], props);
    patchIn(m, [...SPEC, 'required'], req.length || Array.isArray(cs.required) ? req : undefined);
  } else {
    setIn(m, ['spec'], { type: 'Spec', connection_specification: { ...cs, required: req, properties: props } });
  }
  return m;
}

/** Config keys the manifest's templates use (`config['key']`, `config["key"]`, `config.key`), in order of appearance. */
export function referencedConfigKeys(m: Obj): string[] {
  const text = JSON.stringify({ ...m, spec: undefined, metadata: undefined });
  const keys: string[] = [];
  const re = /config\s*\[\s*\\?['"]([^'"\\]+)\\?['"]\s*\]|config\.get\(\s*\\?['"]([^'"\\]+)\\?['"]|config\.([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g;
  for (let r = re.exec(text); r; r = re.exec(text)) {
    const k = r[1] ?? r[2] ?? r[3]!;
    if (!keys.includes(k)) keys.push(k);
  }
  return keys;
}

/** Referenced config keys with no user input yet. */
export function missingInputs(m: Obj): string[] {
  const have = new Set(readInputs(m).map((i) => i.key));
  return referencedConfigKeys(m).filter((k) => !have.has(k));
}

/** A user input for a config key, guessing secrecy and type from the name. */
export function guessInput(key: string): InputForm {
  const f = emptyInput(key);
  f.title = key.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  if (/key|token|secret|password|passphrase/i.test(key)) f.secret = true;
  if (/(^|_)(start|end)_?(date|time)|_at$|since/i.test(key)) f.type = 'date-time';
  return f;
}

export function emptyInput(key: string): InputForm {
  return { key, type: 'string', title: key, description: '', required: true, secret: false, default: '', examples: [], enum: [], pattern: '' };
}

// ── streams ─────────────────────────────────────────────────────────────────────────────────

function readBody(req: Obj): { kind: BodyKind; text: string; form: Record<string, string>; unsupported?: string } {
  const typed = req.request_body;
  if (isPlainObject(typed)) {
    if (typed.type === 'RequestBodyJsonObject') return { kind: 'json', text: JSON.stringify(typed.value ?? {}, null, 2), form: {} };
    if (typed.type === 'RequestBodyPlainText') return { kind: 'text', text: str(typed.value), form: {} };
    if (typed.type === 'RequestBodyUrlEncodedForm') {
      const f = strMap(typed.value);
      if (f) return { kind: 'form', text: '', form: f };
    }
    return { kind: 'none', text: '', form: {}, unsupported: `request body (${str(typed.type)})` };
  }
  if (req.request_body_json !== undefined) {
    const j = req.request_body_json;
    return { kind: 'json', text: typeof j === 'string' ? j : JSON.stringify(j, null, 2), form: {} };
  }
  if (req.request_body_data !== undefined) {
    const d = req.request_body_data;
    if (typeof d === 'string') return { kind: 'text', text: d, form: {} };
    const f = strMap(d);
    if (f) return { kind: 'form', text: '', form: f };
    return { kind: 'none', text: '', form: {}, unsupported: 'request body data' };
  }
  return { kind: 'none', text: '', form: {} };
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function readStream(m: Obj, i: number): StreamForm {
  const s = getIn(m, streamPath(i));
  const stream: Obj = isPlainObject(s) ? s : {};
  const yamlOnly: string[] = [];
  const retriever = isPlainObject(stream.retriever) ? stream.retriever : {};
  if (stream.type && stream.type !== 'DeclarativeStream') yamlOnly.push(`stream type ${str(stream.type)}`);
  if (retriever.type && retriever.type !== 'SimpleRetriever') yamlOnly.push(`retriever ${str(retriever.type)}`);
  const req = isPlainObject(retriever.requester) ? retriever.requester : {};
  if (req.type && req.type !== 'HttpRequester') yamlOnly.push(`requester ${str(req.type)}`);
  const params = strMap(req.request_parameters);
  if (!params) yamlOnly.push('query parameters: written as an expression');
  const headers = strMap(req.request_headers);
  if (!headers) yamlOnly.push('headers: written as an expression');
  const body = readBody(req);
  if (body.unsupported) yamlOnly.push(body.unsupported);
  const selector = isPlainObject(retriever.record_selector) ? retriever.record_selector : {};
  const extractor = isPlainObject(selector.extractor) ? selector.extractor : {};
  if (extractor.type && extractor.type !== 'DpathExtractor') yamlOnly.push(`record extractor ${str(extractor.type)}`);
  const fieldPath = Array.isArray(extractor.field_path) ? extractor.field_path.map(str) : [];
  const filter = isPlainObject(selector.record_filter) ? selector.record_filter : undefined;
  if (filter && filter.type !== 'RecordFilter') yamlOnly.push(`record filter ${str(filter.type)}`);
  let primaryKey: string[] = [];
  const pk = stream.primary_key;
  if (typeof pk === 'string') primaryKey = [pk];
  else if (Array.isArray(pk)) {
    if (pk.every((x) => typeof x === 'string')) primaryKey = pk as string[];
    else if (pk.every((x) => Array.isArray(x) && x.length === 1 && typeof x[0] === 'string')) primaryKey = pk.map((x) => (x as string[])[0]!);
    else yamlOnly.push('primary key: nested field paths');
  }
  const loader = isPlainObject(stream.schema_loader) ? stream.schema_loader : undefined;
  let schema: Obj | undefined;
  if (loader && (loader.type === 'InlineSchemaLoader' || loader.type === undefined) && isPlainObject(loader.schema)) schema = loader.schema;
  else if (loader) yamlOnly.push(`schema loader ${str(loader.type)}`);
  const g = readGlobal(m);
  const ownUrl = str(req.url_base);
  const transformations = Array.isArray(stream.transformations) ? stream.transformations.filter(isPlainObject) : [];
  return {
    name: streamName(m, i),
    path: str(req.path),
    httpMethod: str(req.http_method) || 'GET',
    urlBase: ownUrl === g.urlBase ? '' : ownUrl,
    requestParameters: params ?? {},
    requestHeaders: headers ?? {},
    bodyKind: body.kind,
    bodyText: body.text,
    bodyForm: body.form,
    fieldPath,
    filterCondition: filter ? str(filter.condition) : '',
    primaryKey,
    transformations,
    paginator: isPlainObject(retriever.paginator) ? retriever.paginator : undefined,
    incrementalSync: isPlainObject(stream.incremental_sync) ? stream.incremental_sync : undefined,
    partitionRouter: isPlainObject(retriever.partition_router) || Array.isArray(retriever.partition_router) ? (retriever.partition_router as Obj | Obj[]) : undefined,
    errorHandler: isPlainObject(req.error_handler) ? req.error_handler : undefined,
    schema,
    yamlOnly,
  };
}

type Writer = (m: Obj, base: Path, f: StreamForm, old: StreamForm) => void;

/** The setter stream writers use (set per applyStream: stream edits never leak into other streams). */
let streamSetter: Setter | undefined;
function patchIn(m: Obj, path: Path, value: unknown): void {
  patchShared(m, path, value, streamSetter);
}

const nonEmptyMap = (r: Record<string, string>) => (Object.keys(r).length ? r : undefined);

const WRITERS: Partial<Record<keyof StreamForm, Writer>> = {
  name: (m, base, f, old) => {
    const raw = rawAt(m, locate(m, base));
    const s = getIn(m, base) as Obj;
    const viaParams = s && s.name === undefined && isPlainObject(s.$parameters) && typeof s.$parameters.name === 'string';
    if (viaParams) setIn(m, [...base, '$parameters', 'name'], f.name);
    else if (isPlainObject(raw)) setRaw(m, [...base, 'name'], f.name); // a name is always the stream's own
    // keep the connection check pointing at the renamed stream
    const check = getIn(m, ['check', 'stream_names']);
    if (Array.isArray(check) && check.includes(old.name)) patchIn(m, ['check', 'stream_names'], check.map((n) => (n === old.name ? f.name : n)));
    // and parent stream pickers (by name reference)
  },
  path: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'path'], f.path === '' ? undefined : f.path),
  httpMethod: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'http_method'], f.httpMethod),
  urlBase: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'url_base'], f.urlBase === '' ? readGlobal(m).urlBase || undefined : f.urlBase),
  requestParameters: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'request_parameters'], nonEmptyMap(f.requestParameters)),
  requestHeaders: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'request_headers'], nonEmptyMap(f.requestHeaders)),
  bodyKind: writeBody,
  bodyText: writeBody,
  bodyForm: writeBody,
  fieldPath: (m, base, f) => {
    const p = [...base, ...RETRIEVER, 'record_selector', 'extractor'];
    if (getIn(m, p) === undefined) patchIn(m, p, { type: 'DpathExtractor', field_path: f.fieldPath });
    else patchIn(m, [...p, 'field_path'], f.fieldPath);
  },
  filterCondition: (m, base, f) => {
    const p = [...base, ...RETRIEVER, 'record_selector', 'record_filter'];
    if (f.filterCondition === '') patchIn(m, p, undefined);
    else if (getIn(m, p) === undefined) patchIn(m, p, { type: 'RecordFilter', condition: f.filterCondition });
    else patchIn(m, [...p, 'condition'], f.filterCondition);
  },
  primaryKey: (m, base, f) => patchIn(m, [...base, 'primary_key'], f.primaryKey.length === 0 ? undefined : f.primaryKey.length === 1 ? f.primaryKey[0] : f.primaryKey),
  transformations: (m, base, f) => patchIn(m, [...base, 'transformations'], f.transformations.length ? f.transformations : undefined),
  paginator: (m, base, f) => patchIn(m, [...base, ...RETRIEVER, 'paginator'], f.paginator),
  incrementalSync: (m, base, f) => patchIn(m, [...base, 'incremental_sync'], f.incrementalSync),
  partitionRouter: (m, base, f) => patchIn(m, [...base, ...RETRIEVER, 'partition_router'], f.partitionRouter),
  errorHandler: (m, base, f) => patchIn(m, [...base, ...REQUESTER, 'error_handler'], f.errorHandler),
  schema: (m, base, f) => {
    const p = [...base, 'schema_loader'];
    if (f.schema === undefined) patchIn(m, p, undefined);
    else if (getIn(m, p) === undefined) patchIn(m, p, { type: 'InlineSchemaLoader', schema: f.schema });
    else patchIn(m, [...p, 'schema'], f.schema);
  },
};

function writeBody(m: Obj, base: Path, f: StreamForm): void {
  const r = [...base, ...REQUESTER];
  const req = getIn(m, r);
  const typed = isPlainObject(req) && isPlainObject(req.request_body);
  const json = f.bodyKind === 'json' ? parseJsonOr(f.bodyText) : undefined;
  if (typed) {
    const v = f.bodyKind === 'json' ? { type: 'RequestBodyJsonObject', value: json }
      : f.bodyKind === 'form' ? { type: 'RequestBodyUrlEncodedForm', value: f.bodyForm }
        : f.bodyKind === 'text' ? { type: 'RequestBodyPlainText', value: f.bodyText } : undefined;
    patchIn(m, [...r, 'request_body'], v);
    return;
  }
  patchIn(m, [...r, 'request_body_json'], json);
  patchIn(m, [...r, 'request_body_data'], f.bodyKind === 'form' ? f.bodyForm : f.bodyKind === 'text' ? f.bodyText : undefined);
}

export function applyStream(m0: Obj, i: number, next: StreamForm): Obj {
  const old = readStream(m0, i);
  if (deepEqual(old, next)) return m0;
  const m = clone(m0);
  const base = streamPath(i);
  const n = streamCount(m);
  streamSetter = ownedSetter(2, (rest) => {
    const out: Path[] = [];
    for (let j = 0; j < n; j++) if (j !== i) out.push(['streams', j, ...rest]);
    return out;
  });
  try {
    applyWriters(m, base, old, next);
  } finally {
    streamSetter = undefined;
  }
  return m;
}

function applyWriters(m: Obj, base: Path, old: StreamForm, next: StreamForm): void {
  const done = new Set<Writer>();
  for (const k of Object.keys(WRITERS) as Array<keyof StreamForm>) {
    if (deepEqual(old[k], next[k])) continue;
    const w = WRITERS[k]!;
    if (done.has(w)) continue;
    done.add(w);
    w(m, base, next, old);
  }
}

// ── stream list operations ──────────────────────────────────────────────────────────────────

export function newStream(m: Obj, name: string, path: string): Obj {
  const hasBase = isPlainObject(getIn(m, ['definitions', 'base_requester']));
  const g = readGlobal(m);
  const requester: Obj = hasBase
    ? { $ref: '#/definitions/base_requester', path, http_method: 'GET' }
    : { type: 'HttpRequester', url_base: g.urlBase, path, http_method: 'GET', ...(g.authenticator ? { authenticator: g.authenticator } : {}) };
  return {
    type: 'DeclarativeStream',
    name,
    retriever: {
      type: 'SimpleRetriever',
      requester,
      record_selector: { type: 'RecordSelector', extractor: { type: 'DpathExtractor', field_path: [] } },
    },
    schema_loader: { type: 'InlineSchemaLoader', schema: { $schema: 'http://json-schema.org/schema#', type: 'object', properties: {} } },
  };
}

export function addStream(m0: Obj, name: string, path: string): Obj {
  const m = clone(m0);
  const streams = Array.isArray(m.streams) ? m.streams : (m.streams = []);
  (streams as unknown[]).push(newStream(m, name, path));
  const check = m.check;
  if (isPlainObject(check) && (!Array.isArray(check.stream_names) || check.stream_names.length === 0)) check.stream_names = [name];
  else if (!check) m.check = { type: 'CheckStream', stream_names: [name] };
  return m;
}

export function uniqueName(m: Obj, base: string): string {
  const names = new Set(Array.from({ length: streamCount(m) }, (_, i) => streamName(m, i)));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}_${n}`)) return `${base}_${n}`;
}

export function duplicateStream(m0: Obj, i: number): Obj {
  const m = clone(m0);
  remapStreamRefs(m, (j) => (j > i ? j + 1 : undefined));
  const streams = m.streams as unknown[];
  const copy = clone(streams[i]) as unknown;
  const name = uniqueName(m, `${streamName(m, i)}_copy`);
  const item: Obj = isPlainObject(copy) ? { ...copy, name } : { $ref: String(copy), name };
  streams.splice(i + 1, 0, item);
  return m;
}

/** Rewrite `#/streams/N` references (parent stream pickers) after streams moved. */
function remapStreamRefs(node: unknown, map: (i: number) => number | undefined): void {
  if (Array.isArray(node)) node.forEach((x) => remapStreamRefs(x, map));
  else if (isPlainObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const r = /^#\/streams\/(\d+)(\/.*)?$/.exec(v);
        const to = r ? map(Number(r[1])) : undefined;
        if (r && to !== undefined) node[k] = `#/streams/${to}${r[2] ?? ''}`;
      } else remapStreamRefs(v, map);
    }
  }
}

export function deleteStream(m0: Obj, i: number): Obj {
  const m = clone(m0);
  remapStreamRefs(m, (j) => (j > i ? j - 1 : undefined));
  const name = streamName(m, i);
  (m.streams as unknown[]).splice(i, 1);
  const check = getIn(m, ['check', 'stream_names']);
  if (Array.isArray(check) && check.includes(name)) {
    const rest = check.filter((n) => n !== name);
    const first = streamCount(m) > 0 ? streamName(m, 0) : undefined;
    patchIn(m, ['check', 'stream_names'], rest.length ? rest : first ? [first] : []);
  }
  return m;
}

export function moveStream(m0: Obj, from: number, to: number): Obj {
  const n = streamCount(m0);
  if (to < 0 || to >= n || from === to) return m0;
  const m = clone(m0);
  const order = Array.from({ length: n }, (_, k) => k);
  order.splice(to, 0, order.splice(from, 1)[0]!);
  remapStreamRefs(m, (j) => order.indexOf(j));
  const streams = m.streams as unknown[];
  const [item] = streams.splice(from, 1);
  streams.splice(to, 0, item);
  return m;
}

// ── whole form ──────────────────────────────────────────────────────────────────────────────

export function readForm(m: Obj): BuilderForm {
  const notes: string[] = [];
  if (Array.isArray(m.dynamic_streams) && m.dynamic_streams.length) notes.push(`${m.dynamic_streams.length} dynamic stream template(s) — edited in YAML`);
  return {
    global: readGlobal(m),
    inputs: readInputs(m),
    streams: Array.from({ length: streamCount(m) }, (_, i) => readStream(m, i)),
    notes,
  };
}

/** Write a whole form back (used by tests: applyForm(m, readForm(m)) must give back m). */
export function applyForm(m: Obj, f: BuilderForm): Obj {
  let out = applyGlobal(m, f.global);
  out = applyInputs(out, f.inputs);
  f.streams.forEach((s, i) => {
    out = applyStream(out, i, s);
  });
  return out;
}

export const STARTER_YAML = `version: 6.44.0
type: DeclarativeSource

check:
  type: CheckStream
  stream_names: []

definitions:
  # Shared by every stream: the global configuration (URL base, authentication)
  base_requester:
    type: HttpRequester
    url_base: https://api.example.com

streams: []

spec:
  type: Spec
  connection_specification:
    $schema: http://json-schema.org/draft-07/schema#
    type: object
    required: []
    properties: {}
    additionalProperties: true
`;
