import { startTestServer, type TestServer } from './server.js';
import { createTestDatabase, REDIS_URL } from './services.js';

/** Two instances on one fresh PostgreSQL database and the machine's Redis: one platform, scaled out. */
export interface TwoInstances {
  a: TestServer;
  b: TestServer;
  /** Closes both instances, then drops the database. */
  close(): Promise<void>;
}

export async function startTwoInstances(): Promise<TwoInstances> {
  const db = await createTestDatabase();
  const env = { DATABASE_URL: db.url, REDIS_URL };
  const started = await Promise.allSettled([startTestServer({ env }), startTestServer({ env })]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async () => {
    await Promise.all(servers.map((s) => s.close()));
    await db.drop();
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { a: servers[0]!, b: servers[1]!, close };
}
