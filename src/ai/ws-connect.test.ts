import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { connectWebSocket } from './ws-connect.js';

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(options: { autoPong: boolean }): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: options.autoPong });
  server.on('connection', (ws) => ws.send('{"hello":true}'));
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('connectWebSocket', () => {
  it('hears a message sent in the same packet as the upgrade answer', async () => {
    const url = await listen({ autoPong: true });
    const seen: string[] = [];
    const ws = await connectWebSocket('test', url, { onMessage: (data) => seen.push(String(data)) });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['{"hello":true}']);
    ws.close();
  });

  it('drops a socket that stops answering pings (half-open), and keeps one that answers', async () => {
    const url = await listen({ autoPong: false });
    const dead = await connectWebSocket('test', url, { pingMs: 50 });
    const closedAt = await new Promise<number>((resolve) => dead.once('close', () => resolve(Date.now())));
    expect(closedAt).toBeGreaterThan(0);
    server!.close();
    const liveUrl = await listen({ autoPong: true });
    const live = await connectWebSocket('test', liveUrl, { pingMs: 50 });
    await new Promise((r) => setTimeout(r, 250));
    expect(live.readyState).toBe(live.OPEN);
    live.close();
  });

  it('a refused upgrade rejects with the status as an AiError', async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', verifyClient: (_info, cb) => cb(false, 429) });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const error = await connectWebSocket('test', `ws://127.0.0.1:${(server.address() as AddressInfo).port}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
  });
});
