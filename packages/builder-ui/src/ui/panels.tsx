import { useState } from 'react';
import { checkUrlBase, COMPONENTS, SLOTS } from '../model/components.js';
import { emptyInput, type GlobalForm, type InputForm, type InputType, type StreamForm } from '../model/form.js';
import { isPlainObject, type Obj } from '../model/refs.js';
import { ComponentEditor, fieldMessage, missingField, type ComponentContext } from './ComponentEditor.js';
import { Checkbox, Field, JsonInput, KeyValueInput, ListInput, Section, Select, TextInput, YamlOnlyNote } from './fields.js';

export interface ManifestError {
  message: string;
  path?: string;
  line?: number;
}

function errorsFor(errors: ManifestError[], ...needles: string[]): string | undefined {
  const hit = errors.filter((e) => e.path && needles.some((n) => e.path!.includes(n)));
  return hit.length ? hit.map((e) => fieldMessage(e.message)).join('; ') : undefined;
}

/**
 * Errors about a whole component (its own path). Errors about one of its fields, including a
 * required field the form shows but left empty, are shown beside that field instead.
 */
function errorsOn(errors: ManifestError[], path: string, component: unknown): string | undefined {
  const type = isPlainObject(component) && typeof component.type === 'string' ? component.type : '';
  const shown = new Set(COMPONENTS[type]?.fields.map((f) => f.key) ?? []);
  const hit = errors.filter((e) => e.path === path && !shown.has(missingField(e.message) ?? ''));
  return hit.length ? hit.map((e) => e.message).join('; ') : undefined;
}

function ErrorBox({ text }: { text?: string }) {
  return text ? <div className="error-box" role="alert">{text}</div> : null;
}

// ── global configuration ────────────────────────────────────────────────────────────────────

export function MissingInputs(props: { keys: string[]; onAdd: () => void }) {
  if (!props.keys.length) return null;
  return (
    <div className="yaml-only missing-inputs" role="note">
      Referenced but not defined as user inputs: {props.keys.map((k) => <code key={k}>{k}</code>)}{' '}
      <button type="button" className="small" onClick={props.onAdd}>Add {props.keys.length === 1 ? 'it' : 'them'}</button>
    </div>
  );
}

export function GlobalPanel(props: { value: GlobalForm; onChange: (g: GlobalForm) => void; ctx: ComponentContext; errors: ManifestError[]; missing: string[]; onAddMissing: () => void }) {
  const { value, onChange } = props;
  const urlProblem = checkUrlBase(value.urlBase) ?? errorsFor(props.errors, 'url_base');
  return (
    <div className="panel">
      <h2>Global configuration</h2>
      <p className="lede">Shared by every stream: where the API lives and how to authenticate. Reference user inputs as <code>{"{{ config['api_key'] }}"}</code>.</p>
      <MissingInputs keys={props.missing} onAdd={props.onAddMissing} />
      <Section title="API base URL">
        <Field label="API base URL" required help="e.g. https://api.example.com/v1" error={urlProblem}>
          {(id) => <TextInput id={id} name="url_base" mono invalid={!!urlProblem} value={value.urlBase} onChange={(urlBase) => onChange({ ...value, urlBase })} placeholder="https://api.example.com" />}
        </Field>
      </Section>
      <Section title="Authentication">
        <ErrorBox text={errorsFor(props.errors, 'authenticator')} />
        <ComponentEditor
          label="Method"
          value={value.authenticator ?? { type: 'NoAuth' }}
          types={SLOTS.authenticator}
          ctx={props.ctx}
          onChange={(a) => onChange({ ...value, authenticator: a && a.type === 'NoAuth' && !value.authenticator ? undefined : a })}
        />
      </Section>
    </div>
  );
}

// ── user inputs ─────────────────────────────────────────────────────────────────────────────

const INPUT_TYPES: Array<[InputType, string]> = [
  ['string', 'String'], ['integer', 'Integer'], ['number', 'Number'], ['boolean', 'Boolean'],
  ['array', 'List of strings'], ['date', 'Date'], ['date-time', 'Date-time'],
];

