import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Document } from 'yaml';
import { api, ApiError, type Connector, type Project, type StreamRead } from '../api.js';
import {
  addStream, applyGlobal, guessInput, missingInputs, applyInputs, applyStream, deleteStream, duplicateStream, moveStream, readGlobal, readInputs,
  readStream, streamCount, streamName, uniqueName,
} from '../model/form.js';
import { isPlainObject, type Obj } from '../model/refs.js';
import { toConfig, type TestingValues } from '../model/testing-values.js';
import { parseManifest, patchDocument, stringifyChecked, type YamlProblem } from '../model/yaml-sync.js';
import type { ComponentContext } from './ComponentEditor.js';
import { GlobalPanel, InputsPanel, StreamPanel, type ManifestError } from './panels.js';
import { TestPanel, type Limits } from './TestPanel.js';
import { YamlEditor } from './YamlEditor.js';

type View = { kind: 'global' } | { kind: 'inputs' } | { kind: 'stream'; index: number };
type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function readLastView(id: string): View | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(`builder:view:${id}`) ?? 'null') as View | null;
    return v && (v.kind === 'global' || v.kind === 'inputs' || (v.kind === 'stream' && Number.isInteger(v.index))) ? v : undefined;
  } catch {
    return undefined;
  }
}

function writeLastView(id: string, v: View): void {
  try {
    localStorage.setItem(`builder:view:${id}`, JSON.stringify(v));
  } catch {
    /* private mode */
  }
}

