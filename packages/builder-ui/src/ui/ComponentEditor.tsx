import { COMPONENTS, componentSupport, initComponent, type FieldDesc } from '../model/components.js';
import { isPlainObject, type Obj } from '../model/refs.js';
import { Checkbox, Field, JsonInput, KeyValueInput, ListInput, Select, TextInput, YamlOnlyNote } from './fields.js';

export interface ComponentContext {
  /** Stream names with the JSON pointer to reference each (for parent-stream pickers). */
  streams: Array<{ name: string; pointer: string }>;
  /** Problems the server found, with their manifest paths (`streams[0].incremental_sync.step`). */
  errors?: Array<{ message: string; path?: string }>;
}

/** Beside a field, the file/path/line prefix of a server message only repeats where it is. */
export function fieldMessage(message: string): string {
  return message.replace(/^[^\s:]+: \S+ \(line \d+\): /, '');
}

/** The field a "missing required field 'x'" error (reported at the component) is about. */
export function missingField(message: string): string | undefined {
  return /missing required field '([^']+)'/.exec(message)?.[1];
}

/**
 * The server's messages about the value at `path` (or inside it, for lists and mappings); a
 * required field left empty is reported at its component, so that one is matched by name.
 */
export function errorsAt(ctx: ComponentContext, path: string | undefined): string | undefined {
  if (!path || !ctx.errors) return undefined;
  const dot = path.lastIndexOf('.');
  const [owner, key] = dot > 0 ? [path.slice(0, dot), path.slice(dot + 1)] : ['', ''];
  const hit = ctx.errors.filter((e) => e.path === path || e.path?.startsWith(`${path}[`) || (key && e.path === owner && missingField(e.message) === key));
  return hit.length ? hit.map((e) => fieldMessage(e.message)).join('; ') : undefined;
}

interface Props {
  label: string;
  value: unknown;
  types: readonly string[];
  onChange: (v: Obj | undefined) => void;
  /** Offer "none" (the component is optional). */
  noneLabel?: string;
  ctx: ComponentContext;
  help?: string;
  /** Where this component sits in the manifest, to put the server's errors beside their fields. */
  at?: string;
}

export function ComponentEditor({ label, value, types, onChange, noneLabel, ctx, help, at }: Props) {
  const support = componentSupport(value, types);
  const type = isPlainObject(value) && typeof value.type === 'string' ? value.type : '';
  const options: Array<[string, string]> = [
    ...(noneLabel ? [['', noneLabel] as [string, string]] : []),
    ...types.map((t) => [t, COMPONENTS[t]?.label ?? t] as [string, string]),
  ];
  if (type && !types.includes(type)) options.push([type, type]);
  if (!support.editable) {
    return (
      <div className="component">
        <Field label={label} help={help}>
          {(id) => (
            <>
              <Select id={id} value={type} options={options} onChange={(t) => onChange(t ? initComponent(t) : undefined)} />
              <YamlOnlyNote>{support.reason}; kept exactly as written. Switch to the YAML view to change it, or pick another type to replace it.</YamlOnlyNote>
              <pre className="preview">{JSON.stringify(value, null, 2)}</pre>
            </>
          )}
        </Field>
      </div>
    );
  }
  const desc = type ? COMPONENTS[type] : undefined;
  const obj = isPlainObject(value) ? value : {};
  const set = (k: string, v: unknown) => {
    const next: Obj = { ...obj };
    if (v === undefined) delete next[k];
    else next[k] = v;
    onChange(next);
  };
  const basic = desc?.fields.filter((f) => !f.advanced) ?? [];
  const advanced = desc?.fields.filter((f) => f.advanced) ?? [];
  const showSelect = types.length > 1 || noneLabel;
  return (
    <div className="component">
      {showSelect ? (
        <Field label={label} help={help}>
          {(id) => <Select id={id} value={type} options={options} onChange={(t) => onChange(t ? (t === type ? obj : initComponent(t)) : undefined)} />}
        </Field>
      ) : label ? (
        <div className="component-title">{label}</div>
      ) : null}
      {desc && desc.fields.length ? (
        <div className="component-fields">
          {basic.map((f) => <FieldEditor key={f.key} f={f} value={obj[f.key]} onChange={(v) => set(f.key, v)} ctx={ctx} owner={type} at={at && `${at}.${f.key}`} />)}
          {advanced.length ? (
            <details className="advanced">
              <summary>Advanced</summary>
              {advanced.map((f) => <FieldEditor key={f.key} f={f} value={obj[f.key]} onChange={(v) => set(f.key, v)} ctx={ctx} owner={type} at={at && `${at}.${f.key}`} />)}
            </details>
          ) : null}
        </div>
      ) : null}
      {support.extraKeys.length ? (
        <div className="note">Also set in YAML (kept as written): {support.extraKeys.map((k) => <code key={k}>{k}</code>)}</div>
      ) : null}
    </div>
  );
}

