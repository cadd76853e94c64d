/**
 * The widget's voice call: `POST /api/v1/widget/calls` (key + the page's origin + the signed contact token) gives
 * a browser-voice session for the key's flow, then the shared `VoiceLink` (the console softphone's audio code)
 * carries the microphone and the agent's voice. The call belongs to the same contact as the chat.
 */
import { VoiceLink } from '../src/audio/voice-link.js';

export type CallStatus = 'idle' | 'connecting' | 'in-call' | 'ending' | 'ended' | 'error';

export interface CallView {
  status: CallStatus;
  muted: boolean;
  callId: string | null;
  /** When the agent answered (ms epoch), for the duration shown. */
  since: number | null;
  /** Why it ended or failed, in words for the visitor. */
  note: string;
}

export interface WidgetCallEvents {
  change(view: CallView): void;
  /** A transcript turn of the call (captions); partials are replaced by the turn's final. */
  caption(speaker: 'caller' | 'agent', text: string, final: boolean): void;
}

/** Can this page place a call at all (secure context, microphone API, AudioWorklet)? */
export function voiceSupported(): boolean {
  return typeof AudioWorkletNode !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

export class WidgetCall {
  private view: CallView = { status: 'idle', muted: false, callId: null, since: null, note: '' };
  private link: VoiceLink | null = null;

  constructor(private readonly base: URL, private readonly key: string, private readonly events: WidgetCallEvents) {}

  get busy(): boolean { return this.view.status === 'connecting' || this.view.status === 'in-call' || this.view.status === 'ending'; }

  /** Call it inside the click (the AudioContext needs the gesture). */
  async start(contactToken: string): Promise<void> {
    if (this.busy) return;
    const link = new VoiceLink(new URL('/widget/audio/', this.base).href, {
      onCall: (callId) => { if (this.link === link) this.set({ status: this.view.status === 'ending' ? 'ending' : 'in-call', callId, since: Date.now() }); },
      onClosed: (reason) => { if (this.link === link) this.end(reason); },
      onMessage: (m) => { if (this.link === link && m.type === 'transcript') this.events.caption(m.speaker, m.text, m.final); },
    });
    this.link = link;
    this.set({ status: 'connecting', muted: false, callId: null, since: null, note: '' });
    try {
      const [session] = await Promise.all([this.createSession(contactToken), link.prepare()]);
      if (this.link !== link) return; // hung up meanwhile
      await link.connect(new URL(session.socketUrl, this.base), session.token);
    } catch (err) {
      if (this.link !== link) return;
      link.dispose();
      this.link = null;
      const denied = err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
      this.set({ status: 'error', note: denied ? 'Microphone access was refused' : 'The call could not start' });
      console.warn(`switchboard widget: call failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  setMuted(muted: boolean): void {
    if (this.link) this.link.muted = muted;
    this.set({ muted });
  }

  hangup(): void {
    const link = this.link;
    if (!link) return;
    this.set({ status: 'ending' });
    link.hangup();
  }

  private async createSession(contact: string): Promise<{ socketUrl: string; token: string }> {
    const res = await fetch(new URL('/api/v1/widget/calls', this.base), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: this.key, contact }),
    });
    const body = await res.json().catch(() => null) as { socketUrl?: unknown; token?: unknown; message?: unknown } | null;
    if (!res.ok || typeof body?.socketUrl !== 'string' || typeof body.token !== 'string') {
      throw new Error(`starting the call answered ${res.status}${typeof body?.message === 'string' ? `: ${body.message}` : ''}`);
    }
    return { socketUrl: body.socketUrl, token: body.token };
  }

  private end(reason: string): void {
    this.link = null;
    this.set({ status: 'ended', muted: false, note: reason === 'socket-closed' ? 'The call was cut off' : 'Call ended' });
  }

  private set(patch: Partial<CallView>): void {
    this.view = { ...this.view, ...patch };
    this.events.change(this.view);
  }
}
