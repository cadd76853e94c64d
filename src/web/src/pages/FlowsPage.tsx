import { useState } from 'react';
import { api } from '../api/client';
import type { FlowSummary } from '../api/admin-types';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link } from '../components/Link';
import { formatDateTime } from '../format';
import { useFirstPage } from '../api/use-first-page';

/** The tenant's flows: which version is live, and a way into the editor. */
export function FlowsPage() {
  const { principal } = useAuth();
  const canEdit = principal.role === 'admin' || principal.role === 'supervisor';
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useFirstPage((signal) => api.call('listFlows', { query: { limit: 100 }, signal }), setFlows, setError);

  return (
    <section className="card" aria-labelledby="flows-title">
      <div className="card-head">
        <h2 id="flows-title">Flows</h2>
        {canEdit && <Link to="/flows/new" className="button button-primary" data-testid="new-flow">New flow</Link>}
      </div>
      <ErrorMessage error={error} />
      {flows === null
        ? !error && <p className="muted" role="status">Loading flows…</p>
        : flows.length === 0
          ? <p className="empty">No flows yet.</p>
          : (
            <div className="table-wrap">
              <table className="table" data-testid="flows-table">
                <thead>
                  <tr><th scope="col">Flow</th><th scope="col">Key</th><th scope="col">Latest</th><th scope="col">Live</th><th scope="col">Updated</th></tr>
                </thead>
                <tbody>
                  {flows.map((f) => (
                    <tr key={f.id} data-testid={`flow-${f.key}`}>
                      <th scope="row"><Link to={`/flows/${f.key}`}>{f.name}</Link></th>
                      <td><code>{f.key}</code></td>
                      <td>v{f.latestVersion}</td>
                      <td>{f.publishedVersion ? <span className="pill pill-on">v{f.publishedVersion}</span> : <span className="pill pill-off">none</span>}</td>
                      <td className="small">{formatDateTime(f.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
    </section>
  );
}
