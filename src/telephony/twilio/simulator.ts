import { randomBytes } from 'node:crypto';
import { DEFAULT_STATUS_PATH, DEFAULT_VOICE_PATH } from './paths.js';
import { computeTwilioSignature } from './signature.js';
import type { TwilioParams } from './signature.js';
import { TwilioStreamCaller } from './sim-stream.js';
import type { TimelineEvent } from './sim-stream.js';
import { readTwiml } from './twiml-read.js';
import type { TwimlAnswer } from './twiml-read.js';
import type { TwilioCallStatus } from './webhooks.js';

/**
 * A caller that behaves like Twilio towards a Switchboard server: signed form webhooks (incoming call, status
 * callbacks), then the media socket as `TwilioStreamCaller`. Used by `switchboard simulate-call`, the benchmark and
 * tests; no test-framework imports here.
 */
export interface TwilioSimulatorOptions {
  /** The server to call, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The URL Twilio was configured with, which it signs (default: `baseUrl`); for servers behind a proxy. */
  publicUrl?: string;
  voicePath?: string;
  statusPath?: string;
  authToken: string;
  accountSid: string;
  from: string;
  to: string;
  callSid?: string;
  fetch?: typeof fetch;
  sign?: (authToken: string, url: string, params: TwilioParams) => string;
  onEvent?: (e: TimelineEvent) => void;
}


export function newSid(prefix: 'CA' | 'AC' | 'MZ' | 'PN'): string {
  return prefix + randomBytes(16).toString('hex');
}

export interface WebhookAnswer {
  status: number;
  contentType: string;
  body: string;
}

export class TwilioCallSimulator {
  readonly callSid: string;
  private readonly startedAt = Date.now();
  private statusSeq = 0;

  constructor(private readonly opts: TwilioSimulatorOptions) {
    this.callSid = opts.callSid ?? newSid('CA');
  }

  /** POSTs a form webhook to `path` on the server, signed as Twilio signs it. */
  async postWebhook(path: string, params: Record<string, string>): Promise<WebhookAnswer> {
    const signedUrl = new URL(path, this.opts.publicUrl ?? this.opts.baseUrl).toString();
    const sign = this.opts.sign ?? computeTwilioSignature;
    const res = await (this.opts.fetch ?? fetch)(new URL(path, this.opts.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': sign(this.opts.authToken, signedUrl, params),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
  }

  /** Twilio's parameters common to every webhook of this call. */
  callParams(status: TwilioCallStatus): Record<string, string> {
    const { accountSid, from, to } = this.opts;
    return {
      AccountSid: accountSid, ApiVersion: '2010-04-01', CallSid: this.callSid, CallStatus: status,
      Called: to, Caller: from, Direction: 'inbound', From: from, To: to,
    };
  }

  /** The incoming-call webhook; returns the server's answer as Twilio reads it. */
  async dialIn(extra: Record<string, string> = {}): Promise<WebhookAnswer & { answer: TwimlAnswer }> {
    this.note('webhook', `POST ${this.opts.voicePath ?? DEFAULT_VOICE_PATH}`);
    const res = await this.postWebhook(this.opts.voicePath ?? DEFAULT_VOICE_PATH, { ...this.callParams('ringing'), ...extra });
    const answer: TwimlAnswer = res.status === 200
      ? readTwiml(res.body)
      : { kind: 'invalid', reason: `webhook answered ${res.status}` };
    this.note('answer', answer.kind === 'stream' ? `stream ${answer.streamUrl}` : answer.kind);
    return { ...res, answer };
  }

  /** Opens the media socket the TwiML asked for (on the server at `baseUrl`, signed with the TwiML's URL). */
  connectMedia(answer: Extract<TwimlAnswer, { kind: 'stream' }>, silenceWhenIdle = true): Promise<TwilioStreamCaller> {
    const twimlUrl = new URL(answer.streamUrl);
    const connect = new URL(twimlUrl.pathname + twimlUrl.search, this.opts.baseUrl);
    connect.protocol = connect.protocol === 'https:' || connect.protocol === 'wss:' ? 'wss:' : 'ws:';
    return TwilioStreamCaller.connect({
      connectUrl: connect.toString(), signedUrl: answer.streamUrl, authToken: this.opts.authToken,
      accountSid: this.opts.accountSid, callSid: this.callSid, customParameters: answer.parameters,
      silenceWhenIdle, ...(this.opts.sign ? { sign: this.opts.sign } : {}), ...(this.opts.onEvent ? { onEvent: this.opts.onEvent } : {}),
    });
  }

  /** A call status callback (`completed` carries the duration). */
  async sendStatus(status: TwilioCallStatus, event = eventFor(status)): Promise<WebhookAnswer> {
    const seconds = Math.round((Date.now() - this.startedAt) / 1000);
    const params: Record<string, string> = {
      ...this.callParams(status), StatusCallbackEvent: event, SequenceNumber: String(this.statusSeq++),
      Timestamp: new Date().toUTCString(), CallbackSource: 'call-progress-events',
      ...(event === 'completed' ? { CallDuration: String(seconds), Duration: String(Math.ceil(seconds / 60)) } : {}),
    };
    this.note('status', status);
    return this.postWebhook(this.opts.statusPath ?? DEFAULT_STATUS_PATH, params);
  }

  private note(kind: string, detail: string): void {
    this.opts.onEvent?.({ atMs: Date.now() - this.startedAt, kind, detail });
  }
}

function eventFor(status: TwilioCallStatus): 'initiated' | 'ringing' | 'answered' | 'completed' {
  return status === 'queued' || status === 'initiated' ? 'initiated'
    : status === 'ringing' ? 'ringing' : status === 'in-progress' ? 'answered' : 'completed';
}

export interface InboundCallOptions extends TwilioSimulatorOptions {
  /** Caller audio, μ-law 8 kHz (silence when absent). */
  audio?: Uint8Array;
  /** After the caller's audio, keep listening this long (ms, default 1500) unless the server hangs up first. */
  tailMs?: number;
  /** Send the `completed` status callback at the end (default true). */
  statusCallback?: boolean;
}

export interface InboundCallResult {
  callSid: string;
  answer: TwimlAnswer;
  /** The media side, when the server answered with a stream (its recordings, timeline, violations). */
  stream: TwilioStreamCaller | null;
  /** Who ended it. */
  endedBy: 'caller' | 'server' | 'not-connected';
}

/** A whole inbound call: webhook, media with the caller's audio, hang-up, status callback. */
export async function runInboundCall(opts: InboundCallOptions): Promise<InboundCallResult> {
  const sim = new TwilioCallSimulator(opts);
  const { answer } = await sim.dialIn();
  if (answer.kind !== 'stream') return { callSid: sim.callSid, answer, stream: null, endedBy: 'not-connected' };
  const stream = await sim.connectMedia(answer);
  if (opts.audio) stream.play(opts.audio);
  let serverClosed = false;
  void stream.closed.then(() => { serverClosed = true; });
  const audioMs = (opts.audio?.length ?? 0) / 8;
  await stream.until(() => serverClosed || stream.callerQueuedBytes === 0, audioMs + 10_000);
  const tail = new Promise((r) => setTimeout(r, opts.tailMs ?? 1500));
  await Promise.race([stream.closed, tail]);
  const endedBy = serverClosed ? 'server' : 'caller';
  if (!serverClosed) await stream.hangup();
  if (opts.statusCallback !== false) await sim.sendStatus('completed');
  return { callSid: sim.callSid, answer, stream, endedBy };
}
