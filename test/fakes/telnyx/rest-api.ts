import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { TelnyxCallerStream, simulatedCall, telnyxEvent } from '../../../src/telephony/telnyx/simulator.js';
import type { SimulatedCall, TelnyxWebhookSender } from '../../../src/telephony/telnyx/simulator.js';

/**
 * A fake Telnyx Call Control API (node http) for tests. It records every command, answers like Telnyx
 * (`{data:{result:"ok"}}`, `{errors:[{code,title,detail}]}`; 422 code 90018 on an ended call; a repeated
 * command_id is accepted and ignored), and on `answer`/`streaming_start`/dial with a `stream_url` opens the
 * media socket to that URL like Telnyx, as a `TelnyxCallerStream`. With `webhooks` it also sends the
 * webhooks Telnyx would (call.answered, streaming.started, call.hangup; call.initiated/answered for dials).
 */
export interface RecordedCommand {
  action: string;
  callControlId: string | undefined;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
  ignored: boolean;
}

export interface FakeCall extends SimulatedCall {
  state: 'parked' | 'answered' | 'ended';
  clientState: string | undefined;
  commandIds: Set<string>;
  streams: TelnyxCallerStream[];
}

export interface FakeTelnyxApiOptions {
  apiKey: string;
  webhooks?: TelnyxWebhookSender;
  /** Play agent audio at real time in opened media streams (default true). */
  realtimePlayback?: boolean;
  /** Answer dialed calls right away (initiated + answered webhooks, stream). Default true. */
  answerDials?: boolean;
}

const ok = { data: { result: 'ok' } };
const err = (code: string, title: string, detail = title) => ({ errors: [{ code, title, detail }] });

export class FakeTelnyxApi {
  readonly commands: RecordedCommand[] = [];
  readonly calls = new Map<string, FakeCall>();
  readonly streamErrors: string[] = [];
  readonly webhookErrors: string[] = [];
  private server: Server | undefined;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  /** Base URL including `/v2`. */
  url = '';

