import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookToolSchema } from '../../contracts/flows.js';
import { toChatTools } from '../tools.js';
import { ToolRunner } from './runner.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';
import { registerWebhookTool, webhookToolDefinition } from './webhook.js';

const SECRET = 'whsec-test-secret';
let server: Server;
let base = '';
const seen: { method: string; url: string; body: string; verified: boolean }[] = [];

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', base);
  const payload = req.method === 'GET' ? url.searchParams.toString() : body;
  const verified = verifySignature({ secret: SECRET, timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string, payload });
  seen.push({ method: req.method ?? '', url: req.url ?? '', body, verified });
  if (!verified) { res.writeHead(401).end(); return; }
  switch (url.pathname) {
    case '/orders': {
      const { arguments: args } = JSON.parse(body) as { arguments: { order_number: string } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'shipped', order: args.order_number }));
      return;
    }
    case '/query': res.writeHead(200, { 'content-type': 'text/plain' }).end(`found ${url.searchParams.get('q')}`); return;
    case '/slow': setTimeout(() => res.writeHead(200).end('{}'), 2000); return;
    case '/broken': res.writeHead(500).end('oops'); return;
    case '/huge': res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(100_000)}"`); return;
    default: res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const spec = (path: string, extra: Record<string, unknown> = {}) => webhookToolSchema.parse({
  description: 'Look up an order', url: `${base}${path}`,
  parameters: { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] }, ...extra,
});

describe('the lookup (webhook) tool', () => {
  it('POSTs signed arguments and answers the JSON result', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', spec('/orders'), { secret: SECRET });
    const result = await runner.run({ name: 'lookup_order', arguments: { order_number: '1234' }, callId: 'c1' });
    expect(result).toEqual({ ok: true, result: { status: 'shipped', order: '1234' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', verified: true, body: '{"tool":"lookup_order","callId":"c1","arguments":{"order_number":"1234"}}' });
  });

  it('GETs with the arguments in the query, signed over the query string', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'search', spec('/query', { method: 'GET', parameters: { type: 'object', properties: { q: { type: 'string' } } } }), { secret: SECRET });
    expect(await runner.run({ name: 'search', arguments: { q: 'blue shoes' } })).toEqual({ ok: true, result: 'found blue shoes' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/query?q=blue+shoes', verified: true });
  });

  it('a wrong secret is refused by the receiver, and the model hears an error', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', spec('/orders'), { secret: 'not-the-secret' });
    expect(await runner.run({ name: 'lookup_order', arguments: { order_number: '1' } })).toEqual({ ok: false, error: expect.stringContaining('HTTP 401') });
    expect(seen.at(-1)?.verified).toBe(false);
  });

  it('a slow webhook answers a timeout error, not a hang', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', spec('/slow', { timeoutMs: 200 }), { secret: SECRET });
    const started = performance.now();
    expect(await runner.run({ name: 'lookup_order', arguments: { order_number: '1' } })).toEqual({ ok: false, error: 'lookup_order timed out after 200 ms' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a 500 answers an error result', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', spec('/broken'), { secret: SECRET });
    expect(await runner.run({ name: 'lookup_order', arguments: { order_number: '1' } })).toEqual({ ok: false, error: `lookup_order failed: HTTP 500 from ${new URL(base).host}` });
  });

  it('refuses oversized answers and arguments that miss the schema', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', spec('/huge'), { secret: SECRET });
    expect(await runner.run({ name: 'lookup_order', arguments: { order_number: '1' } })).toEqual({ ok: false, error: 'lookup_order failed: answer larger than 65536 bytes' });
    expect(await runner.run({ name: 'lookup_order', arguments: {} })).toMatchObject({ ok: false, error: expect.stringContaining('invalid arguments for lookup_order') });
  });

  it('an unreachable webhook answers an error', async () => {
    const runner = registerWebhookTool(new ToolRunner(), 'lookup_order', webhookToolSchema.parse({ description: 'x', url: 'http://127.0.0.1:1/nothing' }), { secret: SECRET });
    expect(await runner.run({ name: 'lookup_order', arguments: {} })).toMatchObject({ ok: false, error: expect.stringContaining('lookup_order failed') });
  });

  it('gives providers its JSON schema', () => {
    expect(toChatTools([webhookToolDefinition('lookup_order', spec('/orders'))])[0]!.function).toMatchObject({
      name: 'lookup_order', description: 'Look up an order',
      parameters: { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] },
    });
  });
});

describe('signatures', () => {
  it('refuse stale timestamps and tampered payloads', async () => {
    const { signPayload } = await import('./signature.js');
    const now = Date.now();
    const signature = signPayload(SECRET, now, 'body');
    expect(verifySignature({ secret: SECRET, timestamp: String(now), signature, payload: 'body', now })).toBe(true);
    expect(verifySignature({ secret: SECRET, timestamp: String(now), signature, payload: 'body2', now })).toBe(false);
    expect(verifySignature({ secret: SECRET, timestamp: String(now), signature, payload: 'body', now: now + 10 * 60_000 })).toBe(false);
    expect(verifySignature({ secret: SECRET, timestamp: undefined, signature, payload: 'body' })).toBe(false);
  });
});
