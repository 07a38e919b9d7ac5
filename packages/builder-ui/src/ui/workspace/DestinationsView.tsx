/** Destinations: where connections write (DuckDB file, JSON Lines directory, Postgres, an Airbyte image). */
import { useEffect, useState } from 'react';
import { DestinationForm } from './DestinationForm.js';
import { formatTime } from './format.js';
import { type WsDestination, workspaceApi } from './workspace-api.js';

export function DestinationsView() {
  const [destinations, setDestinations] = useState<WsDestination[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const load = () => workspaceApi.destinations().then(setDestinations, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);

  const remove = async (destination: WsDestination) => {
    if (!confirm(`Delete destination “${destination.name}”? Its data stays where it is.`)) return;
    await workspaceApi.deleteDestination(destination.id).catch((e: Error) => setError(e.message));
    void load();
  };

  return (
    <>
      <div className="ws-head">
        <div>
          <h2>Destinations</h2>
          <p className="lede">Where connections write their records and the state they resume from.</p>
        </div>
        {!adding ? <button type="button" className="primary" onClick={() => setAdding(true)}>+ New destination</button> : null}
      </div>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      {adding ? (
        <section className="card">
          <div className="ws-card-head"><h3>New destination</h3><button type="button" className="link" onClick={() => setAdding(false)}>Cancel</button></div>
          <DestinationForm onCreated={() => { setAdding(false); void load(); }} />
        </section>
      ) : null}
      <section className="card">
        {destinations === undefined ? <p className="help">Loading…</p> : destinations.length === 0 ? <p className="help">No destinations yet.</p> : (
          <table className="ws-table" aria-label="Destinations">
            <thead><tr><th>Name</th><th>Type</th><th>Configuration</th><th>Created</th><th /></tr></thead>
            <tbody>
              {destinations.map((destination) => (
                <tr key={destination.id}>
                  <td className="strong">{destination.name}</td>
                  <td><span className="badge">{destination.config.type}</span></td>
                  <td className="mono ws-config">
                    {Object.entries(destination.config).filter(([key]) => key !== 'type').map(([key, value]) => <span key={key}>{key}: {typeof value === 'string' ? value : JSON.stringify(value)}</span>)}
                  </td>
                  <td className="muted">{formatTime(destination.createdAt)}</td>
                  <td><button type="button" className="small danger" onClick={() => void remove(destination)} aria-label={`Delete destination ${destination.name}`}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
