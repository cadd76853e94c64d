import { describe, expect, it } from 'vitest';
import { HttpParseError, ResponseParser, type ResponseHead } from './response-parser.js';

/** Parses `raw` fed in pieces of `step` bytes; returns what came out. */
function parse(raw: string, step = raw.length, closeAtEnd = false) {
  const out: { head?: ResponseHead; body: string; ended: boolean; complete?: boolean } = { body: '', ended: false };
  const parser = new ResponseParser({
    head: (head) => (out.head = head),
    data: (chunk) => (out.body += Buffer.from(chunk).toString('latin1')),
    end: () => (out.ended = true),
  });
  const bytes = Buffer.from(raw, 'latin1');
  for (let i = 0; i < bytes.length; i += step) parser.push(bytes.subarray(i, i + step));
  if (closeAtEnd) out.complete = parser.close();
  return out;
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5;ext=1\r\nhello\r\n1a\r\n, world of chunked bodies!\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('ResponseParser (HTTP/1.1 responses as a socket delivers them)', () => {
  it('reads a chunked body with extensions and trailers, whatever the piece size', () => {
    for (const step of [1, 2, 3, 7, 64, CHUNKED.length]) {
      const out = parse(CHUNKED, step);
      expect(out.head).toEqual({ status: 200, headers: { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }, keepAlive: true });
      expect(out.body).toBe('hello, world of chunked bodies!');
      expect(out.ended).toBe(true);
    }
  });

  it('reads a Content-Length body and stops at its end', () => {
    for (const step of [1, 5, 1000]) {
      const out = parse('HTTP/1.1 401 Unauthorized\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"error":1}', step);
      expect(out).toMatchObject({ head: { status: 401, keepAlive: false }, body: '{"error":1}', ended: true });
    }
  });

  it('skips interim 1xx responses; 204 and a zero length end at once', () => {
    expect(parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n', 3)).toMatchObject({ head: { status: 204 }, body: '', ended: true });
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ head: { status: 200, keepAlive: true }, ended: true });
  });

  it('a body without length runs until the close, and the connection is not reused', () => {
    const out = parse('HTTP/1.0 200 OK\r\n\r\nall of it', 4, true);
    expect(out).toMatchObject({ head: { status: 200, keepAlive: false }, body: 'all of it', ended: true, complete: true });
  });

  it('a body cut short is reported incomplete at the close', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 1, true)).toMatchObject({ body: 'abc', ended: false, complete: false });
    expect(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', 1, true)).toMatchObject({ body: 'ab', ended: false, complete: false });
  });

  it('joins repeated headers and honours HTTP/1.0 keep-alive', () => {
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nSet-Cookie: a\r\nSet-Cookie: b\r\nContent-Length: 0\r\n\r\n').head).toEqual({
      status: 200,
      headers: { connection: 'keep-alive', 'set-cookie': 'a, b', 'content-length': '0' },
      keepAlive: true,
    });
  });

  it('rejects malformed responses', () => {
    expect(() => parse('HTTP/2 200\r\n\r\n')).toThrow(HttpParseError);
    expect(() => parse('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')).toThrow(HttpParseError);
    expect(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n')).toThrow(/longer than its size/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(/content-length/);
    expect(() => parse(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`, 1000)).toThrow(/longer than/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab')).toThrow(/after the end/);
  });
});
