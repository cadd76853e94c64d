import { z } from 'zod';
import { dial } from './twiml.js';
import type { DialOptions } from './twiml.js';

/** Twilio REST API (2010-04-01) for calls: create, hang up, redirect/transfer. Basic auth AccountSid:AuthToken. */

export const TWILIO_API_BASE = 'https://api.twilio.com';

export interface TwilioRestOptions {
  accountSid: string;
  authToken: string;
  /** Override for tests and the fake (`http://127.0.0.1:port`). */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** An error answer from Twilio, with its numeric code (e.g. 20404, 21211) and message. */
export class TwilioApiError extends Error {
  override readonly name = 'TwilioApiError';
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly moreInfo: string | null = null,
  ) {
    super(message);
  }
}

export const twilioCallSchema = z.looseObject({
  sid: z.string(),
  account_sid: z.string(),
  status: z.string(),
  to: z.string().nullable().optional(),
  from: z.string().nullable().optional(),
  direction: z.string().nullable().optional(),
  duration: z.string().nullable().optional(),
  date_created: z.string().nullable().optional(),
});
export type TwilioCall = z.infer<typeof twilioCallSchema>;

const errorBody = z.looseObject({
  code: z.number().nullable().optional(),
  message: z.string().optional(),
  more_info: z.string().nullable().optional(),
});

export interface CreateCallParams {
  to: string;
  from: string;
  /** One of `url` (TwiML fetched by Twilio) or `twiml` (inline). */
  url?: string;
  twiml?: string;
  statusCallback?: string;
  statusCallbackEvent?: ('initiated' | 'ringing' | 'answered' | 'completed')[];
  /** Seconds to let it ring (Twilio default 60). */
  timeout?: number;
  record?: boolean;
  machineDetection?: 'Enable' | 'DetectMessageEnd';
  asyncAmd?: boolean;
}

export interface UpdateCallParams {
  twiml?: string;
  url?: string;
  status?: 'completed' | 'canceled';
}

/** What a leg needs to end or move its call; `TwilioRestClient` implements it. */
export interface TwilioCallControl {
  hangupCall(callSid: string): Promise<void>;
  transferCall(callSid: string, to: string, opts?: DialOptions): Promise<void>;
}

export const CODE_NOT_FOUND = 20404;

export class TwilioRestClient implements TwilioCallControl {
  private readonly base: string;
  private readonly auth: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: TwilioRestOptions) {
    this.base = `${(opts.baseUrl ?? TWILIO_API_BASE).replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}`;
    this.auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Places an outbound call. */
  async createCall(p: CreateCallParams): Promise<TwilioCall> {
    if (!p.url === !p.twiml) throw new TypeError('createCall needs exactly one of url or twiml');
    const form = new URLSearchParams({ To: p.to, From: p.from });
    if (p.url) form.append('Url', p.url);
    if (p.twiml) form.append('Twiml', p.twiml);
    if (p.statusCallback) form.append('StatusCallback', p.statusCallback);
    for (const e of p.statusCallbackEvent ?? []) form.append('StatusCallbackEvent', e);
    if (p.timeout !== undefined) form.append('Timeout', String(p.timeout));
    if (p.record !== undefined) form.append('Record', String(p.record));
    if (p.machineDetection) form.append('MachineDetection', p.machineDetection);
    if (p.asyncAmd !== undefined) form.append('AsyncAmd', String(p.asyncAmd));
    return twilioCallSchema.parse(await this.post('/Calls.json', form));
  }

  /** Updates a live call: new TwiML or URL (redirect), or a status to end it. */
  async updateCall(callSid: string, p: UpdateCallParams): Promise<TwilioCall> {
    const form = new URLSearchParams();
    if (p.twiml) form.append('Twiml', p.twiml);
    if (p.url) form.append('Url', p.url);
    if (p.status) form.append('Status', p.status);
    return twilioCallSchema.parse(await this.post(`/Calls/${encodeURIComponent(callSid)}.json`, form));
  }

  /** Ends the call. A call Twilio no longer knows as live (404, code 20404) counts as already ended. */
  async hangupCall(callSid: string): Promise<void> {
    try {
      await this.updateCall(callSid, { status: 'completed' });
    } catch (err) {
      if (err instanceof TwilioApiError && err.code === CODE_NOT_FOUND) return;
      throw err;
    }
  }

  /** Cold transfer: replaces the call's TwiML with `<Dial>to</Dial>` (this ends our media stream). */
  async transferCall(callSid: string, to: string, opts: DialOptions = {}): Promise<void> {
    await this.updateCall(callSid, { twiml: dial(to, opts) });
  }

  async fetchCall(callSid: string): Promise<TwilioCall> {
    return twilioCallSchema.parse(await this.request('GET', `/Calls/${encodeURIComponent(callSid)}.json`));
  }

  private post(path: string, form: URLSearchParams): Promise<unknown> {
    return this.request('POST', path, form);
  }

  private async request(method: string, path: string, form?: URLSearchParams): Promise<unknown> {
    const res = await this.fetchFn(this.base + path, {
      method,
      headers: {
        authorization: this.auth,
        accept: 'application/json',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let body: unknown = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!res.ok) {
      const e = errorBody.safeParse(body);
      const msg = e.success && e.data.message ? e.data.message : `Twilio answered ${res.status}`;
      throw new TwilioApiError(res.status, e.success ? e.data.code ?? null : null, msg, e.success ? e.data.more_info ?? null : null);
    }
    return body;
  }
}
