/**
 * The cascade's HTTP/1.1 client (src/ai/http1 behind JsonEndpoint) against Node's own HTTP server as the judge:
 * what arrives, how answers stream back, connection reuse, and every way a request can end badly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AiError } from '../../src/ai/errors.js';
import { isAbort, JsonEndpoint } from '../../src/ai/http-stream.js';

interface Received { method: string; url: string; headers: IncomingMessage['headers']; body: string }

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server answering with `handler`; counts connections and records requests. */
async function serve(handler: (request: Received, response: ServerResponse) => void, keepAliveTimeout = 5000) {
  const received: Received[] = [];
  const sockets: Socket[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const r = { method: request.method!, url: request.url!, headers: request.headers, body };
      received.push(r);
      handler(r, response);
    });
  });
  server.keepAliveTimeout = keepAliveTimeout;
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, sockets };
}

async function read(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += Buffer.from(chunk).toString('utf8');
  return text;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JsonEndpoint: POST JSON, stream the answer', () => {
  it('sends method, path, query, headers and body as given; streams a chunked answer in order', async () => {
    const s = await serve((_r, response) => {
      response.writeHead(200, { 'content-type': 'audio/basic' });
      let n = 0;
      const timer = setInterval(() => {
        response.write(`part${n}|`);
        if (++n === 3) { clearInterval(timer); response.end(); }
      }, 5);
    });
    const endpoint = new JsonEndpoint('test', `${s.url}/v1/speak?model=aura-2&encoding=mulaw`, { Authorization: 'Token k' });
    const response = await endpoint.post(JSON.stringify({ text: 'Grüße, world' }));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('audio/basic');
    expect(await read(response.chunks)).toBe('part0|part1|part2|');
    expect(s.received).toEqual([{ method: 'POST', url: '/v1/speak?model=aura-2&encoding=mulaw', body: '{"text":"Grüße, world"}', headers: expect.objectContaining({ authorization: 'Token k', 'content-type': 'application/json', host: new URL(s.url).host, 'content-length': String(Buffer.byteLength('{"text":"Grüße, world"}')) }) }]);
  });

  it('keeps the connection: requests one after another use one socket; warm() opens it before the first', async () => {
    const s = await serve((_r, response) => response.end('ok'));
    const endpoint = new JsonEndpoint('test', `${s.url}/x`, {});
    endpoint.warm();
    await sleep(50);
    expect(s.sockets.length).toBe(1);
    expect(s.received.length).toBe(0);
    for (let i = 0; i < 3; i++) expect(await read((await endpoint.post('{}')).chunks)).toBe('ok');
    expect(s.sockets.length).toBe(1);
  });

  it('a reader that stops early lets the rest drain, and the socket carries the next request', async () => {
    const s = await serve((_r, response) => {
      response.write('first|');
      setTimeout(() => response.end('rest'), 20);
    });
    const endpoint = new JsonEndpoint('test', `${s.url}/x`, {});
    for await (const chunk of (await endpoint.post('{}')).chunks) {
      expect(Buffer.from(chunk).toString()).toBe('first|');
      break;
    }
    await sleep(60);
    expect(await read((await endpoint.post('{}')).chunks)).toBe('first|rest');
    expect(s.sockets.length).toBe(1);
  });

  it('a kept socket the server closed while it was idle is dropped from the pool', async () => {
    const s = await serve((_r, response) => response.end('ok'));
    const endpoint = new JsonEndpoint('test', `${s.url}/x`, {});
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok');
    s.sockets[0]!.destroy();
    await sleep(20);
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok');
    expect(s.sockets.length).toBe(2);
  });

  it('a kept socket the server drops as the request arrives is retried once on a fresh one', async () => {
    let n = 0;
    const s = await serve((_r, response) => {
      if (++n === 2) return void response.socket?.destroy(); // the reused socket: dropped without an answer
      response.end(`ok${n}`);
    });
    const endpoint = new JsonEndpoint('test', `${s.url}/x`, {});
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok1');
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok3');
    expect(s.received.length).toBe(3);
    expect(s.sockets.length).toBe(2);
  });

  it('a refusal becomes an AiError with the status and the start of the body', async () => {
    const s = await serve((r, response) => {
      const status = r.url === '/auth' ? 401 : r.url === '/busy' ? 429 : 500;
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"nope"}');
    });
    await expect(new JsonEndpoint('test', `${s.url}/auth`, {}).post('{}')).rejects.toMatchObject({ code: 'auth_failed', status: 401, retryable: false, message: expect.stringContaining('nope') });
    await expect(new JsonEndpoint('test', `${s.url}/busy`, {}).post('{}')).rejects.toMatchObject({ code: 'rate_limited', status: 429, retryable: true });
    await expect(new JsonEndpoint('test', `${s.url}/boom`, {}).post('{}')).rejects.toMatchObject({ code: 'provider_error', status: 500 });
  });

  it('no answer in time is a retryable timeout; nobody listening is connect_failed', async () => {
    const s = await serve(() => undefined);
    await expect(new JsonEndpoint('test', `${s.url}/slow`, {}).post('{}', { timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout', retryable: true });
    const closed = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(new JsonEndpoint('test', `${closed}/x`, {}).post('{}')).rejects.toMatchObject({ code: 'connect_failed' });
  });

  it('an abort before the answer rejects as an abort; during the body it ends the body quietly and drops the socket', async () => {
    const s = await serve((r, response) => {
      if (r.url === '/never') return;
      response.write('a|');
    });
    const early = new AbortController();
    const pending = new JsonEndpoint('test', `${s.url}/never`, {}).post('{}', { signal: early.signal });
    setTimeout(() => early.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);

    const late = new AbortController();
    const response = await new JsonEndpoint('test', `${s.url}/body`, {}).post('{}', { signal: late.signal });
    const seen: string[] = [];
    for await (const chunk of response.chunks) {
      seen.push(Buffer.from(chunk).toString());
      late.abort();
    }
    expect(seen).toEqual(['a|']);
    await sleep(30);
    expect(s.sockets.filter((socket) => !socket.destroyed).length).toBe(0);
  });

  it('a body that breaks off rejects with connection_lost', async () => {
    const s = await serve((_r, response) => {
      response.write('half|');
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const response = await new JsonEndpoint('test', `${s.url}/x`, {}).post('{}');
    const error = await read(response.chunks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiError);
    expect(error).toMatchObject({ code: 'connection_lost', retryable: true });
  });

  it('a socket that brings bytes after a complete answer is not used again', async () => {
    const s = await serve((_r, response) => {
      response.socket!.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE');
      response.socket!.once('data', () => undefined);
    });
    const endpoint = new JsonEndpoint('test', `${s.url}/x`, {});
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok');
    await sleep(20);
    expect(await read((await endpoint.post('{}')).chunks)).toBe('ok');
    expect(s.sockets.length).toBe(2);
  });

  it('a header value that would add a line to the request is refused', () => {
    expect(() => new JsonEndpoint('test', 'http://127.0.0.1:9/x', { Authorization: 'Token a\r\nX-Evil: 1' })).toThrow(/line break/);
  });
});
