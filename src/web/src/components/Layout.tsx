import { useEffect, type ReactNode } from 'react';
import { usePath } from '../router';
import { Link } from './Link';
import { LiveIndicator } from './LiveIndicator';
import { UserPanel } from './UserPanel';

const NAV = [
  { to: '/flags', label: 'Feature flags' },
  { to: '/sessions', label: 'Sessions' },
  { to: '/calls', label: 'Calls' },
  { to: '/softphone', label: 'Softphone' },
] as const;

/** The signed-in frame: navigation, who is signed in, live status, and the page. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const path = usePath();
  useEffect(() => { document.title = `${title} · Switchboard`; }, [title]);
  return (
    <div className="shell">
      <a className="skip-link" href="#content">Skip to content</a>
      <aside className="sidebar">
        <div className="brand"><span className="brand-mark" aria-hidden="true">S</span> Switchboard</div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} className="nav-link" aria-current={path === item.to || path.startsWith(`${item.to}/`) ? 'page' : undefined}>{item.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <UserPanel />
      </aside>
      <div className="main">
        <header className="topbar">
          <h1>{title}</h1>
          <LiveIndicator />
        </header>
        <main id="content" tabIndex={-1}>{children}</main>
      </div>
    </div>
  );
}
