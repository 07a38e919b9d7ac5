import { useEffect, useRef, useState } from 'react';
import { api, type Connector, type Project } from '../api.js';
import { STARTER_YAML } from '../model/form.js';
import { parseManifest } from '../model/yaml-sync.js';

export function ProjectList(props: { onOpen: (id: string) => void }) {
  const [projects, setProjects] = useState<Project[] | undefined>();
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const file = useRef<HTMLInputElement>(null);

  const load = () => {
    api.listProjects().then(setProjects, (e: Error) => setError(e.message));
    api.connectors().then(setConnectors, () => undefined);
  };
  useEffect(load, []);

  const create = async (projectName: string, manifest: string) => {
    try {
      const p = await api.createProject(projectName, manifest);
      props.onOpen(p.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const importFile = async (f: File) => {
    const text = await f.text();
    const parsed = parseManifest(text);
    if (parsed.errors.length) {
      setError(`${f.name} is not valid YAML: ${parsed.errors[0]!.message}${parsed.errors[0]!.line ? ` (line ${parsed.errors[0]!.line})` : ''}`);
      return;
    }
    const m = parsed.value!;
    const meta = m.metadata as { name?: string } | undefined;
    const spec = (m.spec as { connection_specification?: { title?: unknown } } | undefined)?.connection_specification;
    const specTitle = typeof spec?.title === 'string' ? spec.title.replace(/\s*(source\s*)?spec(ification)?$/i, '').trim() : '';
    const title = (typeof meta?.name === 'string' && meta.name) || specTitle || (typeof m.description === 'string' && m.description.length < 60 ? m.description : '') || f.name.replace(/\.(ya?ml)$/i, '').replace(/^manifest$/, 'Imported connector');
    await create(title, text);
  };

  return (
    <div className="projects-page">
      <header className="topbar">
        <div className="brand"><span className="logo">M</span> Connector Builder</div>
        <span className="spacer" />
        <a className="topbar-link" href="#/connections">Connections →</a>
      </header>
      <main className="projects">
        <section className="card new-project">
          <h2>New connector</h2>
          <form onSubmit={(e) => { e.preventDefault(); if (name.trim()) void create(name.trim(), STARTER_YAML); }}>
            <input aria-label="Connector name" name="project-name" placeholder="Connector name, e.g. My API" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            <button type="submit" className="primary" disabled={!name.trim()}>Create</button>
          </form>
          <div className="or">or</div>
          <button type="button" onClick={() => file.current?.click()}>Import a manifest.yaml…</button>
          <input ref={file} type="file" accept=".yaml,.yml,application/yaml,text/yaml" hidden data-testid="import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
          <p className="help">Import works with manifests exported from Airbyte's Connector Builder; parts the forms cannot show are kept as written.</p>
        </section>
        {error ? <div className="error-box" role="alert">{error}</div> : null}
        <section className="card">
          <h2>Your connectors</h2>
          {projects === undefined ? <p className="help">Loading…</p> : projects.length === 0 ? <p className="help">No connectors yet.</p> : (
            <ul className="project-list">
              {projects.map((p) => {
                const c = connectors.find((x) => x.project_id === p.id);
                return (
                  <li key={p.id}>
                    <button type="button" className="project-open" onClick={() => props.onOpen(p.id)}>
                      <span className="pname">{p.name}</span>
                      <span className="pmeta">edited {new Date(p.updated_at).toLocaleString()}{c ? ` · published v${c.latest_version}` : ''}</span>
                    </button>
                    <button type="button" className="small danger" aria-label={`Delete ${p.name}`} onClick={async () => {
                      if (!confirm(`Delete “${p.name}”? This cannot be undone.`)) return;
                      await api.deleteProject(p.id).catch((e: Error) => setError(e.message));
                      load();
                    }}>Delete</button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
