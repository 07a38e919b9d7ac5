/** Every sync of a connection, newest first. */
import { formatBytes, formatCount, formatDuration, formatTime } from './format.js';
import { StatusBadge } from './StatusBadge.js';
import type { SyncSummary } from './workspace-api.js';

export function SyncHistory(props: { syncs: SyncSummary[] | undefined }) {
  const { syncs } = props;
  return (
    <section className="card">
      <div className="ws-card-head"><h3>Sync history</h3>{syncs ? <span className="help">{syncs.length} sync{syncs.length === 1 ? '' : 's'}</span> : null}</div>
      {syncs === undefined ? <p className="help">Loading…</p> : syncs.length === 0 ? <p className="help">No syncs yet: press “Sync now”.</p> : (
        <table className="ws-table" aria-label="Sync history" data-testid="sync-history">
          <thead><tr><th>Started</th><th>Status</th><th className="num">Records</th><th className="num">Bytes</th><th className="num">Duration</th><th>Streams</th></tr></thead>
          <tbody>
            {syncs.map((sync) => (
              <tr key={sync.id} data-sync={sync.id}>
                <td>{formatTime(sync.startedAt)}</td>
                <td><StatusBadge status={sync.status} />{sync.error && sync.status === 'failed' ? <span className="error-text ws-error-line" title={sync.error}> {sync.error}</span> : null}</td>
                <td className="num" data-testid="history-records">{formatCount(sync.records)}</td>
                <td className="num">{formatBytes(sync.bytes)}</td>
                <td className="num">{formatDuration(sync.durationMs)}</td>
                <td className="mono muted">{Object.entries(sync.streams).map(([name, stats]) => `${name} ${formatCount(stats.records)}`).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
