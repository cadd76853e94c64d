/**
 * npm run bench:api — drives POST /api/v1/sessions (the session bootstrap) with autocannon against a real server
 * process, once on embedded PGlite and once on the machine's PostgreSQL, and writes the figures to docs/benchmarks.md.
 * Options: --seconds N (default 15), --connections N (default 16).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { TestClient } from '../test/support/client.js';
import { freePort } from '../test/support/server.js';
import { startProcess } from '../test/support/process.js';
import { createTestDatabase } from '../test/support/services.js';
import { machineLine, writeSection } from './report.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, connections: { type: 'string', default: '16' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const PASSWORD = 'bench-admin-password';

interface Row { database: string; rps: number; p50: number; p90: number; p99: number; max: number; errors: number; non2xx: number; requests: number }

async function run(database: 'pglite' | 'postgres'): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const db = database === 'postgres' ? await createTestDatabase() : null;
  const port = await freePort();
  const server = await startProcess({
    SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SWITCHBOARD_ADMIN_PASSWORD: PASSWORD,
    ...(db ? { DATABASE_URL: db.url } : {}),
  });
  try {
    const client = new TestClient(`http://127.0.0.1:${port}`);
    await client.login('admin@demo.switchboard.local', PASSWORD);
    const key = (await client.post('/api/v1/api-keys', { name: 'bench', role: 'agent' })).body.secret as string;
    const body = JSON.stringify({ channel: 'phone', flow: 'booking', language: 'en-US', metadata: { source: 'bench' } });
    const target = { url: `http://127.0.0.1:${port}/api/v1/sessions`, method: 'POST' as const, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } };
    await autocannon({ ...target, connections, duration: 3 }); // warm-up: JIT, pool, caches
    const result = await autocannon({ ...target, connections, duration: seconds });
    return {
      database, rps: result.requests.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99,
      max: result.latency.max, errors: result.errors + result.timeouts, non2xx: result.non2xx, requests: result.requests.total,
    };
  } finally {
    await server.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows = [await run('pglite'), await run('postgres')];
const table = [
  '| database | requests/s (mean) | p50 ms | p90 ms | p99 ms | max ms | requests | errors | non-2xx |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.database} | ${Math.round(r.rps)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.requests} | ${r.errors} | ${r.non2xx} |`),
].join('\n');
process.stdout.write(`${table}\n`);
writeSection('Session bootstrap API (bench:api)', `
Command: \`npm run bench:api -- --seconds ${seconds} --connections ${connections}\` — autocannon in the benchmark process,
the server (\`switchboard start\`, LOG_LEVEL=warn) in its own process, ${connections} connections, ${seconds} s after a 3 s warm-up,
\`POST /api/v1/sessions\` with an API key (insert of the session row, live state, bus event, token signing).
Machine: ${machineLine()}.
Target (PostgreSQL): ≥ 2,000 requests/s, p99 ≤ 20 ms, zero errors.

${table}
`);
