import { useEffect, useId, useState, type ReactNode } from 'react';

export function Field(props: { label: string; help?: ReactNode; error?: string; required?: boolean; children: (id: string) => ReactNode; wide?: boolean }) {
  const id = useId();
  return (
    <div className={`field${props.wide ? ' wide' : ''}${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span className="req" title="required">*</span> : null}
      </label>
      {props.children(id)}
      {props.error ? <div className="error-text" role="alert" id={`${id}-error`} data-testid="field-error">{props.error}</div> : null}
      {props.help ? <div className="help">{props.help}</div> : null}
    </div>
  );
}

export function TextInput(props: {
  id?: string; value: string; onChange: (v: string) => void; placeholder?: string; mono?: boolean; type?: string;
  disabled?: boolean; name?: string; autoFocus?: boolean; 'aria-label'?: string; invalid?: boolean;
}) {
  return (
    <input
      id={props.id}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.invalid && props.id ? `${props.id}-error` : undefined}
      name={props.name}
      aria-label={props['aria-label']}
      className={props.mono ? 'mono' : undefined}
      type={props.type ?? 'text'}
      value={props.value}
      placeholder={props.placeholder}
      disabled={props.disabled}
      autoFocus={props.autoFocus}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

export function Select(props: { id?: string; value: string; options: Array<string | [string, string]>; onChange: (v: string) => void; 'aria-label'?: string }) {
  return (
    <select id={props.id} aria-label={props['aria-label']} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.options.map((o) => {
        const [v, l] = Array.isArray(o) ? o : [o, o];
        return <option key={v} value={v}>{l}</option>;
      })}
    </select>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      {props.label}
    </label>
  );
}

/** A list of strings: one input per item. */
export function ListInput(props: { id?: string; value: string[]; onChange: (v: string[]) => void; placeholder?: string; addLabel?: string }) {
  const { value, onChange } = props;
  return (
    <div className="list-input" id={props.id}>
      {value.map((v, i) => (
        <div className="row" key={i}>
          <input
            className="mono"
            value={v}
            placeholder={props.placeholder}
            aria-label={`item ${i + 1}`}
            spellCheck={false}
            onChange={(e) => onChange(value.map((x, j) => (j === i ? e.target.value : x)))}
          />
          <button type="button" className="icon" title="Remove" aria-label="Remove" onClick={() => onChange(value.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...value, ''])}>+ {props.addLabel ?? 'Add'}</button>
    </div>
  );
}

/** key → value pairs, editable in place; rows keep their order. */
export function KeyValueInput(props: { value: Record<string, string>; onChange: (v: Record<string, string>) => void; keyLabel?: string; valueLabel?: string }) {
  const [rows, setRows] = useState<Array<[string, string]>>(() => Object.entries(props.value));
  useEffect(() => {
    const fromRows = Object.fromEntries(rows.filter(([k]) => k !== ''));
    if (JSON.stringify(fromRows) !== JSON.stringify(props.value)) setRows(Object.entries(props.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  const commit = (next: Array<[string, string]>) => {
    setRows(next);
    props.onChange(Object.fromEntries(next.filter(([k]) => k !== '')));
  };
  return (
    <div className="kv-input">
      {rows.map(([k, v], i) => (
        <div className="row" key={i}>
          <input className="mono" placeholder={props.keyLabel ?? 'name'} aria-label={`${props.keyLabel ?? 'name'} ${i + 1}`} value={k} spellCheck={false} onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          <input className="mono" placeholder={props.valueLabel ?? 'value'} aria-label={`${props.valueLabel ?? 'value'} ${i + 1}`} value={v} spellCheck={false} onChange={(e) => commit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          <button type="button" className="icon" title="Remove" aria-label="Remove" onClick={() => commit(rows.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => setRows([...rows, ['', '']])}>+ Add</button>
    </div>
  );
}

/** Any JSON value as text; invalid JSON is shown as an error and not applied. */
export function JsonInput(props: { id?: string; value: unknown; onChange: (v: unknown) => void; rows?: number; allowString?: boolean; placeholder?: string }) {
  const show = (v: unknown) => (v === undefined ? '' : props.allowString && typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const [text, setText] = useState(() => show(props.value));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current: unknown;
    try {
      current = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      current = props.allowString ? text : Symbol('invalid');
    }
    if (JSON.stringify(current) !== JSON.stringify(props.value)) {
      setText(show(props.value));
      setError(undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  return (
    <>
      <textarea
        id={props.id}
        className="mono"
        rows={props.rows ?? Math.min(14, Math.max(3, text.split('\n').length))}
        value={text}
        spellCheck={false}
        placeholder={props.placeholder}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '') {
            setError(undefined);
            props.onChange(undefined);
            return;
          }
          try {
            const v = JSON.parse(t);
            setError(undefined);
            props.onChange(v);
          } catch (err) {
            if (props.allowString && (!/^\s*[[{"]/.test(t) || /^\s*\{\{/.test(t))) {
              setError(undefined);
              props.onChange(t);
            } else setError(`Not valid JSON yet: ${(err as Error).message}`);
          }
        }}
      />
      {error ? <div className="error-text">{error}</div> : null}
    </>
  );
}

export function Section(props: { title: string; children: ReactNode; open?: boolean; badge?: ReactNode; id?: string; error?: boolean }) {
  return (
    <details className={`section${props.error ? ' has-error' : ''}`} open={props.open ?? true} id={props.id}>
      <summary>
        <span>{props.title}</span>
        {props.badge ? <span className="badge">{props.badge}</span> : null}
      </summary>
      <div className="section-body">{props.children}</div>
    </details>
  );
}

export function YamlOnlyNote(props: { children: ReactNode }) {
  return <div className="yaml-only" role="note"><strong>Edited in YAML</strong> — {props.children}</div>;
}