export function InputsPanel(props: { value: InputForm[]; onChange: (v: InputForm[], renamed?: Record<number, string>) => void; missing: string[]; onAddMissing: () => void }) {
  const { value, onChange } = props;
  const [newKey, setNewKey] = useState('');
  const update = (i: number, f: InputForm) => {
    const renamed = f.key !== value[i]!.key ? { [i]: value[i]!.key } : undefined;
    onChange(value.map((x, j) => (j === i ? f : x)), renamed);
  };
  const add = () => {
    const key = newKey.trim().replace(/\s+/g, '_') || `input_${value.length + 1}`;
    if (value.some((v) => v.key === key)) return;
    onChange([...value, emptyInput(key)]);
    setNewKey('');
  };
  return (
    <div className="panel">
      <h2>User inputs</h2>
      <p className="lede">What a user fills in when configuring the connector (<code>spec.connection_specification</code>). Use them as <code>{"{{ config['key'] }}"}</code>.</p>
      <MissingInputs keys={props.missing} onAdd={props.onAddMissing} />
      {value.map((f, i) => (
        <Section key={i} title={f.title || f.key} badge={<>{f.type}{f.required ? ' · required' : ''}{f.secret ? ' · secret' : ''}</>}>
          {f.yamlOnly ? (
            <YamlOnlyNote>{f.yamlOnly}; kept exactly as written.</YamlOnlyNote>
          ) : (
            <div className="grid2">
              <Field label="Key" required help="The config property name">
                {(id) => <TextInput id={id} mono value={f.key} onChange={(key) => key && update(i, { ...f, key })} />}
              </Field>
              <Field label="Type">
                {(id) => <Select id={id} value={f.type} options={INPUT_TYPES} onChange={(t) => update(i, { ...f, type: t as InputType })} />}
              </Field>
              <Field label="Title">{(id) => <TextInput id={id} value={f.title} onChange={(title) => update(i, { ...f, title })} />}</Field>
              <Field label="Pattern" help="Regular expression">{(id) => <TextInput id={id} mono value={f.pattern} onChange={(pattern) => update(i, { ...f, pattern })} />}</Field>
              <Field label="Description" wide>{(id) => <TextInput id={id} value={f.description} onChange={(description) => update(i, { ...f, description })} />}</Field>
              <Field label="Default">{(id) => <TextInput id={id} mono value={f.default} onChange={(d) => update(i, { ...f, default: d })} />}</Field>
              <div className="checks">
                <Checkbox label="Required" checked={f.required} onChange={(required) => update(i, { ...f, required })} />
                <Checkbox label="Secret (airbyte_secret)" checked={f.secret} onChange={(secret) => update(i, { ...f, secret })} />
              </div>
              <Field label="Examples">{(id) => <ListInput id={id} value={f.examples} onChange={(examples) => update(i, { ...f, examples })} />}</Field>
              <Field label="Allowed values (enum)">{(id) => <ListInput id={id} value={f.enum} onChange={(e) => update(i, { ...f, enum: e })} />}</Field>
            </div>
          )}
          <div className="row-actions">
            <button type="button" className="danger small" onClick={() => onChange(value.filter((_, j) => j !== i))}>Delete input</button>
          </div>
        </Section>
      ))}
      <div className="add-row">
        <input aria-label="New input key" className="mono" placeholder="new_input_key" value={newKey} onChange={(e) => setNewKey(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
        <button type="button" onClick={add}>+ Add user input</button>
      </div>
    </div>
  );
}

// ── one stream ──────────────────────────────────────────────────────────────────────────────

export function StreamPanel(props: {
  value: StreamForm; onChange: (s: StreamForm) => void; ctx: ComponentContext; errors: ManifestError[]; globalUrl: string;
  onDuplicate: () => void; onDelete: () => void; onMove: (d: -1 | 1) => void;
  /** This stream's place in the manifest, e.g. `streams[2]`. */
  at: string;
  position: { index: number; count: number };
  missing: string[]; onAddMissing: () => void;
}) {
  const { value: s, onChange, errors, at } = props;
  const ctx: ComponentContext = { ...props.ctx, errors };
  const { index, count } = props.position;
  const set = <K extends keyof StreamForm>(k: K, v: StreamForm[K]) => onChange({ ...s, [k]: v });
  const routerList = Array.isArray(s.partitionRouter);
  return (
    <div className="panel">
      <div className="panel-head">
        <h2 tabIndex={-1}>Stream <span className="mono">{s.name}</span></h2>
        <div className="tools">
          <button type="button" className="small" onClick={() => props.onMove(-1)} disabled={index === 0} title="Move this stream up" aria-label="Move stream up">↑</button>
          <button type="button" className="small" onClick={() => props.onMove(1)} disabled={index >= count - 1} title="Move this stream down" aria-label="Move stream down">↓</button>
          <button type="button" className="small" onClick={props.onDuplicate}>Duplicate</button>
          <button type="button" className="small danger" onClick={props.onDelete}>Delete</button>
        </div>
      </div>
      <MissingInputs keys={props.missing} onAdd={props.onAddMissing} />
      {s.yamlOnly.length ? <YamlOnlyNote>{s.yamlOnly.join('; ')} — kept exactly as written; the rest of the stream is editable here.</YamlOnlyNote> : null}
      <Section title="Request" error={!!errorsFor(errors, 'requester', 'name')}>
        <div className="grid2">
          <Field label="Name" required error={errorsFor(errors, '.name')}>
            {(id) => <TextInput id={id} name="stream_name" mono value={s.name} onChange={(v) => set('name', v)} />}
          </Field>
          <Field label="HTTP method">
            {(id) => <Select id={id} value={s.httpMethod} options={['GET', 'POST']} onChange={(v) => set('httpMethod', v)} />}
          </Field>
          <Field label="URL path" wide help={<>Appended to <code>{s.urlBase || props.globalUrl || 'the API base URL'}</code></>} error={errorsFor(errors, 'requester.path')}>
            {(id) => <TextInput id={id} name="stream_path" mono value={s.path} onChange={(v) => set('path', v)} placeholder="/users" />}
          </Field>
        </div>
        <details className="advanced" open={!!s.urlBase}>
          <summary>Override the API base URL for this stream</summary>
          <Field label="URL base (empty = global)">{(id) => <TextInput id={id} mono value={s.urlBase} onChange={(v) => set('urlBase', v)} />}</Field>
        </details>
        <Field label="Query parameters">{() => <KeyValueInput value={s.requestParameters} onChange={(v) => set('requestParameters', v)} />}</Field>
        <Field label="Request headers">{() => <KeyValueInput value={s.requestHeaders} onChange={(v) => set('requestHeaders', v)} />}</Field>
        <Field label="Request body">
          {(id) => (
            <>
              <Select id={id} value={s.bodyKind} options={[['none', 'None'], ['json', 'JSON'], ['form', 'Form (URL-encoded)'], ['text', 'Plain text']]} onChange={(k) => set('bodyKind', k as StreamForm['bodyKind'])} />
              {s.bodyKind === 'json' ? <JsonInput value={safeJson(s.bodyText)} allowString onChange={(v) => set('bodyText', v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 2))} /> : null}
              {s.bodyKind === 'text' ? <textarea className="mono" rows={4} value={s.bodyText} onChange={(e) => set('bodyText', e.target.value)} /> : null}
              {s.bodyKind === 'form' ? <KeyValueInput value={s.bodyForm} onChange={(v) => set('bodyForm', v)} /> : null}
            </>
          )}
        </Field>
      </Section>
      <Section title="Records" error={!!errorsFor(errors, 'record_selector', 'primary_key')}>
        <div className="grid2">
          <Field label="Record selector (field path)" help="Path to the list of records in the response, e.g. data. Empty = the whole response. * = any key." error={errorsFor(errors, 'record_selector')}>
            {(id) => <ListInput id={id} value={s.fieldPath} onChange={(v) => set('fieldPath', v)} addLabel="Add path part" />}
          </Field>
          <Field label="Primary key" help="One field, or several for a composite key" error={errorsFor(errors, 'primary_key')}>
            {(id) => <ListInput id={id} value={s.primaryKey} onChange={(v) => set('primaryKey', v)} addLabel="Add key field" />}
          </Field>
        </div>
        <Field label="Record filter (condition)" help="Keep records where this is true, e.g. {{ record['status'] != 'deleted' }}" error={errorsFor(errors, 'record_filter')}>
          {(id) => <TextInput id={id} mono value={s.filterCondition} onChange={(v) => set('filterCondition', v)} />}
        </Field>
      </Section>
      <Section title="Pagination" open={!!s.paginator} badge={s.paginator ? String(s.paginator.type) : 'none'} error={!!errorsFor(errors, 'paginator')}>
        <ErrorBox text={errorsOn(errors, `${at}.retriever.paginator`, s.paginator)} />
        <ComponentEditor label="Pagination" value={s.paginator} types={SLOTS.paginator} noneLabel="(none)" ctx={ctx} at={`${at}.retriever.paginator`} onChange={(v) => set('paginator', v)} />
      </Section>
      <Section title="Incremental sync" open={!!s.incrementalSync} badge={s.incrementalSync ? String(s.incrementalSync.type) : 'off'} error={!!errorsFor(errors, 'incremental_sync')}>
        <ErrorBox text={errorsOn(errors, `${at}.incremental_sync`, s.incrementalSync)} />
        <ComponentEditor label="Cursor" value={s.incrementalSync} types={SLOTS.incrementalSync} noneLabel="(full refresh only)" ctx={ctx} at={`${at}.incremental_sync`} onChange={(v) => set('incrementalSync', v)} />
      </Section>
      <Section title="Partitioning" open={!!s.partitionRouter} badge={s.partitionRouter ? (routerList ? 'several' : String((s.partitionRouter as Obj).type)) : 'none'} error={!!errorsFor(errors, 'partition_router')}>
        <ErrorBox text={routerList ? errorsFor(errors, 'partition_router') : errorsOn(errors, `${at}.retriever.partition_router`, s.partitionRouter)} />
        {routerList ? (
          <>
            <YamlOnlyNote>several partition routers combined; edit them as JSON.</YamlOnlyNote>
            <JsonInput value={s.partitionRouter} onChange={(v) => set('partitionRouter', v as Obj[] | undefined)} />
          </>
        ) : (
          <ComponentEditor label="Partition router" value={s.partitionRouter} types={SLOTS.partitionRouter} noneLabel="(none)" ctx={{ ...ctx, streams: ctx.streams.filter((x) => x.name !== s.name) }} at={`${at}.retriever.partition_router`} onChange={(v) => set('partitionRouter', v)} />
        )}
      </Section>
      <Section title="Transformations" open={s.transformations.length > 0} badge={String(s.transformations.length)} error={!!errorsFor(errors, 'transformations')}>
        {s.transformations.map((t, i) => (
          <div className="list-item" key={i}>
            <div className="list-item-tools">
              <span>#{i + 1}</span>
              <button type="button" className="icon" aria-label="Remove transformation" title="Remove" onClick={() => set('transformations', s.transformations.filter((_, j) => j !== i))}>×</button>
            </div>
            <ComponentEditor label="Transformation" value={t} types={SLOTS.transformation} ctx={ctx} onChange={(v) => set('transformations', s.transformations.map((x, j) => (j === i ? v! : x)).filter(Boolean))} />
          </div>
        ))}
        <button type="button" className="link" onClick={() => set('transformations', [...s.transformations, { type: 'AddFields', fields: [{ type: 'AddedFieldDefinition', path: ['new_field'], value: '{{ record.id }}' }] }])}>+ Add transformation</button>
      </Section>
      <Section title="Error handling" open={!!s.errorHandler} badge={s.errorHandler ? String(s.errorHandler.type) : 'default'} error={!!errorsFor(errors, 'error_handler')}>
        <ComponentEditor label="Error handler" value={s.errorHandler} types={SLOTS.errorHandler} noneLabel="(default: retry 5xx and 429)" ctx={ctx} onChange={(v) => set('errorHandler', v)} />
      </Section>
      <Section title="Declared schema" open={false} badge={s.schema ? `${Object.keys((s.schema.properties as Obj) ?? {}).length} fields` : 'none'} error={!!errorsFor(errors, 'schema_loader')}>
        <p className="help">The JSON schema of the records (InlineSchemaLoader). Run a test read to compare it with the records and take the inferred one.</p>
        <JsonInput value={s.schema} rows={12} onChange={(v) => set('schema', v as Obj | undefined)} />
      </Section>
    </div>
  );
}

function safeJson(t: string): unknown {
  try {
    return t === '' ? undefined : JSON.parse(t);
  } catch {
    return t;
  }
}
