/** The end of a sync: its status, totals, and what each stream read (and the destination wrote). */
import { formatBytes, formatCount, formatDuration } from './format.js';
import { StatusBadge } from './StatusBadge.js';
import type { SyncSummary } from './workspace-api.js';

export function SyncSummaryView(props: { summary: SyncSummary }) {
  const { summary } = props;
  const streams = Object.entries(summary.streams);
  return (
    <section className={`card ws-summary ws-summary-${summary.status}`} aria-label="Sync summary" data-testid="sync-summary">
      <div className="ws-card-head">
        <h3>Last sync <StatusBadge status={summary.status} /></h3>
        <span className="help mono">{summary.id}</span>
      </div>
      <div className="ws-stats">
        <div><span className="ws-stat" data-testid="summary-records">{formatCount(summary.records)}</span><span className="help">records</span></div>
        <div><span className="ws-stat">{formatBytes(summary.bytes)}</span><span className="help">read</span></div>
        <div><span className="ws-stat">{formatDuration(summary.durationMs)}</span><span className="help">duration</span></div>
      </div>
      {summary.error && summary.status === 'failed' ? <div className="error-box" role="alert">{summary.error}</div> : null}
      {streams.length > 0 ? (
        <table className="ws-table" aria-label="Records per stream">
          <thead><tr><th>Stream</th><th className="num">Records read</th><th className="num">Bytes</th>{summary.recordsWritten ? <th className="num">Rows written</th> : null}</tr></thead>
          <tbody>
            {streams.map(([name, stats]) => (
              <tr key={name} data-stream={name}>
                <td className="mono strong">{name}</td>
                <td className="num" data-testid={`summary-${name}`}>{formatCount(stats.records)}</td>
                <td className="num">{formatBytes(stats.bytes)}</td>
                {summary.recordsWritten ? <td className="num">{summary.recordsWritten[name] === undefined ? '—' : formatCount(summary.recordsWritten[name]!)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
