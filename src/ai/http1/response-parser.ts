/**
 * An incremental HTTP/1.1 response parser (RFC 9112): status line and headers, then a body framed by
 * `Transfer-Encoding: chunked`, `Content-Length` or the connection's close. Interim 1xx responses are skipped.
 * Bytes go in as the socket delivers them; the body comes out as it arrives, without copies where it can.
 */

export class HttpParseError extends Error {}

export interface ResponseHead {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The connection may carry another request once this response is complete. */
  keepAlive: boolean;
}

export interface ResponseSink {
  head(head: ResponseHead): void;
  data(chunk: Uint8Array): void;
  end(): void;
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4 * 1024;

type State = 'head' | 'fixed' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

export class ResponseParser {
  private state: State = 'head';
  /** Bytes of a head or a line not yet complete. */
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private readonly sink: ResponseSink;

  constructor(sink: ResponseSink) {
    this.sink = sink;
  }

  /** Feeds bytes from the socket. Throws `HttpParseError` on a malformed response. */
  push(bytes: Buffer): void {
    let data = bytes;
    while (data.length > 0) {
      switch (this.state) {
        case 'head': {
          const head = this.takeUntil(data, '\r\n\r\n', MAX_HEAD_BYTES, 'response head');
          if (!head) return;
          data = head.rest;
          this.onHead(head.taken.toString('latin1'));
          break;
        }
        case 'fixed':
        case 'chunk-data': {
          const n = Math.min(this.remaining, data.length);
          this.sink.data(data.subarray(0, n));
          this.remaining -= n;
          data = data.subarray(n);
          if (this.remaining === 0) {
            if (this.state === 'fixed') this.finish();
            else this.state = 'chunk-end';
          }
          break;
        }
        case 'chunk-end': {
          const line = this.takeUntil(data, '\r\n', MAX_LINE_BYTES, 'chunk end');
          if (!line) return;
          if (line.taken.length !== 0) throw new HttpParseError('chunk data longer than its size');
          data = line.rest;
          this.state = 'chunk-size';
          break;
        }
        case 'chunk-size': {
          const line = this.takeUntil(data, '\r\n', MAX_LINE_BYTES, 'chunk size');
          if (!line) return;
          data = line.rest;
          const hex = line.taken.toString('latin1').split(';')[0]!.trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpParseError(`bad chunk size "${hex.slice(0, 20)}"`);
          this.remaining = parseInt(hex, 16);
          this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'trailers': {
          const line = this.takeUntil(data, '\r\n', MAX_HEAD_BYTES, 'trailer');
          if (!line) return;
          data = line.rest;
          if (line.taken.length === 0) this.finish();
          break;
        }
        case 'until-close':
          this.sink.data(data);
          return;
        case 'done':
          throw new HttpParseError('bytes after the end of the response');
      }
    }
  }

  /**
   * The connection closed. Ends a body that runs until the close; returns whether the response was complete
   * (false: it broke off).
   */
  close(): boolean {
    if (this.state === 'until-close') this.finish();
    return this.state === 'done';
  }

  private finish(): void {
    this.state = 'done';
    this.sink.end();
  }

  private onHead(text: string): void {
    const lines = text.split('\r\n');
    const match = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!match) throw new HttpParseError(`bad status line "${(lines[0] ?? '').slice(0, 40)}"`);
    const minor = Number(match[1]);
    const status = Number(match[2]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpParseError(`bad header line "${line.slice(0, 40)}"`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    // 100 Continue, 103 Early Hints: the real response follows.
    if (status >= 100 && status < 200 && status !== 101) return;
    const connection = (headers.connection ?? '').toLowerCase();
    let keepAlive = minor === 1 ? !connection.includes('close') : connection.includes('keep-alive');
    const chunked = (headers['transfer-encoding'] ?? '').toLowerCase().split(',').map((s) => s.trim()).at(-1) === 'chunked';
    const length = headers['content-length'];
    if (status === 204 || status === 304) {
      this.state = 'done';
    } else if (chunked) {
      this.state = 'chunk-size';
    } else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new HttpParseError(`bad content-length "${length.slice(0, 20)}"`);
      this.remaining = Number(length);
      this.state = this.remaining === 0 ? 'done' : 'fixed';
    } else {
      this.state = 'until-close';
      keepAlive = false;
    }
    this.sink.head({ status, headers, keepAlive });
    if (this.state === 'done') this.sink.end();
  }

  /** Splits off the bytes before `delimiter` (joined with what was pending), or keeps them pending. */
  private takeUntil(data: Buffer, delimiter: string, max: number, what: string): { taken: Buffer; rest: Buffer } | null {
    const joined = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    // Search from just before the new bytes: the delimiter may straddle the two.
    const from = Math.max(0, this.pending.length - delimiter.length + 1);
    const at = joined.indexOf(delimiter, from, 'latin1');
    if (at < 0) {
      if (joined.length > max) throw new HttpParseError(`${what} longer than ${max} bytes`);
      this.pending = Buffer.from(joined);
      return null;
    }
    this.pending = Buffer.alloc(0);
    return { taken: joined.subarray(0, at), rest: joined.subarray(at + delimiter.length) };
  }
}