function streamErrorIndex(path: string | undefined): number | undefined {
  const m = path ? /^streams(?:\[|\.)(\d+)/.exec(path) : null;
  return m ? Number(m[1]) : undefined;
}

export function Editor(props: { id: string; onBack: () => void }) {
  const [project, setProject] = useState<Project>();
  const [loadError, setLoadError] = useState<string>();
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [manifest, setManifest] = useState<Obj>({});
  const [yamlErrors, setYamlErrors] = useState<YamlProblem[]>([]);
  const [serverErrors, setServerErrors] = useState<ManifestError[]>([]);
  const [view, setView] = useState<View>({ kind: 'global' });
  const [mode, setMode] = useState<'form' | 'yaml'>('form');
  const [save, setSave] = useState<SaveState>('saved');
  const [gotoLine, setGotoLine] = useState<{ line: number; n: number }>();
  const [dialog, setDialog] = useState<'publish' | 'contribute' | undefined>();
  // testing: memory only
  const [values, setValues] = useState<TestingValues>({});
  const [limits, setLimits] = useState<Limits>({ records: 100, pages: 5, slices: 5 });
  const [running, setRunning] = useState(false);
  // the last test read of each stream: switching streams never shows another stream's records
  const [reads, setReads] = useState<Record<string, { result?: StreamRead; error?: string }>>({});
  const [adding, setAdding] = useState<{ name: string; path: string } | undefined>();
  // after a stream is added from the keyboard, focus moves to its form (not back to the page top)
  const [focusForm, setFocusForm] = useState(0);
  const mainRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusForm) mainRef.current?.querySelector<HTMLElement>('.panel-head h2')?.focus();
  }, [focusForm]);

  const docRef = useRef<Document | null>(null);
  const textRef = useRef('');
  const savedRef = useRef({ name: '', text: '' });
  const docDirty = useRef(false);
  const textTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flushText = useCallback(() => {
    if (docDirty.current && docRef.current) {
      textRef.current = stringifyChecked(docRef.current, manifestRef.current);
      docDirty.current = false;
    }
    return textRef.current;
  }, []);
  const manifestRef = useRef<Obj>({});
  const setManifestBoth = useCallback((m: Obj) => {
    manifestRef.current = m;
    setManifest(m);
  }, []);

  useEffect(() => {
    api.getProject(props.id).then((p) => {
      setProject(p);
      setName(p.name);
      textRef.current = p.manifest;
      setText(p.manifest);
      savedRef.current = { name: p.name, text: p.manifest };
      const parsed = parseManifest(p.manifest);
      if (parsed.value) {
        docRef.current = parsed.doc;
        setManifestBoth(parsed.value);
        // pick up where you left off (the view only; testing values are never stored)
        const last = readLastView(p.id);
        if (last) setView(last);
        else if (streamCount(parsed.value) > 0 && readGlobal(parsed.value).urlBase) setView({ kind: 'stream', index: 0 });
      } else {
        setYamlErrors(parsed.errors);
        setMode('yaml');
      }
    }, (e: Error) => setLoadError(e.message));
  }, [props.id, setManifestBoth]);

  useEffect(() => {
    if (project) writeLastView(project.id, view);
  }, [project, view]);

  // ── edits ────────────────────────────────────────────────────────────────────────────────
  const edit = useCallback((fn: (m: Obj) => Obj) => {
    const m = manifestRef.current;
    const next = fn(m);
    if (next === m) return;
    let doc = docRef.current;
    if (doc) doc = patchDocument(doc, next);
    else {
      doc = parseManifest('{}').doc;
      doc.contents = doc.createNode(next);
    }
    docRef.current = doc;
    // the YAML text is produced a moment later (typing in a big manifest stays fast); anything
    // that needs it now calls flushText()
    docDirty.current = true;
    setManifestBoth(next);
    setSave('dirty');
    if (textTimer.current) clearTimeout(textTimer.current);
    textTimer.current = setTimeout(() => setText(flushText()), 150);
  }, [setManifestBoth, flushText]);

  const onYamlChange = useCallback((t: string) => {
    if (t === textRef.current) return;
    textRef.current = t;
    setText(t);
    setSave('dirty');
  }, []);

  // parse YAML typed in the editor (debounced)
  const parseText = useDebounced(text, 250);
  useEffect(() => {
    if (!project) return;
    const parsed = parseManifest(parseText);
    setYamlErrors(parsed.errors);
    if (parsed.value && !docDirty.current && parseText === textRef.current) {
      docRef.current = parsed.doc;
      if (JSON.stringify(manifestRef.current) !== JSON.stringify(parsed.value)) setManifestBoth(parsed.value);
    }
  }, [parseText, project, setManifestBoth]);

  /** Parse the YAML now (switching to the form right after typing must not show stale values). */
  const syncFromText = useCallback((): boolean => {
    if (docDirty.current) return true;
    const parsed = parseManifest(textRef.current);
    setYamlErrors(parsed.errors);
    if (!parsed.value) return false;
    docRef.current = parsed.doc;
    if (JSON.stringify(manifestRef.current) !== JSON.stringify(parsed.value)) setManifestBoth(parsed.value);
    return true;
  }, [setManifestBoth]);
  const toForm = useCallback(() => {
    if (syncFromText()) setMode('form');
  }, [syncFromText]);

  // validation by the server (debounced)
  const validateText = useDebounced(text, 700);
  useEffect(() => {
    if (!project || validateText.trim() === '' || parseManifest(validateText).errors.length) return;
    let live = true;
    api.resolve(validateText).then(
      () => live && setServerErrors([]),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status !== 0) setServerErrors([{ message: e.body.detail, path: e.body.path, line: e.body.line }]);
      },
    );
    return () => {
      live = false;
    };
  }, [validateText, project]);

  // autosave (debounced)
  const doSave = useCallback(async () => {
    if (!project) return;
    const snapshot = { name, text: flushText() };
    if (snapshot.name === savedRef.current.name && snapshot.text === savedRef.current.text) {
      setSave('saved');
      return;
    }
    setSave('saving');
    try {
      await api.saveProject(project.id, { name: snapshot.name, manifest: snapshot.text });
      savedRef.current = snapshot;
      setSave(!docDirty.current && textRef.current === snapshot.text ? 'saved' : 'dirty');
    } catch {
      setSave('error');
    }
  }, [project, name, flushText]);
  const saveKey = useDebounced(`${name}\u0000${text}`, 800);
  useEffect(() => {
    void doSave();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saveKey]);

  // ── derived form state ───────────────────────────────────────────────────────────────────
  const formBlocked = yamlErrors.length > 0;
  const count = streamCount(manifest);
  const names = useMemo(() => Array.from({ length: count }, (_, i) => streamName(manifest, i)), [manifest, count]);
  const global = useMemo(() => readGlobal(manifest), [manifest]);
  const inputs = useMemo(() => readInputs(manifest), [manifest]);
  const missing = useMemo(() => missingInputs(manifest), [manifest]);
  const addMissing = () => edit((m) => applyInputs(m, [...readInputs(m), ...missingInputs(m).map(guessInput)]));
  const streamIndex = view.kind === 'stream' && view.index < count ? view.index : undefined;
  const stream = useMemo(() => (streamIndex !== undefined ? readStream(manifest, streamIndex) : undefined), [manifest, streamIndex]);
  const testIndex = streamIndex ?? (count > 0 ? 0 : undefined);
  const testStream = testIndex !== undefined ? names[testIndex] : undefined;
  const declaredSchema = useMemo(() => (testIndex !== undefined ? readStream(manifest, testIndex).schema : undefined), [manifest, testIndex]);
  const ctx: ComponentContext = useMemo(() => ({
    streams: names.map((n, i) => {
      const raw = Array.isArray(manifest.streams) ? manifest.streams[i] : undefined;
      const pointer = isPlainObject(raw) && typeof raw.$ref === 'string' && Object.keys(raw).length === 1 ? raw.$ref : `#/streams/${i}`;
      return { name: n, pointer };
    }),
  }), [names, manifest]);
  const errorsByStream = useMemo(() => {
    const map = new Map<number, ManifestError[]>();
    for (const e of serverErrors) {
      const i = streamErrorIndex(e.path);
      if (i !== undefined) map.set(i, [...(map.get(i) ?? []), e]);
    }
    return map;
  }, [serverErrors]);
  const globalErrors = serverErrors.filter((e) => streamErrorIndex(e.path) === undefined);

  // ── actions ──────────────────────────────────────────────────────────────────────────────
  const run = useCallback(async () => {
    if (testStream === undefined || running) return;
    setRunning(true);
    const stream = testStream;
    setReads((r) => ({ ...r, [stream]: { result: r[stream]?.result } }));
    try {
      const r = await api.read({
        manifest: flushText(), config: toConfig(inputs, values), stream: testStream,
        record_limit: limits.records, page_limit: limits.pages, slice_limit: limits.slices,
      });
      setReads((all) => ({ ...all, [stream]: { result: r } }));
      if (r.latest_config_update) {
        const next: TestingValues = { ...values };
        for (const [k, v] of Object.entries(r.latest_config_update)) if (v !== '****' && v !== undefined) next[k] = typeof v === 'string' ? v : JSON.stringify(v);
        setValues(next);
      }
    } catch (e) {
      const b = e instanceof ApiError ? e.body : undefined;
      setReads((all) => ({ ...all, [stream]: { error: `${(e as Error).message}${b?.path ? ` (at ${b.path}${b.line ? `, line ${b.line}` : ''})` : b?.line ? ` (line ${b.line})` : ''}` } }));
    } finally {
      setRunning(false);
    }
  }, [testStream, running, inputs, values, limits, flushText]);

  const addNewStream = () => {
    if (!adding) return;
    const n = uniqueName(manifest, adding.name.trim() || 'new_stream');
    const path = adding.path.trim() || `/${n}`;
    edit((m) => addStream(m, n, path.startsWith('/') || path.startsWith('{{') ? path : `/${path}`));
    setView({ kind: 'stream', index: count });
    setAdding(undefined);
    setMode('form');
    setFocusForm((n) => n + 1);
  };

  const download = async () => {
    await doSave();
    const a = document.createElement('a');
    a.href = api.downloadUrl(props.id);
    a.download = 'manifest.yaml';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  // keyboard: Ctrl+Enter test, Ctrl+S save, Ctrl+Shift+Y toggle YAML
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog) return; // the open dialog has the keyboard
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === 'Enter') { e.preventDefault(); void run(); }
      else if (mod && e.key.toLowerCase() === 's') { e.preventDefault(); void doSave(); }
      else if (mod && e.shiftKey && e.key.toLowerCase() === 'y') { e.preventDefault(); if (mode === 'yaml') toForm(); else { setText(flushText()); setMode('yaml'); } }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, doSave, flushText, mode, toForm, dialog]);

  if (loadError) return <div className="center"><div className="error-box">{loadError}</div><button type="button" onClick={props.onBack}>Back to connectors</button></div>;
  if (!project) return <div className="center help">Loading…</div>;

  const problems = [
    ...yamlErrors.map((e) => ({ line: e.line, message: e.message })),
    ...serverErrors.map((e) => ({ line: e.line, message: `${e.message}${e.path ? ` (${e.path})` : ''}` })),
  ];

  return (
    <div className="app">
      <header className="topbar">
        <button type="button" className="brand link-like" onClick={props.onBack} title="All connectors"><span className="logo">M</span></button>
        <input className="project-name" aria-label="Connector name" value={name} onChange={(e) => { setName(e.target.value); setSave('dirty'); }} />
        <span className={`save-state ${save}`} data-testid="save-state">{save === 'saved' ? 'Saved' : save === 'saving' ? 'Saving…' : save === 'error' ? 'Not saved — server unreachable' : 'Unsaved changes'}</span>
        <div className="spacer" />
        <div className="mode-toggle" role="tablist" aria-label="View">
          <button type="button" role="tab" aria-selected={mode === 'form'} className={mode === 'form' ? 'on' : ''} disabled={formBlocked && mode === 'yaml'} title={formBlocked ? 'Fix the YAML errors first' : 'Ctrl+Shift+Y'} onClick={toForm}>Form</button>
          <button type="button" role="tab" aria-selected={mode === 'yaml'} className={mode === 'yaml' ? 'on' : ''} title="Ctrl+Shift+Y" onClick={() => { setText(flushText()); setMode('yaml'); }}>YAML</button>
        </div>
        <button type="button" onClick={() => void download()}>Download YAML</button>
        <button type="button" onClick={() => setDialog('contribute')}>Contribute</button>
        <button type="button" className="primary" onClick={() => setDialog('publish')}>Publish</button>
      </header>
      <div className="workspace">
        <nav className="sidebar" aria-label="Connector parts">
          <button type="button" className={`nav-item${view.kind === 'global' ? ' on' : ''}${globalErrors.length ? ' err' : ''}`} onClick={() => setView({ kind: 'global' })}>Global configuration</button>
          <button type="button" className={`nav-item${view.kind === 'inputs' ? ' on' : ''}`} onClick={() => setView({ kind: 'inputs' })}>User inputs <span className="count">{inputs.length}</span></button>
          <div className="nav-head">
            <span>Streams <span className="count">{count}</span></span>
            <button type="button" className="small" onClick={() => setAdding({ name: '', path: '' })} aria-label="New stream" title="Add a stream">+ Add</button>
          </div>
          {adding ? (
            <form className="add-stream" onSubmit={(e) => { e.preventDefault(); addNewStream(); }}>
              <input autoFocus aria-label="New stream name" placeholder="name, e.g. users" value={adding.name} onChange={(e) => setAdding({ ...adding, name: e.target.value })} />
              <input aria-label="New stream path" className="mono" placeholder="/users" value={adding.path} onChange={(e) => setAdding({ ...adding, path: e.target.value })} />
              <div className="row"><button type="submit" className="primary small">Add stream</button><button type="button" className="small" onClick={() => setAdding(undefined)}>Cancel</button></div>
            </form>
          ) : null}
          <ul className="stream-list">
            {names.map((n, i) => (
              <li key={i}>
                <button type="button" aria-current={streamIndex === i ? 'page' : undefined} title={errorsByStream.has(i) ? errorsByStream.get(i)!.map((e) => e.message).join('\n') : undefined} className={`nav-item stream${streamIndex === i ? ' on' : ''}${errorsByStream.has(i) ? ' err' : ''}`} onClick={() => setView({ kind: 'stream', index: i })}>
                  {n || <em>(unnamed)</em>}
                </button>
              </li>
            ))}
          </ul>
          {count === 0 && !adding ? <p className="help pad">No streams yet. Add one to start testing.</p> : null}
          {Array.isArray(manifest.dynamic_streams) && manifest.dynamic_streams.length ? (
            <p className="help pad" role="note">+ {manifest.dynamic_streams.length} dynamic stream template{manifest.dynamic_streams.length === 1 ? '' : 's'} — edited in YAML</p>
          ) : null}
        </nav>

        <main className="main" ref={mainRef}>
          {serverErrors.length ? (
            <div className="error-box validation" role="alert" data-testid="validation-errors">
              {serverErrors.map((e, i) => (
                <div key={i}>
                  <strong>Manifest error:</strong> {e.message}
                  {e.path ? <> at <code>{e.path}</code></> : null}
                  {e.line ? <> <button type="button" className="link" onClick={() => { setMode('yaml'); setGotoLine({ line: e.line!, n: Date.now() }); }}>line {e.line}</button></> : null}
                </div>
              ))}
            </div>
          ) : null}
          {mode === 'yaml' ? (
            <div className="yaml-pane">
              {yamlErrors.length ? (
                <div className="error-box" role="alert">
                  {yamlErrors.map((e, i) => (
                    <div key={i}>
                      YAML error{e.line ? <> on <button type="button" className="link" onClick={() => setGotoLine({ line: e.line!, n: Date.now() })}>line {e.line}</button></> : null}: {e.message}
                    </div>
                  ))}
                  <div className="help">The form view is available again once the YAML parses.</div>
                </div>
              ) : null}
              <YamlEditor value={text} onChange={onYamlChange} problems={problems} gotoLine={gotoLine} />
            </div>
          ) : formBlocked ? (
            <div className="error-box">The YAML has errors; fix them in the YAML view to use the form.</div>
          ) : (
            <div className="form-pane">
              {view.kind === 'global' ? <GlobalPanel value={global} ctx={ctx} missing={missing} onAddMissing={addMissing} errors={globalErrors} onChange={(g) => edit((m) => applyGlobal(m, g))} /> : null}
              {view.kind === 'inputs' ? <InputsPanel value={inputs} missing={missing} onAddMissing={addMissing} onChange={(v, renamed) => edit((m) => applyInputs(m, v, renamed))} /> : null}
              {stream && streamIndex !== undefined ? (
                <StreamPanel
                  key={streamIndex}
                  value={stream}
                  ctx={ctx}
                  globalUrl={global.urlBase}
                  errors={errorsByStream.get(streamIndex) ?? []}
                  at={`streams[${streamIndex}]`}
                  position={{ index: streamIndex, count }}
                  missing={missing}
                  onAddMissing={addMissing}
                  onChange={(s) => edit((m) => applyStream(m, streamIndex, s))}
                  onDuplicate={() => { edit((m) => duplicateStream(m, streamIndex)); setView({ kind: 'stream', index: streamIndex + 1 }); }}
                  onDelete={() => {
                    if (!confirm(`Delete stream “${stream.name}”?`)) return;
                    edit((m) => deleteStream(m, streamIndex));
                    setView(count > 1 ? { kind: 'stream', index: Math.max(0, streamIndex - 1) } : { kind: 'global' });
                  }}
                  onMove={(d) => {
                    const to = streamIndex + d;
                    if (to < 0 || to >= count) return;
                    edit((m) => moveStream(m, streamIndex, to));
                    setView({ kind: 'stream', index: to });
                  }}
                />
              ) : null}
            </div>
          )}
        </main>

        <TestPanel
          streamName={testStream}
          inputs={inputs}
          values={values}
          onValues={setValues}
          limits={limits}
          onLimits={setLimits}
          running={running}
          result={testStream !== undefined ? reads[testStream]?.result : undefined}
          error={testStream !== undefined ? reads[testStream]?.error : undefined}
          onRun={() => void run()}
          declaredSchema={declaredSchema}
          disabledReason={formBlocked ? 'Fix the YAML errors to test.' : undefined}
          onTakeSchema={(schema) => {
            if (testIndex === undefined) return;
            edit((m) => applyStream(m, testIndex, { ...readStream(m, testIndex), schema }));
          }}
        />
      </div>
      {dialog === 'publish' ? <PublishDialog projectId={project.id} name={name} onClose={() => setDialog(undefined)} beforePublish={doSave} /> : null}
      {dialog === 'contribute' ? <ContributeDialog projectId={project.id} name={name} onClose={() => setDialog(undefined)} beforeContribute={doSave} /> : null}
    </div>
  );
}

