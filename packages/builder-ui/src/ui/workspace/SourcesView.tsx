/** Sources: the configured instances of published connectors (secrets shown masked). */
import { useEffect, useState } from 'react';
import { SourceForm } from './SourceForm.js';
import { formatTime } from './format.js';
import { type WsSource, workspaceApi } from './workspace-api.js';

export function SourcesView() {
  const [sources, setSources] = useState<WsSource[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const load = () => workspaceApi.sources().then(setSources, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);

  const remove = async (source: WsSource) => {
    if (!confirm(`Delete source “${source.name}”?`)) return;
    await workspaceApi.deleteSource(source.id).catch((e: Error) => setError(e.message));
    void load();
  };

  return (
    <>
      <div className="ws-head">
        <div>
          <h2>Sources</h2>
          <p className="lede">A source is a published connector with its configuration. Secrets are stored encrypted and never shown again.</p>
        </div>
        {!adding ? <button type="button" className="primary" onClick={() => setAdding(true)}>+ New source</button> : null}
      </div>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      {adding ? (
        <section className="card">
          <div className="ws-card-head"><h3>New source</h3><button type="button" className="link" onClick={() => setAdding(false)}>Cancel</button></div>
          <SourceForm onCreated={() => { setAdding(false); void load(); }} />
        </section>
      ) : null}
      <section className="card">
        {sources === undefined ? <p className="help">Loading…</p> : sources.length === 0 ? <p className="help">No sources yet.</p> : (
          <table className="ws-table" aria-label="Sources">
            <thead><tr><th>Name</th><th>Connector</th><th>Configuration</th><th>Created</th><th /></tr></thead>
            <tbody>
              {sources.map((source) => (
                <tr key={source.id}>
                  <td className="strong">{source.name}</td>
                  <td>{source.connector.name} <span className="badge">{source.connector.version === 'latest' ? 'latest' : `v${source.connector.version}`}</span></td>
                  <td className="mono ws-config">{Object.entries(source.config).map(([key, value]) => <span key={key}>{key}: {typeof value === 'string' ? value : JSON.stringify(value)}</span>)}</td>
                  <td className="muted">{formatTime(source.createdAt)}</td>
                  <td><button type="button" className="small danger" onClick={() => void remove(source)} aria-label={`Delete source ${source.name}`}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
