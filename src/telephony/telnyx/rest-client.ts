import { createHash } from 'node:crypto';
import { z } from 'zod';
import { encodeClientState } from './events.js';

/**
 * Telnyx Call Control v2 commands over fetch: answer (optionally with streaming), streaming_start, hangup
 * (an already-ended call is not an error), transfer, dial. `Authorization: Bearer <API key>`, JSON bodies.
 */
export const TELNYX_API_BASE = 'https://api.telnyx.com/v2';
/** Error code Telnyx answers (422) for a command on a call that has already ended. */
export const CALL_ALREADY_ENDED = '90018';

export interface TelnyxRestOptions {
  apiKey: string;
  /** Override for tests and the fake (`http://127.0.0.1:port/v2`). */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class TelnyxApiError extends Error {
  override readonly name = 'TelnyxApiError';
  constructor(readonly status: number, readonly code: string | null, message: string, readonly detail: string | null = null) {
    super(message);
  }
}

/** Media streaming parameters, shared by answer, streaming_start and dial. */
export interface StreamParams {
  /** Our media socket, `wss://…` (Telnyx opens it). */
  url: string;
  /** Which audio Telnyx streams to us (default inbound only: the caller, not our own playback). */
  track?: 'inbound_track' | 'outbound_track' | 'both_tracks';
  codec?: 'PCMU' | 'PCMA' | 'G722' | 'OPUS' | 'L16' | 'default';
  /** Two-way RTP so we can play audio back (default rtp + PCMU). */
  bidirectionalMode?: 'rtp' | 'mp3';
  bidirectionalCodec?: 'PCMU' | 'PCMA' | 'G722' | 'OPUS' | 'L16';
}

export interface CommandParams {
  /** Plain text or object; sent base64-encoded, comes back in webhooks and the stream's `start`. */
  clientState?: string | Record<string, unknown>;
  /** Telnyx ignores a repeated command_id for the same call. Defaults to one derived from the call and action. */
  commandId?: string;
}

export interface AnswerParams extends CommandParams {
  /** When given, answering also starts the stream (one command instead of two). */
  stream?: StreamParams;
  webhookUrl?: string;
}

export interface DialParams extends CommandParams {
  connectionId: string;
  to: string;
  from: string;
  fromDisplayName?: string;
  timeoutSecs?: number;
  webhookUrl?: string;
  stream?: StreamParams;
}

export const telnyxCallSchema = z.looseObject({
  call_control_id: z.string().min(1),
  call_leg_id: z.string().optional(),
  call_session_id: z.string().optional(),
  is_alive: z.boolean().optional(),
  record_type: z.string().optional(),
});
export type TelnyxCall = z.infer<typeof telnyxCallSchema>;

const errorBody = z.looseObject({
  errors: z.array(z.looseObject({ code: z.union([z.string(), z.number()]).optional(), title: z.string().optional(), detail: z.string().optional() })).optional(),
});

/** The stream fields of a command body (snake_case, defaults applied). */
export function streamFields(stream: StreamParams | undefined): Record<string, string> {
  if (stream === undefined) return {};
  return {
    stream_url: stream.url,
    stream_track: stream.track ?? 'inbound_track',
    stream_codec: stream.codec ?? 'PCMU',
    stream_bidirectional_mode: stream.bidirectionalMode ?? 'rtp',
    stream_bidirectional_codec: stream.bidirectionalCodec ?? 'PCMU',
  };
}

/** A stable command_id for (action, call): duplicate webhooks on any instance send the same one. */
export function defaultCommandId(action: string, callControlId: string): string {
  const h = createHash('sha256').update(`${action}\n${callControlId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function common(params: CommandParams, action: string, callControlId: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (params.clientState !== undefined) out.client_state = encodeClientState(params.clientState);
  const commandId = params.commandId ?? (callControlId === undefined ? undefined : defaultCommandId(action, callControlId));
  if (commandId !== undefined) out.command_id = commandId;
  return out;
}

export class TelnyxRestClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: TelnyxRestOptions) {
    this.base = (options.baseUrl ?? TELNYX_API_BASE).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  async answer(callControlId: string, params: AnswerParams = {}): Promise<void> {
    await this.action(callControlId, 'answer', {
      ...common(params, 'answer', callControlId),
      ...(params.webhookUrl ? { webhook_url: params.webhookUrl } : {}),
      ...streamFields(params.stream),
    });
  }

  async streamingStart(callControlId: string, stream: StreamParams, params: CommandParams = {}): Promise<void> {
    await this.action(callControlId, 'streaming_start', { ...common(params, 'streaming_start', callControlId), ...streamFields(stream) });
  }

  /** Hangs up; resolves `{ alreadyEnded: true }` when Telnyx says the call was over (422, code 90018). */
  async hangup(callControlId: string, params: CommandParams = {}): Promise<{ alreadyEnded: boolean }> {
    try {
      await this.action(callControlId, 'hangup', common(params, 'hangup', callControlId));
      return { alreadyEnded: false };
    } catch (e) {
      if (e instanceof TelnyxApiError && e.status === 422 && e.code === CALL_ALREADY_ENDED) return { alreadyEnded: true };
      throw e;
    }
  }

  /** Cold transfer to a number or SIP URI. No default command_id: a second attempt must go through. */
  async transfer(callControlId: string, params: CommandParams & { to: string; from?: string }): Promise<void> {
    await this.action(callControlId, 'transfer', {
      ...common(params, 'transfer', undefined),
      to: params.to,
      ...(params.from ? { from: params.from } : {}),
    });
  }

  /** Places an outbound call (`POST /calls`). */
  async dial(params: DialParams): Promise<TelnyxCall> {
    const body = {
      ...common(params, 'dial', undefined),
      connection_id: params.connectionId,
      to: params.to,
      from: params.from,
      ...(params.fromDisplayName ? { from_display_name: params.fromDisplayName } : {}),
      ...(params.timeoutSecs !== undefined ? { timeout_secs: params.timeoutSecs } : {}),
      ...(params.webhookUrl ? { webhook_url: params.webhookUrl } : {}),
      ...streamFields(params.stream),
    };
    const json = await this.request('/calls', body);
    const parsed = z.object({ data: telnyxCallSchema }).safeParse(json);
    if (!parsed.success) throw new TelnyxApiError(502, null, 'unexpected answer to POST /calls');
    return parsed.data.data;
  }

  private action(callControlId: string, action: string, body: Record<string, unknown>): Promise<unknown> {
    return this.request(`/calls/${encodeURIComponent(callControlId)}/actions/${action}`, body);
  }

  private async request(path: string, body: Record<string, unknown>): Promise<unknown> {
    const res = await this.fetchImpl(`${this.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const first = errorBody.safeParse(json).data?.errors?.[0];
    throw new TelnyxApiError(
      res.status,
      first?.code === undefined ? null : String(first.code),
      first?.title ?? `Telnyx answered ${res.status} to ${path}`,
      first?.detail ?? null,
    );
  }
}
