import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server.js';

export interface ApiResponse<T = any> { status: number; body: T; headers: Headers }

/** A small HTTP client that keeps the session cookie and CSRF token like a browser would. */
export class TestClient {
  cookie: string | null = null;
  csrf: string | null = null;
  apiKey: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    if (this.cookie) h['cookie'] = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.apiKey) h['authorization'] = `Bearer ${this.apiKey}`;
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? null;
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) { return this.request<T>('GET', path); }
  post<T = any>(path: string, body?: unknown) { return this.request<T>('POST', path, body ?? {}); }
  put<T = any>(path: string, body?: unknown) { return this.request<T>('PUT', path, body ?? {}); }
  delete<T = any>(path: string) { return this.request<T>('DELETE', path); }

  async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<ApiResponse<any>> {
    const res = await this.post('/api/v1/auth/login', { email, password });
    if (res.status === 200) this.csrf = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }
}

/** A client signed in through the account service directly (no HTTP login, so login rate limits stay out of the way). */
export async function signedInClient(server: { url: string; platform: { accounts: { login(e: string, p: string): Promise<{ token: string; caller: { csrfToken: string | null } } | null> } } }, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<TestClient> {
  const login = await server.platform.accounts.login(email, password);
  if (!login) throw new Error(`cannot sign in as ${email}`);
  const client = new TestClient(server.url);
  client.cookie = `sb_session=${login.token}`;
  client.csrf = login.caller.csrfToken;
  return client;
}
