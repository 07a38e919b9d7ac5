/** A new connection: source, destination, and the source's streams with a sync mode each. */
import { useEffect, useState } from 'react';
import { go } from './routes.js';
import { SYNC_MODE_LABELS, type SyncMode, type WsDestination, type WsSchedule, type WsSource, type WsStream, workspaceApi } from './workspace-api.js';

interface StreamChoice {
  selected: boolean;
  syncMode: SyncMode;
}

export function NewConnection() {
  const [sources, setSources] = useState<WsSource[] | undefined>();
  const [destinations, setDestinations] = useState<WsDestination[] | undefined>();
  const [sourceId, setSourceId] = useState('');
  const [destinationId, setDestinationId] = useState('');
  const [name, setName] = useState('');
  const [streams, setStreams] = useState<WsStream[] | undefined>();
  const [choices, setChoices] = useState<Record<string, StreamChoice>>({});
  const [discovering, setDiscovering] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [scheduleKind, setScheduleKind] = useState<'manual' | 'interval' | 'cron'>('manual');
  const [scheduleValue, setScheduleValue] = useState('');

  useEffect(() => {
    workspaceApi.sources().then((list) => { setSources(list); if (list[0]) setSourceId(list[0].id); }, (e: Error) => setError(e.message));
    workspaceApi.destinations().then((list) => { setDestinations(list); if (list[0]) setDestinationId(list[0].id); }, (e: Error) => setError(e.message));
  }, []);

  // Discovering runs the source (it may call its API): once per picked source and destination
  // (a destination may not write every mode, e.g. JSON Lines cannot deduplicate).
  useEffect(() => {
    if (!sourceId || !destinationId) return;
    let live = true;
    setStreams(undefined);
    setDiscovering(true);
    setError(undefined);
    workspaceApi.streams(sourceId, destinationId).then(
      (found) => {
        if (!live) return;
        setStreams(found);
        setChoices(Object.fromEntries(found.map((s) => [s.name, { selected: true, syncMode: s.defaultSyncMode }])));
      },
      (e: Error) => live && setError(`Discovering the streams failed: ${e.message}`),
    ).finally(() => live && setDiscovering(false));
    return () => { live = false; };
  }, [sourceId, destinationId]);

  const source = sources?.find((s) => s.id === sourceId);
  const destination = destinations?.find((d) => d.id === destinationId);
  const suggested = source && destination ? `${source.name} → ${destination.name}` : '';
  const picked = streams?.filter((s) => choices[s.name]?.selected) ?? [];

  // The server checks the schedule and names what is wrong (shown below the form).
  const schedule: WsSchedule | undefined =
    scheduleKind === 'interval' ? { intervalMinutes: Number(scheduleValue) } : scheduleKind === 'cron' ? { cron: scheduleValue.trim() } : undefined;

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const connection = await workspaceApi.createConnection({
        name: (name.trim() || suggested),
        source: sourceId,
        destination: destinationId,
        streams: picked.map((s) => ({ name: s.name, syncMode: choices[s.name]!.syncMode, ...(s.namespace ? { namespace: s.namespace } : {}) })),
        ...(schedule ? { schedule } : {}),
      });
      go(`#/connections/${encodeURIComponent(connection.id)}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  if (sources === undefined || destinations === undefined) return error ? <div className="error-box" role="alert">{error}</div> : <p className="help">Loading…</p>;
  if (sources.length === 0 || destinations.length === 0) {
    return (
      <section className="card">
        <h2>New connection</h2>
        <p className="help">A connection needs {sources.length === 0 ? <a href="#/sources">a source</a> : null}{sources.length === 0 && destinations.length === 0 ? ' and ' : null}{destinations.length === 0 ? <a href="#/destinations">a destination</a> : null} first.</p>
      </section>
    );
  }
  return (
    <form className="ws-stack" aria-label="New connection" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <div className="ws-head"><div><h2>New connection</h2><p className="lede">Pick what to read, where to write it, and how each stream syncs.</p></div></div>
      <section className="card">
        <div className="grid2">
          <div className="field">
            <label htmlFor="connection-source">Source</label>
            <select id="connection-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
              {sources.map((s) => <option key={s.id} value={s.id}>{s.name} ({s.connector.name})</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="connection-destination">Destination</label>
            <select id="connection-destination" value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
              {destinations.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.config.type})</option>)}
            </select>
          </div>
          <div className="field wide">
            <label htmlFor="connection-name">Connection name</label>
            <input id="connection-name" placeholder={suggested} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="connection-schedule">Schedule</label>
            <select id="connection-schedule" value={scheduleKind} onChange={(e) => { setScheduleKind(e.target.value as typeof scheduleKind); setScheduleValue(e.target.value === 'interval' ? '60' : e.target.value === 'cron' ? '0 * * * *' : ''); }}>
              <option value="manual">Manual (Sync now only)</option>
              <option value="interval">Every N minutes</option>
              <option value="cron">Cron expression (UTC)</option>
            </select>
          </div>
          {scheduleKind === 'manual' ? null : (
            <div className="field">
              <label htmlFor="connection-schedule-value">{scheduleKind === 'interval' ? 'Minutes between syncs' : 'Cron (minute hour day month weekday)'}</label>
              <input id="connection-schedule-value" inputMode={scheduleKind === 'interval' ? 'numeric' : 'text'} value={scheduleValue} onChange={(e) => setScheduleValue(e.target.value)} />
              <p className="help">Run by the Builder server's scheduler while it is up, or by <code>manifold scheduler</code>.</p>
            </div>
          )}
        </div>
      </section>
      <section className="card">
        <div className="ws-card-head">
          <h3>Streams</h3>
          {streams ? <span className="help">{picked.length} of {streams.length} selected</span> : null}
        </div>
        {discovering ? <p className="help"><span className="ws-spinner" aria-hidden /> Discovering streams…</p> : null}
        {streams ? (
          <table className="ws-table" aria-label="Streams">
            <thead><tr><th><span className="sr-only">Sync</span></th><th>Stream</th><th>Sync mode</th><th>Cursor</th><th>Primary key</th></tr></thead>
            <tbody>
              {streams.map((stream) => {
                const choice = choices[stream.name]!;
                const set = (next: Partial<StreamChoice>) => setChoices({ ...choices, [stream.name]: { ...choice, ...next } });
                return (
                  <tr key={stream.name} className={choice.selected ? '' : 'ws-off'}>
                    <td><input type="checkbox" aria-label={`Sync ${stream.name}`} checked={choice.selected} onChange={(e) => set({ selected: e.target.checked })} /></td>
                    <td className="mono strong">{stream.name}</td>
                    <td>
                      <select aria-label={`Sync mode of ${stream.name}`} value={choice.syncMode} disabled={!choice.selected} onChange={(e) => set({ syncMode: e.target.value as SyncMode })}>
                        {stream.syncModes.map((mode) => <option key={mode} value={mode}>{SYNC_MODE_LABELS[mode]}</option>)}
                      </select>
                    </td>
                    <td className="mono muted">{stream.defaultCursorField.join('.') || '—'}</td>
                    <td className="mono muted">{stream.primaryKey.map((path) => path.join('.')).join(', ') || '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      <div className="ws-actions">
        <a className="button" href="#/connections">Cancel</a>
        <button type="submit" className="primary" disabled={busy || picked.length === 0 || !destinationId}>{busy ? 'Creating…' : 'Create connection'}</button>
      </div>
    </form>
  );
}
