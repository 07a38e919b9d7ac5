/** The Connections area's hash routes: #/connections[/new|/<id>], #/sources, #/destinations. */
import { useEffect, useState } from 'react';

export type WorkspaceRoute =
  | { page: 'connections' }
  | { page: 'new-connection' }
  | { page: 'connection'; id: string }
  | { page: 'sources' }
  | { page: 'destinations' };

export function workspaceRoute(hash: string): WorkspaceRoute | undefined {
  const path = hash.replace(/^#/, '');
  if (path === '/sources') return { page: 'sources' };
  if (path === '/destinations') return { page: 'destinations' };
  if (path === '/connections') return { page: 'connections' };
  if (path === '/connections/new') return { page: 'new-connection' };
  const match = /^\/connections\/([^/]+)$/.exec(path);
  return match ? { page: 'connection', id: decodeURIComponent(match[1]!) } : undefined;
}

export function go(hash: string): void {
  window.location.hash = hash;
}

/** The location hash, updated on navigation. */
export function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}
