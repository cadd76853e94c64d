import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Twilio REST API (calls only) on node:http. It checks Basic auth, records every request, and answers the
 * way api.twilio.com does: 201 + call JSON on create, 200 on update, 404 code 20404 for a call that has ended or
 * never existed, 400 with Twilio's codes for missing parameters.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** Form body, repeated names as arrays. */
  form: Record<string, string | string[]>;
}

export interface FakeCall {
  sid: string;
  status: string;
  to: string;
  from: string;
  twiml: string | null;
  url: string | null;
  statusCallbackEvent: string[];
}

export class FakeTwilioRestApi {
  readonly requests: RecordedRequest[] = [];
  readonly calls = new Map<string, FakeCall>();
  private server: Server | null = null;
  baseUrl = '';

  constructor(readonly accountSid: string, readonly authToken: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Marks a call as ended (as if the caller hung up). */
  endCall(sid: string): void {
    const c = this.calls.get(sid);
    if (c) c.status = 'completed';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
      const prev = form[k];
      form[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], form });

    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return this.error(res, 401, 20003, 'Authenticate');
    const prefix = `/2010-04-01/Accounts/${this.accountSid}/Calls`;
    const one = (s: string | string[] | undefined) => (Array.isArray(s) ? s[0] : s);
    if (req.method === 'POST' && path === `${prefix}.json`) {
      if (!form.To) return this.error(res, 400, 21201, "No 'To' number is specified");
      if (!form.From) return this.error(res, 400, 21213, "No 'From' number is specified");
      if (!form.Url && !form.Twiml && !form.ApplicationSid) return this.error(res, 400, 21205, 'Url parameter is required.');
      const call: FakeCall = {
        sid: `CA${randomBytes(16).toString('hex')}`, status: 'queued', to: one(form.To)!, from: one(form.From)!,
        twiml: one(form.Twiml) ?? null, url: one(form.Url) ?? null,
        statusCallbackEvent: ([] as string[]).concat(form.StatusCallbackEvent ?? []),
      };
      this.calls.set(call.sid, call);
      return this.json(res, 201, this.view(call));
    }
    const m = new RegExp(`^${prefix}/(CA[0-9a-f]{32})\\.json$`).exec(path);
    const call = m ? this.calls.get(m[1]!) : undefined;
    if (!m || !call || (req.method === 'POST' && call.status === 'completed')) {
      return this.error(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    if (req.method === 'GET') return this.json(res, 200, this.view(call));
    if (req.method !== 'POST') return this.error(res, 405, 20004, 'Method not allowed');
    const status = one(form.Status);
    if (status === 'completed' || status === 'canceled') call.status = status;
    else if (form.Twiml || form.Url) { call.twiml = one(form.Twiml) ?? null; call.url = one(form.Url) ?? null; call.status = 'in-progress'; }
    else return this.error(res, 400, 21218, 'Invalid call update');
    return this.json(res, 200, this.view(call));
  }

  private view(c: FakeCall): Record<string, unknown> {
    return {
      sid: c.sid, account_sid: this.accountSid, status: c.status, to: c.to, from: c.from, direction: 'outbound-api',
      duration: null, date_created: new Date().toUTCString(), api_version: '2010-04-01',
      uri: `/2010-04-01/Accounts/${this.accountSid}/Calls/${c.sid}.json`,
    };
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, code: number, message: string): void {
    this.json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  }
}
