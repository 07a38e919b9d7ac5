/** Creates a source from a published connector: connector, version, name and the spec's config form. */
import { useEffect, useMemo, useState } from 'react';
import { missingRequired, toConfig, type TestingValues } from '../../model/testing-values.js';
import { SpecForm, specInputs } from './SpecForm.js';
import { type WsConnector, type WsSource, workspaceApi } from './workspace-api.js';

export function SourceForm(props: { onCreated: (source: WsSource) => void }) {
  const [connectors, setConnectors] = useState<WsConnector[] | undefined>();
  const [connectorName, setConnectorName] = useState('');
  const [version, setVersion] = useState<'latest' | number>('latest');
  const [name, setName] = useState('');
  const [values, setValues] = useState<TestingValues>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    workspaceApi.connectors().then((list) => {
      setConnectors(list);
      if (list[0]) setConnectorName(list[0].name);
    }, (e: Error) => setError(e.message));
  }, []);

  const connector = connectors?.find((c) => c.name === connectorName);
  const spec = connector ? (version === 'latest' ? connector.versions[connector.versions.length - 1] : connector.versions.find((v) => v.version === version))?.spec : undefined;
  const inputs = useMemo(() => specInputs(spec), [spec]);
  const missing = missingRequired(inputs, values);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const source = await workspaceApi.createSource({ name: name.trim(), connector: connectorName, version, config: toConfig(inputs, values) });
      setValues({});
      setName('');
      props.onCreated(source);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (connectors === undefined) return <p className="help">Loading connectors…</p>;
  if (connectors.length === 0) {
    return <p className="help">No published connectors yet. Open a connector in the <a href="#/">Builder</a> and press Publish: its versions appear here.</p>;
  }
  return (
    <form className="ws-form" aria-label="New source" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <div className="grid2">
        <div className="field">
          <label htmlFor="source-connector">Connector</label>
          <select id="source-connector" value={connectorName} onChange={(e) => { setConnectorName(e.target.value); setVersion('latest'); setValues({}); }}>
            {connectors.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="source-version">Version</label>
          <select id="source-version" value={String(version)} onChange={(e) => setVersion(e.target.value === 'latest' ? 'latest' : Number(e.target.value))}>
            <option value="latest">latest (v{connector?.latest_version}, follows new versions)</option>
            {[...(connector?.versions ?? [])].reverse().map((v) => (
              <option key={v.version} value={v.version}>v{v.version}{v.description ? ` — ${v.description}` : ''}</option>
            ))}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor="source-name">Source name<span className="req">*</span></label>
          <input id="source-name" placeholder="e.g. shop-production" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <h4>Configuration</h4>
      {spec === null ? <p className="error-text">This connector version has no spec the form can read.</p> : <SpecForm idPrefix="source-config" inputs={inputs} values={values} onChange={setValues} />}
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      <div className="ws-actions">
        {missing.length > 0 ? <span className="help">Required: {missing.map((key) => <code key={key}>{key}</code>)}</span> : null}
        <button type="submit" className="primary" disabled={busy || !name.trim() || missing.length > 0}>{busy ? 'Creating…' : 'Create source'}</button>
      </div>
    </form>
  );
}
