import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Principal } from '../../contracts/accounts';
import type { Role } from '../../contracts/common';
import { api, ApiError } from './api/client';
import { LiveEvents } from './api/events';
import { AuthContext, type Auth } from './auth';
import { Layout } from './components/Layout';
import { LiveContext } from './live';
import { FlagsPage } from './pages/FlagsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SessionsPage } from './pages/SessionsPage';
import { navigate, usePath, useSearch } from './router';
import { ADMIN_ONLY, FLOW_EDITORS, PROVIDER_VIEWERS } from './components/roles';

export const HOME = '/flags';

// The calls pages (audio, WebAudio decoding, the softphone) load on first visit, keeping the first bundle small.
const CallsPage = lazy(() => import('./pages/CallsPage').then((m) => ({ default: m.CallsPage })));
const CallViewPage = lazy(() => import('./pages/CallViewPage').then((m) => ({ default: m.CallViewPage })));
const ContactPage = lazy(() => import('./pages/ContactPage').then((m) => ({ default: m.ContactPage })));
const SoftphonePage = lazy(() => import('./pages/SoftphonePage').then((m) => ({ default: m.SoftphonePage })));
// Admin and provider pages: each its own chunk, loaded on first visit.
const TelephonyPage = lazy(() => import('./pages/TelephonyPage').then((m) => ({ default: m.TelephonyPage })));
const FlowsPage = lazy(() => import('./pages/FlowsPage').then((m) => ({ default: m.FlowsPage })));
const FlowEditorPage = lazy(() => import('./pages/FlowEditorPage').then((m) => ({ default: m.FlowEditorPage })));
const AccessPage = lazy(() => import('./pages/AccessPage').then((m) => ({ default: m.AccessPage })));
const ProvidersPage = lazy(() => import('./pages/ProvidersPage').then((m) => ({ default: m.ProvidersPage })));
const WidgetPage = lazy(() => import('./pages/WidgetPage').then((m) => ({ default: m.WidgetPage })));

/** `roles`: who may open the page (the server enforces the same on every operation it calls). */
interface PageEntry { title: string; render: () => ReactNode; roles?: readonly Role[] }

const PAGES: Record<string, PageEntry> = {
  '/flags': { title: 'Feature flags', render: () => <FlagsPage /> },
  '/sessions': { title: 'Sessions', render: () => <SessionsPage /> },
  '/calls': { title: 'Calls', render: () => <CallsPage /> },
  '/softphone': { title: 'Softphone', render: () => <SoftphonePage /> },
  '/numbers': { title: 'Carriers and numbers', render: () => <TelephonyPage />, roles: ADMIN_ONLY },
  '/flows': { title: 'Flows', render: () => <FlowsPage />, roles: FLOW_EDITORS },
  '/flows/new': { title: 'New flow', render: () => <FlowEditorPage flowKey={null} />, roles: FLOW_EDITORS },
  '/access': { title: 'Users and API keys', render: () => <AccessPage />, roles: ADMIN_ONLY },
  '/providers': { title: 'AI providers', render: () => <ProvidersPage />, roles: PROVIDER_VIEWERS },
  '/widget': { title: 'Web widget', render: () => <WidgetPage />, roles: ADMIN_ONLY },
};

const FORBIDDEN: PageEntry = { title: 'Not allowed', render: () => <p className="alert alert-error" role="alert" data-testid="forbidden">Your role cannot open this page.</p> };

/** Exact paths first, then the ones with a parameter. */
function pageFor(path: string): PageEntry | undefined {
  const exact = PAGES[path];
  if (exact) return exact;
  const call = /^\/calls\/([0-9a-fA-F-]{36})$/.exec(path);
  if (call) { const id = call[1]!; return { title: 'Call', render: () => <CallViewPage key={id} id={id} /> }; }
  const contact = /^\/contacts\/([0-9a-fA-F-]{36})$/.exec(path);
  if (contact) { const id = contact[1]!; return { title: 'Contact', render: () => <ContactPage key={id} id={id} /> }; }
  const flow = /^\/flows\/([a-z0-9][a-z0-9-]{0,63}|[0-9a-fA-F-]{36})$/.exec(path);
  if (flow) { const key = flow[1]!; return { title: 'Flow', render: () => <FlowEditorPage key={key} flowKey={key} />, roles: FLOW_EDITORS }; }
  return undefined;
}

/** Only same-origin console paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : HOME;
}

export function App() {
  /** undefined while we ask the server who we are. */
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);
  const path = usePath();
  const search = useSearch();
  const live = useMemo(() => new LiveEvents(), []);

  useEffect(() => api.onUnauthenticated(() => setPrincipal(null)), []);

  useEffect(() => {
    const controller = new AbortController();
    api.call('me', { signal: controller.signal }).then(setPrincipal, (err: unknown) => {
      if (controller.signal.aborted) return;
      if (err instanceof ApiError && err.status !== 401) setBootError(err.message);
      setPrincipal(null);
    });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!principal) return;
    live.start();
    return () => live.stop();
  }, [principal, live]);

  // Keep the address bar in step with the signed-in state.
  const next = search.get('next');
  useEffect(() => {
    if (principal === null && path !== '/login') navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, { replace: true });
    if (principal && (path === '/login' || path === '/')) navigate(safeNext(next), { replace: true });
  }, [principal, path, next]);

  const signOut = useCallback(async () => {
    try {
      await api.call('logout');
    } finally {
      setPrincipal(null);
      navigate('/login');
    }
  }, []);
  const auth = useMemo<Auth | null>(() => (principal ? { principal, signOut } : null), [principal, signOut]);

  if (principal === undefined) return <div className="splash" role="status">Loading…</div>;
  if (!auth) return <LoginPage onSignedIn={(p) => { setBootError(null); setPrincipal(p); }} initialError={bootError} />;

  const found = pageFor(path);
  const page = found?.roles && !found.roles.includes(auth.principal.role) ? FORBIDDEN : found;
  return (
    <AuthContext.Provider value={auth}>
      <LiveContext.Provider value={live}>
        <Layout title={page?.title ?? 'Not found'}>
          <Suspense fallback={<p className="muted" role="status">Loading…</p>}>{page ? page.render() : <NotFoundPage />}</Suspense>
        </Layout>
      </LiveContext.Provider>
    </AuthContext.Provider>
  );
}
