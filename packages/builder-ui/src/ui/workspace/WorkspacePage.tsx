/** The Connections area: a top bar with its sections, and the page the hash names. */
import { ConnectionPage } from './ConnectionPage.js';
import { ConnectionsList } from './ConnectionsList.js';
import { DestinationsView } from './DestinationsView.js';
import { NewConnection } from './NewConnection.js';
import type { WorkspaceRoute } from './routes.js';
import { SourcesView } from './SourcesView.js';
import './workspace.css';

const SECTIONS = [
  { hash: '#/connections', label: 'Connections', pages: ['connections', 'new-connection', 'connection'] },
  { hash: '#/sources', label: 'Sources', pages: ['sources'] },
  { hash: '#/destinations', label: 'Destinations', pages: ['destinations'] },
];

export function WorkspacePage(props: { route: WorkspaceRoute }) {
  const { route } = props;
  return (
    <div className="projects-page ws-page">
      <header className="topbar">
        <div className="brand"><span className="logo">M</span> manifold</div>
        <nav className="ws-nav" aria-label="Sections">
          <a href="#/">Connectors</a>
          {SECTIONS.map((section) => (
            <a key={section.hash} href={section.hash} className={section.pages.includes(route.page) ? 'on' : ''} aria-current={section.pages.includes(route.page) ? 'page' : undefined}>
              {section.label}
            </a>
          ))}
        </nav>
      </header>
      <main className="ws-main">
        {route.page === 'connections' ? <ConnectionsList /> : null}
        {route.page === 'new-connection' ? <NewConnection /> : null}
        {route.page === 'connection' ? <ConnectionPage key={route.id} id={route.id} /> : null}
        {route.page === 'sources' ? <SourcesView /> : null}
        {route.page === 'destinations' ? <DestinationsView /> : null}
      </main>
    </div>
  );
}