function Modal(props: { title: string; onClose: () => void; children: React.ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={props.title}>
        <div className="modal-head"><h2>{props.title}</h2><button type="button" className="icon" aria-label="Close" onClick={props.onClose}>×</button></div>
        {props.children}
      </div>
    </div>
  );
}

function PublishDialog(props: { projectId: string; name: string; onClose: () => void; beforePublish: () => Promise<void> }) {
  const [description, setDescription] = useState('');
  const [connector, setConnector] = useState<Connector>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [published, setPublished] = useState<number>();
  useEffect(() => {
    api.connectors().then((cs) => setConnector(cs.find((c) => c.project_id === props.projectId)), () => undefined);
  }, [props.projectId, published]);
  const publish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.beforePublish();
      const r = await api.publish(props.projectId, description);
      setPublished(r.version);
      setDescription('');
    } catch (e) {
      const b = e instanceof ApiError ? e.body : undefined;
      setError(`${(e as Error).message}${b?.line ? ` (line ${b.line})` : ''}`);
    } finally {
      setBusy(false);
    }
  };
  const versions = connector ? [...connector.versions].sort((a, b) => b.version - a.version) : [];
  return (
    <Modal title={`Publish “${props.name}”`} onClose={props.onClose}>
      <p className="help">Publishing saves an immutable, numbered version of the manifest to the workspace.</p>
      <label className="stack">Version notes<textarea
        name="publish-description" rows={3} value={description} autoFocus placeholder="What changed in this version? (Ctrl+Enter publishes)"
        onChange={(e) => setDescription(e.target.value)}
        onKeyDown={(e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && !busy) { e.preventDefault(); void publish(); } }}
      /></label>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      {published ? <div className="ok-box" role="status" data-testid="published">Published version {published}.</div> : null}
      <div className="modal-actions">
        <button type="button" onClick={props.onClose}>Close</button>
        <button type="button" className="primary" disabled={busy} onClick={() => void publish()}>{busy ? 'Publishing…' : `Publish v${(connector?.latest_version ?? 0) + 1}`}</button>
      </div>
      <h3>Version history</h3>
      {versions.length === 0 ? <p className="help">Not published yet.</p> : (
        <table className="kv versions"><tbody>
          {versions.map((v) => <tr key={v.version}><th>v{v.version}</th><td>{new Date(v.published_at).toLocaleString()}</td><td>{v.description || <span className="help">—</span>}</td></tr>)}
        </tbody></table>
      )}
    </Modal>
  );
}

