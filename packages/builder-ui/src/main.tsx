import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Editor } from './ui/Editor.js';
import { ProjectList } from './ui/ProjectList.js';
import { WorkspacePage } from './ui/workspace/WorkspacePage.js';
import { useHash, workspaceRoute } from './ui/workspace/routes.js';
import './styles.css';

function route(): string | undefined {
  const m = /^#\/p\/([^/]+)/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

function App() {
  const [id, setId] = useState(route);
  const workspace = workspaceRoute(useHash());
  useEffect(() => {
    const on = () => setId(route());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (workspace) return <WorkspacePage route={workspace} />;
  if (id) return <Editor key={id} id={id} onBack={() => { window.location.hash = '#/'; }} />;
  return <ProjectList onOpen={(p) => { window.location.hash = `#/p/${encodeURIComponent(p)}`; }} />;
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
