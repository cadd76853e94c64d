import { useEffect, type ReactNode } from 'react';
import type { Role } from '../../../contracts/common';
import { useAuth } from '../auth';
import { usePath } from '../router';
import { Link } from './Link';
import { LiveIndicator } from './LiveIndicator';
import { ADMIN_ONLY, FLOW_EDITORS, PROVIDER_VIEWERS } from './roles';
import { UserPanel } from './UserPanel';

const NAV: readonly { to: string; label: string; roles?: readonly Role[] }[] = [
  { to: '/flags', label: 'Feature flags' },
  { to: '/sessions', label: 'Sessions' },
  { to: '/calls', label: 'Calls' },
  { to: '/softphone', label: 'Softphone' },
  { to: '/flows', label: 'Flows', roles: FLOW_EDITORS },
  { to: '/numbers', label: 'Carriers & numbers', roles: ADMIN_ONLY },
  { to: '/access', label: 'Users & API keys', roles: ADMIN_ONLY },
  { to: '/providers', label: 'AI providers', roles: PROVIDER_VIEWERS },
  { to: '/widget', label: 'Web widget', roles: ADMIN_ONLY },
];

/** The signed-in frame: navigation, who is signed in, live status, and the page. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const path = usePath();
  const { role } = useAuth().principal;
  useEffect(() => { document.title = `${title} · Switchboard`; }, [title]);
  return (
    <div className="shell">
      <a className="skip-link" href="#content">Skip to content</a>
      <aside className="sidebar">
        <div className="brand"><span className="brand-mark" aria-hidden="true">S</span> Switchboard</div>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => !item.roles || item.roles.includes(role)).map((item) => (
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
