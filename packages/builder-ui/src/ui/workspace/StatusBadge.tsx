import type { SyncStatus } from './workspace-api.js';

const LABELS: Record<SyncStatus, string> = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' };

export function StatusBadge(props: { status: SyncStatus }) {
  return <span className={`ws-status ws-status-${props.status}`} data-status={props.status}>{LABELS[props.status]}</span>;
}
