import WebSocket from 'ws';
import type { ConversationMessage, WidgetServerMessage } from '../../src/contracts/widget.js';

/** A widget socket as a page opens it, with the frames it got and a wait for a condition on them. */
export interface WidgetPage {
  ws: WebSocket;
  frames: WidgetServerMessage[];
  messages(): ConversationMessage[];
  until(check: (frames: WidgetServerMessage[]) => boolean, ms?: number): Promise<void>;
  send(frame: unknown): void;
  close(): Promise<void>;
}

export function widgetUrl(base: string, key: string, extra: Record<string, string> = {}): string {
  const url = new URL('/api/v1/widget/socket', base.replace(/^http/, 'ws'));
  url.searchParams.set('key', key);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.toString();
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
export function openWidget(base: string, key: string, origin: string, extra: Record<string, string> = {}): Promise<WidgetPage> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(widgetUrl(base, key, extra), { headers: { origin } });
    const frames: WidgetServerMessage[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data) => { frames.push(JSON.parse(String(data)) as WidgetServerMessage); for (const w of waiters) w(); });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => resolve({
      ws, frames,
      messages: () => frames.flatMap((f) => (f.type === 'message' ? [f.message] : [])),
      until: (check, ms = 5000) => new Promise<void>((ok, fail) => {
        if (check(frames)) { ok(); return; }
        const timer = setTimeout(() => { waiters.delete(test); fail(new Error(`timed out; frames: ${JSON.stringify(frames)}`)); }, ms);
        const test = () => { if (check(frames)) { clearTimeout(timer); waiters.delete(test); ok(); } };
        waiters.add(test);
      }),
      send: (frame) => ws.send(JSON.stringify(frame)),
      close: () => new Promise<void>((done) => { if (ws.readyState === WebSocket.CLOSED) done(); else { ws.once('close', () => done()); ws.close(); } }),
    }));
  });
}
