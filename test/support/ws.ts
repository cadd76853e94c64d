import WebSocket from 'ws';

/** Opens a WebSocket; resolves with the socket once open, or rejects with the HTTP status of a refused upgrade. */
export type Inbox = ReturnType<typeof messages>;

/** Opens a WebSocket whose `inbox` collects messages from the first one (a server may speak right at the upgrade). */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket & { inbox: Inbox }> {
  return new Promise((resolve, reject) => {
    const ws = Object.assign(new WebSocket(url, { headers }), { inbox: null as unknown as Inbox });
    ws.inbox = messages(ws);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** Collects JSON messages; `next(pred)` waits for the first one matching. */
export function messages(ws: WebSocket) {
  const seen: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const msg = JSON.parse(String(data));
    seen.push(msg);
    for (const w of [...waiters]) if (w.pred(msg)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(msg); }
  });
  return {
    seen,
    next(pred: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
      const found = seen.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; saw ${JSON.stringify(seen)}`)), timeoutMs);
        waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
      });
    },
  };
}
