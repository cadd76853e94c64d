import type { ProviderSample } from '../../api/admin-types';

const W = 560;
const H = 140;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

/** Latency of recent samples as a line (failures as red marks on the baseline); plain SVG. */
export function LatencyChart({ provider, samples }: { provider: string; samples: ProviderSample[] }) {
  const points = samples.map((s) => ({ t: Date.parse(s.at), ms: s.latencyMs ?? null, ok: s.ok }));
  if (points.length === 0) return <p className="empty small" data-testid={`chart-${provider}-empty`}>No samples yet.</p>;
  const t0 = points[0]!.t;
  const t1 = Math.max(t0 + 1000, points[points.length - 1]!.t);
  const max = Math.max(50, ...points.map((p) => p.ms ?? 0));
  const top = niceCeil(max);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (ms: number) => PAD.top + (1 - ms / top) * (H - PAD.top - PAD.bottom);
  const line = points.filter((p) => p.ok && p.ms !== null).map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.ms!).toFixed(1)}`).join(' ');
  const failures = points.filter((p) => !p.ok);
  const okLatencies = points.filter((p) => p.ok && p.ms !== null).map((p) => p.ms!);
  const last = okLatencies[okLatencies.length - 1];
  const spanS = Math.round((t1 - t0) / 1000);
  return (
    <figure className="chart" data-testid={`chart-${provider}`}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${provider} latency over the last ${spanS} s: ${okLatencies.length} successful samples${last !== undefined ? `, latest ${Math.round(last)} ms` : ''}, ${failures.length} failures`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end">{Math.round(top * f)}</text>
          </g>
        ))}
        <text x={PAD.left} y={H - 6} className="chart-axis">−{spanS} s</text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end" className="chart-axis">now</text>
        {line && <path d={line} className="chart-line" />}
        {points.filter((p) => p.ok && p.ms !== null).length === 1 && <circle cx={x(points.find((p) => p.ok && p.ms !== null)!.t)} cy={y(okLatencies[0]!)} r={3} className="chart-dot" />}
        {failures.map((p, i) => <circle key={i} cx={x(p.t)} cy={y(0) - 3} r={3.5} className="chart-failure" />)}
      </svg>
      <figcaption className="muted small">Latency (ms) per sample; red marks are failures.</figcaption>
    </figure>
  );
}

/** 1, 2 or 5 times a power of ten, at least `v`. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((n) => n >= v) ?? v;
}
