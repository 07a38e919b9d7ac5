import { useMemo, useState } from 'react';
import type { AuxiliaryRequest, HttpRequest, HttpResponse, StreamRead, StreamReadSlice } from '../api.js';
import type { InputForm } from '../model/form.js';
import { diffSchemas } from '../model/schema-diff.js';
import { missingRequired, type TestingValues } from '../model/testing-values.js';
import type { Obj } from '../model/refs.js';

export interface Limits {
  records: number;
  pages: number;
  slices: number;
}

type Tab = 'records' | 'request' | 'response' | 'logs' | 'schema' | 'aux';

export function TestingValuesForm(props: { inputs: InputForm[]; values: TestingValues; onChange: (v: TestingValues) => void; onEnter?: () => void }) {
  const { inputs, values } = props;
  if (inputs.length === 0) return <p className="help">No user inputs yet. Add some under “User inputs”.</p>;
  return (
    <div className="testing-values" aria-label="Testing values">
      {inputs.map((i) => (
        <label key={i.key} className="tv-row">
          <span>{i.title || i.key}{i.required ? <span className="req">*</span> : null}{i.title && i.title !== i.key ? <span className="tv-key mono">{i.key}</span> : null}</span>
          {i.enum.length ? (
            <select name={`tv-${i.key}`} value={values[i.key] ?? ''} onChange={(e) => props.onChange({ ...values, [i.key]: e.target.value })}>
              <option value="">{i.default ? `(default: ${i.default})` : '—'}</option>
              {i.enum.map((e) => <option key={e}>{e}</option>)}
            </select>
          ) : i.type === 'boolean' ? (
            <select name={`tv-${i.key}`} value={values[i.key] ?? ''} onChange={(e) => props.onChange({ ...values, [i.key]: e.target.value })}>
              <option value="">{i.default ? `(default: ${i.default})` : '—'}</option>
              <option>true</option>
              <option>false</option>
            </select>
          ) : (
            <input
              name={`tv-${i.key}`}
              className="mono"
              type={i.secret ? 'password' : 'text'}
              autoComplete="off"
              placeholder={i.default ? `default: ${i.default}` : i.examples[0] ?? (i.type === 'object' ? '{"key": "value"} (JSON)' : i.type === 'date' ? 'YYYY-MM-DD' : i.type === 'date-time' ? 'YYYY-MM-DDTHH:mm:ssZ' : i.type === 'array' ? 'a, b, c' : '')}
              value={values[i.key] ?? ''}
              onChange={(e) => props.onChange({ ...values, [i.key]: e.target.value })}
              // Enter in a testing value runs the test, as in a form
              onKeyDown={(e) => { if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); props.onEnter?.(); } }}
            />
          )}
        </label>
      ))}
    </div>
  );
}