function ContributeDialog(props: { projectId: string; name: string; onClose: () => void; beforeContribute: () => Promise<void> }) {
  const [name, setName] = useState(props.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  const [docs, setDocs] = useState('');
  const [result, setResult] = useState<{ directory: string; files: string[] }>();
  const [error, setError] = useState<string>();
  const go = async () => {
    setError(undefined);
    try {
      await props.beforeContribute();
      setResult(await api.contribute(props.projectId, { name, ...(docs ? { documentation_url: docs } : {}) }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal title="Contribute to the connector catalog" onClose={props.onClose}>
      <p className="help">Writes <code>connectors/source-{name || '<name>'}/</code> (manifest.yaml and metadata.yaml) into the repository, ready for a pull request.</p>
      {/* a form: Enter in either field writes the files */}
      <form onSubmit={(e) => { e.preventDefault(); void go(); }}>
        <label className="stack">Connector name<input className="mono" value={name} autoFocus onChange={(e) => setName(e.target.value)} /></label>
        <label className="stack">Documentation URL<input value={docs} placeholder="https://docs.example.com/api" onChange={(e) => setDocs(e.target.value)} /></label>
        {error ? <div className="error-box" role="alert">{error}</div> : null}
        {result ? <div className="ok-box" role="status">Wrote <code>{result.directory}</code>: {result.files.map((f) => <code key={f}>{f}</code>)}</div> : null}
        <div className="modal-actions">
          <button type="button" onClick={props.onClose}>Close</button>
          <button type="submit" className="primary">Write connector files</button>
        </div>
      </form>
    </Modal>
  );
}
