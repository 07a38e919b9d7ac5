/** One connection: its streams, "Sync now", the live progress of a running sync, its summary and the history. */
import { useEffect, useState } from 'react';
import { go } from './routes.js';
import { SyncHistory } from './SyncHistory.js';
import { SyncProgressView } from './SyncProgressView.js';
import { SyncSummaryView } from './SyncSummaryView.js';
import { useSyncEvents } from './use-sync-events.js';
import { SYNC_MODE_LABELS, type SyncSummary, type WsConnection, type WsDestination, type WsSource, workspaceApi } from './workspace-api.js';

export function ConnectionPage(props: { id: string }) {
  const [connection, setConnection] = useState<WsConnection | undefined>();
  const [source, setSource] = useState<WsSource | undefined>();
  const [destination, setDestination] = useState<WsDestination | undefined>();
  const [history, setHistory] = useState<SyncSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();

  const loadHistory = () => workspaceApi.history(props.id).then(setHistory, (e: Error) => setError(e.message));
  const events = useSyncEvents(props.id, () => {
    setCancelling(false);
    void loadHistory();
  });

  useEffect(() => {
    workspaceApi.connection(props.id).then((found) => {
      setConnection(found);
      if (found.running) events.follow();
      workspaceApi.sources().then((list) => setSource(list.find((s) => s.id === found.sourceId)), () => undefined);
      workspaceApi.destinations().then((list) => setDestination(list.find((d) => d.id === found.destinationId)), () => undefined);
    }, (e: Error) => setError(e.message));
    void loadHistory();
  }, [props.id]);

  const syncNow = async () => {
    setStarting(true);
    setError(undefined);
    try {
      setNotice(undefined);
      await workspaceApi.sync(props.id);
      events.follow();
      void loadHistory();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };
  const cancel = async () => {
    setCancelling(true);
    await workspaceApi.cancel(props.id).catch((e: Error) => { setError(e.message); setCancelling(false); });
  };
  const reset = async () => {
    if (!connection || !confirm(`Reset “${connection.name}”? Its streams' rows and saved state are removed from the destination; the next sync reads everything again.`)) return;
    setError(undefined);
    await workspaceApi.reset(props.id).then((answer) => setNotice(`Reset ${answer.reset.join(', ')}: the next sync starts from the beginning.`), (e: Error) => setError(e.message));
  };
  const remove = async () => {
    if (!connection || !confirm(`Delete connection “${connection.name}”? The data already written stays in the destination.`)) return;
    await workspaceApi.deleteConnection(props.id).then(() => go('#/connections'), (e: Error) => setError(e.message));
  };

  if (!connection) return error ? <div className="error-box" role="alert">{error}</div> : <p className="help">Loading…</p>;
  const running = events.following;
  const lastSummary = events.summary ?? (history?.[0] && history[0].status !== 'running' ? history[0] : undefined);

  return (
    <>
      <div className="ws-head">
        <div>
          <a className="ws-back" href="#/connections">← Connections</a>
          <h2>{connection.name}</h2>
          <p className="lede">
            <span className="strong">{source?.name ?? '…'}</span> <span className="muted">({source?.connector.name})</span> → <span className="strong">{destination?.name ?? '…'}</span>{' '}
            <span className="muted">({destination?.config.type}{typeof destination?.config.path === 'string' ? ` · ${destination.config.path}` : ''})</span>
          </p>
        </div>
        <div className="ws-head-actions">
          <button type="button" className="small" onClick={() => void reset()} disabled={running}>Reset data</button>
          <button type="button" className="small danger" onClick={() => void remove()} disabled={running}>Delete</button>
          <button type="button" className="primary ws-sync-now" onClick={() => void syncNow()} disabled={running || starting}>
            {running || starting ? <><span className="ws-spinner light" aria-hidden /> Syncing…</> : 'Sync now'}
          </button>
        </div>
      </div>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      {notice ? <div className="ok-box" role="status">{notice}</div> : null}
      {running ? <SyncProgressView progress={events.progress} streams={connection.streams} onCancel={() => void cancel()} cancelling={cancelling} /> : null}
      {!running && lastSummary ? <SyncSummaryView summary={lastSummary} /> : null}
      <section className="card">
        <div className="ws-card-head"><h3>Streams</h3><span className="help">{connection.streams.length} stream{connection.streams.length === 1 ? '' : 's'}</span></div>
        <table className="ws-table" aria-label="Connection streams">
          <thead><tr><th>Stream</th><th>Sync mode</th></tr></thead>
          <tbody>
            {connection.streams.map((stream) => (
              <tr key={stream.name}><td className="mono strong">{stream.name}</td><td>{SYNC_MODE_LABELS[stream.syncMode]}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <SyncHistory syncs={history} />
    </>
  );
}