export function TestPanel(props: {
  streamName: string | undefined;
  inputs: InputForm[];
  values: TestingValues;
  onValues: (v: TestingValues) => void;
  limits: Limits;
  onLimits: (l: Limits) => void;
  running: boolean;
  result: StreamRead | undefined;
  error: string | undefined;
  onRun: () => void;
  declaredSchema: Obj | undefined;
  onTakeSchema: (schema: Obj) => void;
  disabledReason?: string;
}) {
  const { result } = props;
  const [tab, setTab] = useState<Tab>('records');
  const [slice, setSlice] = useState(0);
  const [page, setPage] = useState(0);
  const [raw, setRaw] = useState(false);
  const [showValues, setShowValues] = useState(true);
  const missing = missingRequired(props.inputs, props.values);

  const [lastResult, setLastResult] = useState<StreamRead | undefined>();
  if (result !== lastResult) {
    setLastResult(result);
    setSlice(0);
    setPage(0);
  }

  const slices = result?.slices ?? [];
  const curSlice = slices[Math.min(slice, slices.length - 1)];
  const pages = curSlice?.pages ?? [];
  const curPage = pages[Math.min(page, pages.length - 1)];
  const records = curPage?.records ?? [];
  const totalRecords = slices.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.records.length, 0), 0);
  const errors = (result?.logs ?? []).filter((l) => l.level === 'ERROR');
  const aux = [...(result?.auxiliary_requests ?? []), ...(curSlice?.auxiliary_requests ?? [])];
  const diff = useMemo(() => (result?.inferred_schema ? diffSchemas(props.declaredSchema, result.inferred_schema) : []), [result, props.declaredSchema]);

  return (
    <aside className="test-panel" aria-label="Testing">
      <div className="test-head">
        <div className="test-title">
          <h3>Test <span className="mono">{props.streamName ?? '—'}</span></h3>
          <button type="button" className="primary" data-testid="run-test" disabled={!props.streamName || props.running || !!props.disabledReason} onClick={props.onRun} title="Ctrl+Enter">
            {props.running ? 'Testing…' : 'Test stream'}
          </button>
        </div>
        {props.disabledReason ? <div className="note">{props.disabledReason}</div> : null}
        <details open={showValues} onToggle={(e) => setShowValues((e.target as HTMLDetailsElement).open)}>
          <summary>Testing values {missing.length ? <span className="badge warn">{missing.length} missing</span> : null}<span className="help"> · kept in memory only, never saved</span></summary>
          <TestingValuesForm inputs={props.inputs} values={props.values} onChange={props.onValues} onEnter={props.disabledReason || !props.streamName || props.running ? undefined : props.onRun} />
        </details>
        <details>
          <summary>Limits <span className="help">· {props.limits.records} records, {props.limits.pages} pages, {props.limits.slices} slices</span></summary>
          <div className="limits">
            <label>Records <input type="number" min={1} max={5000} value={props.limits.records} onChange={(e) => props.onLimits({ ...props.limits, records: clamp(e.target.valueAsNumber, 1, 5000) })} /></label>
            <label>Pages/slice <input type="number" min={1} max={20} value={props.limits.pages} onChange={(e) => props.onLimits({ ...props.limits, pages: clamp(e.target.valueAsNumber, 1, 20) })} /></label>
            <label>Slices <input type="number" min={1} max={20} value={props.limits.slices} onChange={(e) => props.onLimits({ ...props.limits, slices: clamp(e.target.valueAsNumber, 1, 20) })} /></label>
          </div>
        </details>
      </div>

      {props.error ? <div className="error-box" role="alert"><strong>Test read failed.</strong> {props.error}</div> : null}

      {result ? (
        <div className="test-result">
          {result.test_read_limit_reached ? (
            <div className="limit-note" data-testid="limit-note">
              Stopped at the test limit of {limitsHit(result, props.limits)}. A real sync would read more — raise the limits to see more.
            </div>
          ) : null}
          {errors.map((e, i) => (
            <div className="error-box" key={i} role="alert">
              <strong>Error:</strong> {e.message}
              {e.internal_message && e.internal_message !== e.message ? <div className="mono small">{e.internal_message}</div> : null}
              <div className="help">{explain(e.message, curPage?.response)}</div>
            </div>
          ))}
          <div className="nav-row">
            <span className="summary" data-testid="record-summary">{totalRecords} record{totalRecords === 1 ? '' : 's'} · {slices.length} slice{slices.length === 1 ? '' : 's'}</span>
            {slices.length > 1 ? (
              <span className="slice-nav">
                <button type="button" className="small" aria-label="Previous slice" title="Previous slice" disabled={slice === 0} onClick={() => { setSlice(slice - 1); setPage(0); }}>‹</button>
                <select aria-label="Slice" value={slice} onChange={(e) => { setSlice(Number(e.target.value)); setPage(0); }}>
                  {slices.map((s, i) => <option key={i} value={i}>Slice {i + 1} of {slices.length}{s.slice_descriptor ? `: ${short(describeSlice(s.slice_descriptor))}` : ''}</option>)}
                </select>
                <button type="button" className="small" aria-label="Next slice" title="Next slice" disabled={slice >= slices.length - 1} onClick={() => { setSlice(slice + 1); setPage(0); }}>›</button>
              </span>
            ) : null}
            <div className="pages" role="tablist" aria-label="Pages">
              {pages.map((p, i) => (
                <button key={i} type="button" role="tab" aria-selected={i === page} className={i === page ? 'on' : ''} onClick={() => setPage(i)} title={`${p.records.length} records`}>
                  Page {i + 1}
                </button>
              ))}
            </div>
          </div>
          {curSlice && (Object.keys(curSlice.slice_descriptor ?? {}).length || curSlice.state?.length) ? <SliceInfo slice={curSlice} /> : null}
          <div className="tabs" role="tablist">
            {([['records', `Records (${records.length})`], ['request', 'Request'], ['response', `Response${curPage?.response ? ` ${curPage.response.status}` : ''}`], ['logs', `Logs (${result.logs.length})`], ['schema', `Schema${diff.length ? ` (${diff.length} diff)` : ''}`], ...(aux.length ? [['aux', `Other requests (${aux.length})`]] : [])] as Array<[Tab, string]>).map(([t, l]) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => setTab(t)}>{l}</button>
            ))}
          </div>
          <div className="tab-body">
            {tab === 'records' ? (
              <>
                <div className="toggle-row"><label className="checkbox"><input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw JSON</label></div>
                {raw ? <pre className="json">{JSON.stringify(records, null, 2)}</pre> : <RecordTable records={records} />}
              </>
            ) : null}
            {tab === 'request' ? <RequestView r={curPage?.request} /> : null}
            {tab === 'response' ? <ResponseView r={curPage?.response} /> : null}
            {tab === 'logs' ? (
              <div className="logs">
                {result.logs.length === 0 ? <p className="help">No log messages.</p> : null}
                {result.logs.map((l, i) => (
                  <div key={i} className={`log ${l.level.toLowerCase()}`}>
                    <span className="lvl">{l.level}</span> <span>{l.message}</span>
                    {l.stacktrace ? <details><summary>Stack trace</summary><pre>{l.stacktrace}</pre></details> : null}
                  </div>
                ))}
              </div>
            ) : null}
            {tab === 'schema' ? (
              <SchemaView inferred={result.inferred_schema} declared={props.declaredSchema} diff={diff} formats={result.inferred_datetime_formats ?? undefined} onTake={props.onTakeSchema} />
            ) : null}
            {tab === 'aux' ? <AuxView aux={aux} /> : null}
          </div>
        </div>
      ) : !props.error ? (
        <p className="help empty">Fill in the testing values and press <strong>Test stream</strong> (Enter in a testing value, Ctrl+Enter anywhere) to fetch records.</p>
      ) : null}
    </aside>
  );
}

