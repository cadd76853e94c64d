import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { TokenSigner } from '../../../src/infra/tokens.js';
import {
  DEFAULT_MEDIA_PATH, TWIML_CONTENT_TYPE, TwilioMediaLeg, mediaStreamUrl, parseStatusCallback, parseVoiceWebhook, twiml,
  validateTwilioUpgrade, verifyTwilioWebhook,
} from '../../../src/telephony/twilio/index.js';
import type { TwilioMediaLegOptions, TwilioStatusCallback, TwilioVoiceWebhook } from '../../../src/telephony/twilio/index.js';

/**
 * A minimal server wired the way the call core's routes should use the Twilio module, for tests only:
 * voice webhook → verify → parse → known number? → `<Connect><Stream>` with a signed token (else `<Reject>`);
 * status webhook → verify → parse; media upgrade → verify signature → accept leg → verify token → resume.
 */
export interface ReferenceServerOptions {
  authToken: string;
  /** When set, webhooks from other accounts are refused as `unknown-account`. */
  accountSid?: string;
  /** Numbers that answer; other `To` numbers are rejected. */
  numbers?: string[];
  /** Public origin Twilio is configured with (webhooks are signed against it). */
  publicOrigin?: string;
  legOptions?: TwilioMediaLegOptions;
  /** Leave `resume()` to the test (after it attached listeners to the leg from `nextLeg()`). */
  manualResume?: boolean;
  /** Called with each started, token-checked leg before `resume()`. */
  onLeg?: (leg: TwilioMediaLeg, call: TwilioVoiceWebhook | undefined) => void;
}

export class ReferenceServer {
  readonly rejected: string[] = [];
  readonly refused: string[] = [];
  readonly voiceCalls: TwilioVoiceWebhook[] = [];
  readonly statusCallbacks: TwilioStatusCallback[] = [];
  readonly legs: TwilioMediaLeg[] = [];
  readonly tokens = new TokenSigner('reference-server-key');
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private legWaiters: ((leg: TwilioMediaLeg) => void)[] = [];
  baseUrl = '';

  constructor(private readonly opts: ReferenceServerOptions) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
  }

  get publicOrigin(): string { return this.opts.publicOrigin ?? this.baseUrl; }
  /** The `<Stream url>` for a call: the media path plus a key (here the CallSid) to find the account by. */
  mediaUrl(key: string): string { return mediaStreamUrl(this.publicOrigin, key); }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next leg that passes the token check. */
  nextLeg(): Promise<TwilioMediaLeg> {
    return new Promise((resolve) => this.legWaiters.push(resolve));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '/';
    const check = verifyTwilioWebhook({
      authToken: (p) => (!this.opts.accountSid || p.AccountSid === this.opts.accountSid ? this.opts.authToken : null),
      url: this.publicOrigin + path, signature: header(req, 'x-twilio-signature'),
      rawBody: Buffer.concat(chunks), contentType: req.headers['content-type'],
    });
    if (!check.ok) { this.refused.push(check.reason); return end(res, 403, 'text/plain', 'forbidden'); }
    if (path === '/telephony/twilio/voice') {
      const call = parseVoiceWebhook(check.params);
      if (!call.ok) { this.rejected.push(call.reason); return end(res, 400, 'text/plain', 'bad request'); }
      this.voiceCalls.push(call.value);
      if (!(this.opts.numbers ?? []).includes(call.value.To)) return end(res, 200, TWIML_CONTENT_TYPE, twiml.reject());
      const streamToken = this.tokens.sign({ aud: 'twilio-stream', sub: call.value.CallSid, tenantId: 't1', exp: Date.now() + 60_000 });
      return end(res, 200, TWIML_CONTENT_TYPE, twiml.connectStream({ streamUrl: this.mediaUrl(call.value.CallSid), streamToken, parameters: { callSid: call.value.CallSid } }));
    }
    if (path === '/telephony/twilio/status') {
      const cb = parseStatusCallback(check.params);
      if (!cb.ok) { this.rejected.push(cb.reason); return end(res, 400, 'text/plain', 'bad request'); }
      this.statusCallbacks.push(cb.value);
      return end(res, 204, 'text/plain', '');
    }
    end(res, 404, 'text/plain', 'not found');
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const key = path.startsWith(`${DEFAULT_MEDIA_PATH}/`) ? decodeURIComponent(path.slice(DEFAULT_MEDIA_PATH.length + 1)) : null;
    if (key === null || !validateTwilioUpgrade(this.opts.authToken, header(req, 'x-twilio-signature'), this.mediaUrl(key))) {
      this.refused.push('bad-upgrade-signature');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      TwilioMediaLeg.accept(ws, { onRejected: (r) => this.rejected.push(r), ...this.opts.legOptions }).then((leg) => {
        const token = this.tokens.verify(leg.streamToken ?? '', 'twilio-stream');
        if (!token.ok || token.claims.sub !== leg.carrierCallId) { this.rejected.push(`stream-token-${token.ok ? 'wrong-call' : token.reason}`); leg.close(); return; }
        this.legs.push(leg);
        this.opts.onLeg?.(leg, this.voiceCalls.find((c) => c.CallSid === leg.carrierCallId));
        this.legWaiters.shift()?.(leg);
        if (!this.opts.manualResume) leg.resume();
      }, (err: Error) => this.rejected.push(err.message));
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function end(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
