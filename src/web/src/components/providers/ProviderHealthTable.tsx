import type { ProviderHealth } from '../../api/admin-types';
import { formatDateTime } from '../../format';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/** Every provider's health at a glance: status, latency, error rate, breaker and the last failure. */
export function ProviderHealthTable({ providers }: { providers: ProviderHealth[] }) {
  if (providers.length === 0) return <p className="empty">No AI providers on this server.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="provider-health">
        <thead>
          <tr>
            <th scope="col">Provider</th><th scope="col">Status</th><th scope="col">Latency EWMA</th><th scope="col">p95</th>
            <th scope="col">Error rate</th><th scope="col">Breaker</th><th scope="col">Last failure</th><th scope="col">Last check</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.provider} data-testid={`provider-${p.provider}`} data-status={p.status} data-breaker={p.breaker.state}>
              <th scope="row">{p.provider}{p.probed && <span className="muted small"> · probed</span>}</th>
              <td><span className={`pill pill-health-${p.status}`} data-testid="provider-status">{p.status}</span></td>
              <td className="num">{ms(p.latencyEwmaMs)}</td>
              <td className="num">{ms(p.latencyP95Ms)}</td>
              <td className="num">{(p.errorRate * 100).toFixed(1)}% <span className="muted small">of {p.samples}</span></td>
              <td>
                <span className={`pill pill-breaker-${p.breaker.state}`} data-testid="provider-breaker">{p.breaker.state.replace('_', '-')}</span>
                {p.breaker.failures > 0 && <span className="muted small"> {p.breaker.failures} failures</span>}
              </td>
              <td className="small">{p.lastFailure
                ? <><strong>{p.lastFailure.kind}</strong> {p.lastFailure.reason} <span className="muted">({formatDateTime(p.lastFailure.at)})</span></>
                : '—'}</td>
              <td className="small">{formatDateTime(p.lastCheckAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