  constructor(readonly options: FakeTelnyxApiOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8')).then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          this.notify();
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2`;
    return this;
  }

  async close(): Promise<void> {
    for (const call of this.calls.values()) for (const s of call.streams) s.ws.terminate();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Registers an inbound call (the harness does this before sending call.initiated). */
  addCall(call: SimulatedCall): FakeCall {
    const fake: FakeCall = { ...call, state: 'parked', clientState: undefined, commandIds: new Set(), streams: [] };
    this.calls.set(call.callControlId, fake);
    return fake;
  }

  /** Resolves once a command matching `action` (and `pred`) was recorded. */
  async waitForCommand(action: string, pred: (c: RecordedCommand) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCommand> {
    const find = () => this.commands.find((c) => c.action === action && pred(c));
    await this.waitUntil(() => find() !== undefined, timeoutMs, `command ${action}`);
    return find()!;
  }

  /** Resolves with the n-th media stream opened for a call. */
  async waitForStream(callControlId: string, index = 0, timeoutMs = 5000): Promise<TelnyxCallerStream> {
    const get = () => this.calls.get(callControlId)?.streams[index];
    await this.waitUntil(() => get() !== undefined, timeoutMs, `stream for ${callControlId}`);
    return get()!;
  }

  /** Resolves once `pred` holds (checked on every API event and every 10 ms). */
  waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => this.notify(), 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters = this.waiters.filter((w) => w.pred !== pred);
        reject(new Error(`fake Telnyx: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve: () => { clearTimeout(timer); clearInterval(poll); resolve(); } });
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) if (w.pred()) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(); }
  }

  private async handle(method: string, path: string, headers: IncomingHttpHeaders, raw: string): Promise<[number, unknown]> {
    if (headers.authorization !== `Bearer ${this.options.apiKey}`) return [401, err('10009', 'Authentication failed')];
    let body: Record<string, any>;
    try { body = raw === '' ? {} : JSON.parse(raw); } catch { return [400, err('10015', 'Bad Request', 'The request body is not valid JSON')]; }
    if (method !== 'POST') return [405, err('10015', 'Method not allowed')];
    if (path === '/v2/calls') return this.dial(body, headers);
    const m = /^\/v2\/calls\/([^/]+)\/actions\/([a-z_]+)$/.exec(path);
    if (!m) return [404, err('10005', 'Resource not found')];
    const callControlId = decodeURIComponent(m[1]!);
    const action = m[2]!;
    const call = this.calls.get(callControlId);
    const repeated = call !== undefined && typeof body.command_id === 'string' && call.commandIds.has(body.command_id);
    this.commands.push({ action, callControlId, body, headers, ignored: repeated });
    if (call === undefined) return [404, err('10005', 'Resource not found', `Call ${callControlId} not found`)];
    if (call.state === 'ended') return [422, err('90018', 'Call has already ended', "This call is no longer active and can't receive commands.")];
    if (repeated) return [200, ok];
    if (typeof body.command_id === 'string') call.commandIds.add(body.command_id);
    if (typeof body.client_state === 'string') call.clientState = body.client_state;
    switch (action) {
      case 'answer':
        call.state = 'answered';
        void this.webhook('call.answered', call);
        if (body.stream_url) void this.openStream(call, body);
        return [200, ok];
      case 'streaming_start':
        if (!body.stream_url) return [422, err('10032', 'Missing required parameter', 'stream_url is required')];
        void this.openStream(call, body);
        return [200, ok];
      case 'hangup':
        await this.end(call, 'normal_clearing', call.direction === 'incoming' ? 'callee' : 'caller');
        return [200, ok];
      case 'transfer':
        if (!body.to) return [422, err('10032', 'Missing required parameter', 'to is required')];
        return [200, ok];
      default:
        return [422, err('90034', 'Unsupported action', action)];
    }
  }

  private dial(body: Record<string, any>, headers: IncomingHttpHeaders): [number, unknown] {
    this.commands.push({ action: 'dial', callControlId: undefined, body, headers, ignored: false });
    for (const k of ['connection_id', 'to', 'from']) {
      if (typeof body[k] !== 'string' || body[k] === '') return [422, err('10032', 'Missing required parameter', `${k} is required`)];
    }
    const call = this.addCall(simulatedCall({ from: body.from, to: body.to, connectionId: body.connection_id, direction: 'outgoing', callLegId: randomUUID() }));
    call.clientState = body.client_state;
    this.commands[this.commands.length - 1]!.callControlId = call.callControlId;
    if (this.options.answerDials !== false) {
      void (async () => {
        await this.webhook('call.initiated', call);
        call.state = 'answered';
        await this.webhook('call.answered', call);
        if (body.stream_url) await this.openStream(call, body);
      })();
    }
    return [200, { data: { call_control_id: call.callControlId, call_leg_id: call.callLegId, call_session_id: call.callSessionId, is_alive: false, record_type: 'call' } }];
  }

  /** Ends a call from the far side (or after our hangup): stop on the streams, call.hangup webhook. */
  async end(call: FakeCall, cause: string, source: 'caller' | 'callee' | 'unknown'): Promise<void> {
    if (call.state === 'ended') return;
    call.state = 'ended';
    await Promise.all(call.streams.map((s) => s.hangup()));
    await this.webhook('call.hangup', call, { hangup_cause: cause, hangup_source: source, sip_hangup_cause: '200' });
  }

  private async openStream(call: FakeCall, body: Record<string, any>): Promise<void> {
    const codec = String(body.stream_codec ?? 'PCMU');
    const mediaFormat = codec === 'L16' ? { encoding: 'L16' as const, sample_rate: 16000 } : { encoding: codec === 'PCMA' ? 'PCMA' as const : 'PCMU' as const, sample_rate: 8000 };
    try {
      const stream = await TelnyxCallerStream.open({
        url: body.stream_url, callControlId: call.callControlId, callSessionId: call.callSessionId,
        from: call.from, to: call.to, clientState: call.clientState, mediaFormat,
        realtimePlayback: this.options.realtimePlayback,
      });
      call.streams.push(stream);
      this.notify();
      await this.webhook('streaming.started', call, { stream_url: body.stream_url });
    } catch (e) {
      this.streamErrors.push(String(e));
      await this.webhook('streaming.failed', call, { failure_reason: String(e) });
    }
  }

  private async webhook(type: string, call: FakeCall, extra: Record<string, unknown> = {}): Promise<void> {
    if (!this.options.webhooks) return;
    try {
      await this.options.webhooks.send(telnyxEvent(type, call, extra, { clientState: call.clientState }));
    } catch (e) {
      this.webhookErrors.push(`${type}: ${String(e)}`);
    }
  }
}
