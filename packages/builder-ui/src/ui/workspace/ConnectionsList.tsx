/** Connections: each source → destination pair, with its last sync. */
import { useEffect, useState } from 'react';
import { formatCount, formatTime } from './format.js';
import { StatusBadge } from './StatusBadge.js';
import { type WsConnection, type WsDestination, type WsSource, workspaceApi } from './workspace-api.js';

export function ConnectionsList() {
  const [connections, setConnections] = useState<WsConnection[] | undefined>();
  const [sources, setSources] = useState<WsSource[]>([]);
  const [destinations, setDestinations] = useState<WsDestination[]>([]);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    workspaceApi.connections().then(setConnections, (e: Error) => setError(e.message));
    workspaceApi.sources().then(setSources, () => undefined);
    workspaceApi.destinations().then(setDestinations, () => undefined);
  }, []);
  const nameOf = (list: Array<{ id: string; name: string }>, id: string) => list.find((item) => item.id === id)?.name ?? id;

  return (
    <>
      <div className="ws-head">
        <div>
          <h2>Connections</h2>
          <p className="lede">A connection syncs the streams of a source into a destination, resuming incremental streams where the last sync stopped.</p>
        </div>
        <a className="button primary" href="#/connections/new">+ New connection</a>
      </div>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      <section className="card">
        {connections === undefined ? <p className="help">Loading…</p> : connections.length === 0 ? (
          <p className="help">No connections yet. Create a <a href="#/sources">source</a> and a <a href="#/destinations">destination</a>, then a connection between them.</p>
        ) : (
          <table className="ws-table" aria-label="Connections">
            <thead><tr><th>Name</th><th>Source → destination</th><th>Streams</th><th>Last sync</th><th /></tr></thead>
            <tbody>
              {connections.map((connection) => (
                <tr key={connection.id}>
                  <td className="strong"><a href={`#/connections/${encodeURIComponent(connection.id)}`}>{connection.name}</a></td>
                  <td>{nameOf(sources, connection.sourceId)} → {nameOf(destinations, connection.destinationId)}</td>
                  <td>{connection.streams.length}</td>
                  <td>
                    {connection.running ? <StatusBadge status="running" /> : connection.lastSync ? (
                      <><StatusBadge status={connection.lastSync.status} /> <span className="muted">{formatCount(connection.lastSync.records)} records · {formatTime(connection.lastSync.startedAt)}</span></>
                    ) : <span className="muted">never</span>}
                  </td>
                  <td><a className="button small" href={`#/connections/${encodeURIComponent(connection.id)}`}>Open</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