/** An empty part of a slice (a top-level parent's `parent_slice: {}`) says nothing. */
function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && Object.keys(v).length === 0;
}

/** `{start_time: a, end_time: b}` → `start_time a · end_time b`; nested parts as compact JSON. */
function describeSlice(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => !isEmptyObject(v))
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

/** What the slice asked for, and the state the connector would save after it. */
function SliceInfo({ slice }: { slice: StreamReadSlice }) {
  const last = slice.state?.[slice.state.length - 1] as { stream?: { stream_state?: unknown } } | undefined;
  const raw = last?.stream?.stream_state ?? last;
  // a stream without a cursor reports a placeholder state: nothing a user would save
  const state = raw && typeof raw === 'object' && '__ab_no_cursor_state_message' in raw ? undefined : raw;
  const parts = Object.entries(slice.slice_descriptor ?? {}).filter(([, v]) => !isEmptyObject(v));
  if (!parts.length && state === undefined) return null;
  return (
    <table className="kv slice-info" data-testid="slice-info">
      <tbody>
        {parts.map(([k, v]) => (
          <tr key={k}><th>{k}</th><td className="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</td></tr>
        ))}
        {state !== undefined ? (
          <tr><th title="The state a sync would save after this slice">State after slice</th><td className="mono" data-testid="slice-state">{JSON.stringify(state)}</td></tr>
        ) : null}
      </tbody>
    </table>
  );
}

