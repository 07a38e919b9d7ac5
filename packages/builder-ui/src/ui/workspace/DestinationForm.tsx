/** Creates a destination: a type (DuckDB by default, with a file in the workspace) and its config form. */
import { useEffect, useMemo, useState } from 'react';
import { missingRequired, toConfig, type TestingValues } from '../../model/testing-values.js';
import { SpecForm, specInputs } from './SpecForm.js';
import { type WsDestination, type WsDestinationType, workspaceApi } from './workspace-api.js';

export function DestinationForm(props: { onCreated: (destination: WsDestination) => void }) {
  const [types, setTypes] = useState<WsDestinationType[] | undefined>();
  const [type, setType] = useState('duckdb');
  const [defaultPath, setDefaultPath] = useState('');
  const [name, setName] = useState('warehouse');
  const [values, setValues] = useState<TestingValues>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    workspaceApi.destinationTypes().then((answer) => {
      setTypes(answer.types);
      setType(answer.default.type);
      setDefaultPath(answer.default.path);
      setValues({ path: answer.default.path });
    }, (e: Error) => setError(e.message));
  }, []);

  const spec = types?.find((t) => t.type === type)?.spec;
  const inputs = useMemo(() => specInputs(spec, ['type']), [spec]);
  const missing = missingRequired(inputs, values);

  const pick = (next: string) => {
    setType(next);
    setValues(next === 'duckdb' ? { path: defaultPath } : {});
  };
  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onCreated(await workspaceApi.createDestination({ name: name.trim(), config: { type, ...toConfig(inputs, values) } }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (types === undefined) return error ? <div className="error-box" role="alert">{error}</div> : <p className="help">Loading destination types…</p>;
  return (
    <form className="ws-form" aria-label="New destination" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <div className="ws-type-picker" role="radiogroup" aria-label="Destination type">
        {types.map((t) => (
          <label key={t.type} className={`ws-type${t.type === type ? ' on' : ''}`}>
            <input type="radio" name="destination-type" value={t.type} checked={t.type === type} onChange={() => pick(t.type)} />
            <span className="strong">{t.title}</span>
            {t.type === 'duckdb' ? <span className="badge">default</span> : null}
          </label>
        ))}
      </div>
      <div className="grid2">
        <div className="field">
          <label htmlFor="destination-name">Destination name<span className="req">*</span></label>
          <input id="destination-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <SpecForm idPrefix="destination-config" inputs={inputs} values={values} onChange={setValues} />
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      <div className="ws-actions">
        {missing.length > 0 ? <span className="help">Required: {missing.map((key) => <code key={key}>{key}</code>)}</span> : null}
        <button type="submit" className="primary" disabled={busy || !name.trim() || missing.length > 0}>{busy ? 'Creating…' : 'Create destination'}</button>
      </div>
    </form>
  );
}
