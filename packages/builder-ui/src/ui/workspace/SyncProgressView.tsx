/** A running sync: phase, elapsed time, an activity bar, and records per stream as they arrive. */
import { useEffect, useState } from 'react';
import { formatBytes, formatCount, formatDuration } from './format.js';
import type { SyncProgressEvent, WsConnectionStream } from './workspace-api.js';

const PHASES: Record<SyncProgressEvent['phase'], string> = {
  discovering: 'Discovering streams',
  reading: 'Reading records',
  finishing: 'Committing to the destination',
  done: 'Done',
};

export function SyncProgressView(props: { progress: SyncProgressEvent | undefined; streams: WsConnectionStream[]; onCancel: () => void; cancelling: boolean }) {
  const { progress, streams } = props;
  // Between events the clock keeps going, from the server's elapsed time.
  const [received, setReceived] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  useEffect(() => setReceived(Date.now()), [progress]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const elapsed = (progress?.elapsedMs ?? 0) + Math.max(0, now - received);

  return (
    <section className="card ws-progress" aria-label="Sync progress" data-testid="sync-progress">
      <div className="ws-card-head">
        <h3><span className="ws-spinner" aria-hidden /> Syncing — {PHASES[progress?.phase ?? 'discovering']}</h3>
        <button type="button" className="small danger" onClick={props.onCancel} disabled={props.cancelling}>{props.cancelling ? 'Cancelling…' : 'Cancel sync'}</button>
      </div>
      <div className="ws-bar" role="progressbar" aria-label="Sync running" aria-busy="true"><span /></div>
      <div className="ws-stats">
        <div><span className="ws-stat" data-testid="progress-records">{formatCount(progress?.records ?? 0)}</span><span className="help">records</span></div>
        <div><span className="ws-stat">{formatBytes(progress?.bytes ?? 0)}</span><span className="help">read</span></div>
        <div><span className="ws-stat" data-testid="progress-elapsed">{formatDuration(Math.round(elapsed / 100) * 100)}</span><span className="help">elapsed</span></div>
        <div><span className="ws-stat">{progress?.checkpoints ?? 0}</span><span className="help">checkpoints</span></div>
      </div>
      <table className="ws-table" aria-label="Stream progress">
        <thead><tr><th>Stream</th><th className="num">Records</th><th className="num">Bytes</th><th className="num">Pages</th><th>Status</th></tr></thead>
        <tbody>
          {streams.map((stream) => {
            const p = progress?.streams[stream.name];
            return (
              <tr key={stream.name} data-stream={stream.name}>
                <td className="mono strong">{stream.name}</td>
                <td className="num" data-testid={`progress-${stream.name}`}>{formatCount(p?.records ?? 0)}</td>
                <td className="num">{formatBytes(p?.bytes ?? 0)}</td>
                <td className="num">{p?.pages ?? 0}</td>
                <td className="muted">{streamStatus(p?.status)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function streamStatus(status: string | undefined): string {
  switch (status) {
    case 'STARTED':
      return 'started';
    case 'RUNNING':
      return 'reading…';
    case 'COMPLETE':
      return '✓ complete';
    case 'INCOMPLETE':
      return 'incomplete';
    default:
      return 'waiting';
  }
}