function toIntOrTpl(s: string): unknown {
  if (s.trim() === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s;
}

function FieldEditor({ f, value, onChange, ctx, owner, at }: { f: FieldDesc; value: unknown; onChange: (v: unknown) => void; ctx: ComponentContext; owner: string; at?: string }) {
  const serverError = f.kind === 'component' || f.kind === 'components' ? undefined : errorsAt(ctx, at);
  if (owner === 'ParentStreamConfig' && f.key === 'stream') {
    const current = isPlainObject(value) && typeof value.name === 'string' ? value.name : isPlainObject(value) && isPlainObject(value.$parameters) ? String(value.$parameters.name ?? '') : '';
    return (
      <Field label={f.label} required={f.required} error={serverError}>
        {(id) => (
          <Select
            id={id}
            value={current}
            options={[['', '— pick a stream —'], ...ctx.streams.map((s) => [s.name, s.name] as [string, string])]}
            onChange={(name) => {
              const s = ctx.streams.find((x) => x.name === name);
              onChange(s ? { $ref: s.pointer } : undefined);
            }}
          />
        )}
      </Field>
    );
  }
  switch (f.kind) {
    case 'component':
      return (
        <div className="nested">
          <ComponentEditor label={f.label} value={value} types={f.types ?? []} onChange={onChange} noneLabel={f.required ? undefined : '(not set)'} ctx={ctx} help={f.help} at={at} />
        </div>
      );
    case 'components': {
      const list = Array.isArray(value) ? value : [];
      const types = f.types ?? [];
      return (
        <div className="nested">
          <div className="component-title">{f.label}</div>
          {list.map((item, i) => (
            <div className="list-item" key={i}>
              <div className="list-item-tools">
                <span>#{i + 1}</span>
                <button type="button" className="icon" title="Move up" aria-label="Move up" disabled={i === 0} onClick={() => { const n = list.slice(); [n[i - 1], n[i]] = [n[i], n[i - 1]]; onChange(n); }}>↑</button>
                <button type="button" className="icon" title="Remove" aria-label={`Remove ${f.label} ${i + 1}`} onClick={() => { const n = list.filter((_, j) => j !== i); onChange(n.length ? n : undefined); }}>×</button>
              </div>
              <ComponentEditor label={types.length > 1 ? 'Type' : ''} value={item} types={types} onChange={(v) => onChange(list.map((x, j) => (j === i ? v : x)).filter((x) => x !== undefined))} ctx={ctx} at={at && `${at}[${i}]`} />
            </div>
          ))}
          <button type="button" className="link" onClick={() => onChange([...list, types[0] === 'ParentStreamConfig' ? { type: 'ParentStreamConfig', parent_key: 'id', partition_field: 'parent_id' } : initComponent(types[0]!)])}>+ Add {f.label.toLowerCase().replace(/s$/, '')}</button>
        </div>
      );
    }
    case 'bool':
      return <Checkbox label={f.label} checked={value === true} onChange={(c) => onChange(c ? true : value === false ? false : undefined)} />;
    case 'enum':
      return (
        <Field label={f.label} required={f.required} help={f.help} error={serverError}>
          {(id) => <Select id={id} value={typeof value === 'string' ? value : ''} options={[['', '(default)'], ...(f.options ?? []).map((o) => [o, o] as [string, string])]} onChange={(v) => onChange(v === '' ? undefined : v)} />}
        </Field>
      );
    case 'strings':
      if (value !== undefined && !(Array.isArray(value) && value.every((x) => typeof x === 'string'))) break;
      return (
        <Field label={f.label} required={f.required} help={f.help} error={serverError}>
          {(id) => <ListInput id={id} value={(value as string[] | undefined) ?? []} onChange={(v) => onChange(v.length ? v : undefined)} />}
        </Field>
      );
    case 'ints':
      return (
        <Field label={f.label} required={f.required} help={f.help ?? 'comma-separated'} error={serverError}>
          {(id) => (
            <TextInput id={id} mono value={Array.isArray(value) ? value.join(', ') : ''} onChange={(s) => {
              const nums = s.split(',').map((x) => x.trim()).filter(Boolean).map(Number).filter((n) => Number.isInteger(n));
              onChange(nums.length ? nums : undefined);
            }} />
          )}
        </Field>
      );
    case 'map':
      if (value !== undefined && !(isPlainObject(value) && Object.values(value).every((x) => typeof x === 'string'))) break;
      return (
        <Field label={f.label} required={f.required} help={f.help} error={serverError}>
          {() => <KeyValueInput value={(value as Record<string, string>) ?? {}} onChange={(v) => onChange(Object.keys(v).length ? v : undefined)} />}
        </Field>
      );
    case 'json':
      return (
        <Field label={f.label} required={f.required} help={f.help} error={serverError}>
          {(id) => <JsonInput id={id} value={value} onChange={onChange} allowString />}
        </Field>
      );
    case 'intOrTpl':
    case 'num':
      if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') break;
      return (
        <Field label={f.label} required={f.required} help={f.help} error={serverError}>
          {(id) => <TextInput id={id} mono value={value === undefined ? '' : String(value)} onChange={(s) => onChange(toIntOrTpl(s))} />}
        </Field>
      );
    default: {
      // 'text', 'tpl', 'secret' and 'datetime' (a MinMaxDatetime mapping falls through to JSON below)
      if (value !== undefined && typeof value !== 'string') break;
      const problem = (f.validate && typeof value === 'string' && value !== '' ? f.validate(value) : undefined) ?? serverError;
      return (
        <Field label={f.label} required={f.required} help={f.help} error={problem}>
          {(id) => <TextInput id={id} mono={f.kind !== 'text'} invalid={!!problem} value={(value as string) ?? ''} placeholder={f.placeholder} onChange={(s) => onChange(s === '' ? undefined : s)} />}
        </Field>
      );
    }
  }
  // the value has a shape this field's widget cannot show
  return (
    <Field label={f.label} help={f.help} error={serverError}>
      {(id) => (
        <>
          <JsonInput id={id} value={value} onChange={onChange} allowString />
          <div className="note">Written in an unusual shape; edit it as JSON here or in YAML.</div>
        </>
      )}
    </Field>
  );
}