function limitsHit(r: StreamRead, l: Limits): string {
  const records = r.slices.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.records.length, 0), 0);
  const hit: string[] = [];
  if (records >= l.records) hit.push(`${l.records} records`);
  if (r.slices.some((s) => s.pages.length >= l.pages)) hit.push(`${l.pages} pages per slice`);
  if (r.slices.length >= l.slices) hit.push(`${l.slices} slices`);
  return hit.length ? hit.join(' / ') : `${l.records} records / ${l.pages} pages per slice / ${l.slices} slices`;
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function explain(message: string, response: HttpResponse | null | undefined): string {
  const status = response?.status ?? Number(/\b([45]\d\d)\b/.exec(message)?.[1]);
  if (status === 401 || status === 403) return 'The API refused the credentials: check the authentication settings and the testing values (API key, token…).';
  if (status === 404) return 'The URL was not found: check the API base URL and the stream path.';
  if (status === 429) return 'Rate limited: the API asks to slow down. Try again later or add a backoff strategy under Error handling.';
  if (status && status >= 500) return 'The API had a server error; it may be transient.';
  if (/ECONNREFUSED|ENOTFOUND|getaddrinfo|fetch failed|connect/i.test(message)) return 'The API could not be reached: check the base URL (host and port).';
  if (/config\[|undefined|not defined/i.test(message)) return 'A template refers to something missing: check the testing values and the {{ }} expressions.';
  if (/json|parse/i.test(message)) return 'The response could not be decoded: check it in the Response tab.';
  return 'See the Logs, Request and Response tabs for details.';
}

function RecordTable({ records }: { records: Record<string, unknown>[] }) {
  const cols = useMemo(() => {
    const s = new Set<string>();
    for (const r of records.slice(0, 200)) Object.keys(r).forEach((k) => s.add(k));
    return [...s].slice(0, 30);
  }, [records]);
  if (records.length === 0) return <p className="help">No records on this page.</p>;
  return (
    <div className="table-wrap">
      <table className="records" data-testid="records-table">
        <thead><tr>{cols.map((c) => <th key={c}>{c}</th>)}</tr></thead>
        <tbody>
          {records.map((r, i) => (
            <tr key={i}>{cols.map((c) => <td key={c} title={cell(r[c], 2000)}>{cell(r[c], 80)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cell(v: unknown, max: number): string {
  const s = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function Headers({ h }: { h: Record<string, string> | null | undefined }) {
  const entries = Object.entries(h ?? {});
  if (!entries.length) return <p className="help">No headers.</p>;
  return (
    <table className="kv"><tbody>{entries.map(([k, v]) => <tr key={k}><th>{k}</th><td className="mono">{v}</td></tr>)}</tbody></table>
  );
}

function pretty(body: string | null | undefined): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function RequestView({ r }: { r: HttpRequest | null | undefined }) {
  if (!r) return <p className="help">No request for this page.</p>;
  return (
    <div data-testid="request-view">
      <div className="req-line mono"><span className="method">{r.http_method}</span> {r.url}</div>
      <h4>Headers</h4>
      <Headers h={r.headers} />
      {r.body ? (<><h4>Body</h4><pre className="json">{pretty(r.body)}</pre></>) : null}
    </div>
  );
}

function ResponseView({ r }: { r: HttpResponse | null | undefined }) {
  if (!r) return <p className="help">No response for this page.</p>;
  return (
    <div>
      <div className={`status s${String(r.status)[0]}`}>HTTP {r.status}</div>
      <h4>Headers</h4>
      <Headers h={r.headers} />
      <h4>Body</h4>
      <pre className="json">{pretty(r.body)}</pre>
    </div>
  );
}

function AuxView({ aux }: { aux: AuxiliaryRequest[] }) {
  return (
    <div>
      {aux.map((a, i) => (
        <details key={i} className="aux">
          <summary><span className="badge">{a.type ?? 'REQUEST'}</span> {a.title} {a.response ? <span className={`status-inline s${String(a.response.status)[0]}`}>{a.response.status}</span> : null}</summary>
          {a.description ? <p className="help">{a.description}</p> : null}
          <RequestView r={a.request} />
          <ResponseView r={a.response} />
        </details>
      ))}
    </div>
  );
}

function SchemaView(props: { inferred: Record<string, unknown> | null; declared: Obj | undefined; diff: ReturnType<typeof diffSchemas>; formats?: Record<string, string>; onTake: (s: Obj) => void }) {
  const { inferred, diff } = props;
  if (!inferred) return <p className="help">No schema could be inferred (no records).</p>;
  return (
    <div>
      <div className="schema-actions">
        {diff.length === 0 ? <span className="ok">The declared schema matches the records.</span> : <span className="warn">The declared schema differs from the records:</span>}
        <button type="button" className="primary small" data-testid="take-schema" disabled={diff.length === 0} onClick={() => props.onTake(inferred as Obj)}>Use inferred schema</button>
      </div>
      {diff.length ? (
        <table className="kv diff"><tbody>
          {diff.map((d) => (
            <tr key={d.path + d.kind}>
              <th className="mono">{d.path}</th>
              <td>{d.kind === 'missing' ? `in records (${d.inferred}), not declared` : d.kind === 'extra' ? `declared (${d.declared}), not in records` : `declared ${d.declared}, records have ${d.inferred}`}</td>
            </tr>
          ))}
        </tbody></table>
      ) : null}
      {props.formats && Object.keys(props.formats).length ? (
        <><h4>Detected datetime formats</h4><table className="kv"><tbody>{Object.entries(props.formats).map(([k, v]) => <tr key={k}><th className="mono">{k}</th><td className="mono">{v}</td></tr>)}</tbody></table></>
      ) : null}
      <h4>Inferred schema</h4>
      <pre className="json">{JSON.stringify(inferred, null, 2)}</pre>
    </div>
  );
}
