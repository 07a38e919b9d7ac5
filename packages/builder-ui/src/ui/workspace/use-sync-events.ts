/**
 * Follows a connection's sync over Server-Sent Events: progress while it runs, then its summary.
 * The server ends the stream after the summary; the EventSource is closed then, or it would
 * reconnect and get the summary again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type SyncProgressEvent, type SyncSummary, workspaceApi } from './workspace-api.js';

export interface SyncEvents {
  progress: SyncProgressEvent | undefined;
  summary: SyncSummary | undefined;
  following: boolean;
  /** Starts (or restarts) following: after POST .../sync, or when the page finds a sync running. */
  follow: () => void;
}

export function useSyncEvents(connectionId: string, onSummary: (summary: SyncSummary) => void): SyncEvents {
  const [progress, setProgress] = useState<SyncProgressEvent | undefined>();
  const [summary, setSummary] = useState<SyncSummary | undefined>();
  const [following, setFollowing] = useState(false);
  const source = useRef<EventSource | undefined>(undefined);
  const summaryListener = useRef(onSummary);
  summaryListener.current = onSummary;

  const stop = () => {
    source.current?.close();
    source.current = undefined;
    setFollowing(false);
  };

  const follow = useCallback(() => {
    source.current?.close();
    const events = new EventSource(workspaceApi.eventsUrl(connectionId));
    source.current = events;
    setFollowing(true);
    setSummary(undefined);
    events.addEventListener('progress', (event) => setProgress(JSON.parse((event as MessageEvent<string>).data) as SyncProgressEvent));
    events.addEventListener('summary', (event) => {
      const done = JSON.parse((event as MessageEvent<string>).data) as SyncSummary;
      setSummary(done);
      stop();
      summaryListener.current(done);
    });
    events.addEventListener('idle', stop);
    events.onerror = () => {
      // The server closed without a summary (restart): stop rather than retry forever.
      if (events.readyState === EventSource.CLOSED) stop();
    };
  }, [connectionId]);

  useEffect(() => () => source.current?.close(), []);
  return { progress, summary, following, follow };
}
