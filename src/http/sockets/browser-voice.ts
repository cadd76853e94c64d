import type { RawData, WebSocket } from 'ws';
import { CALL_EVENT_TYPES } from '../../contracts/calls.js';
import type { SessionClientMessage, SessionServerMessage } from '../../contracts/events.js';
import type { Session } from '../../contracts/sessions.js';
import type { HangupSource } from '../../call/leg.js';
import type { Platform } from '../../platform.js';
import { BrowserLeg } from '../../telephony/browser/leg.js';
import { sendJson } from './send.js';

/** The voice side of a browser-voice session socket: audio and control go to the call's leg. */
export interface BrowserVoice {
  audio(data: RawData): void;
  control(message: Exclude<SessionClientMessage, { type: 'ping' } | { type: 'end' }>): void;
  closed(reason: string, source?: HangupSource): void;
}

/**
 * Starts (or rejoins nothing of) the session's call: carrier `browser`, one call per session, answered by the agent
 * the session's `flow` names when this server has it, else `echo`. Null when the call cannot start; the client is
 * told why and the socket stays open for control messages.
 */
export async function joinBrowserVoice(platform: Platform, socket: WebSocket, tenantId: string, session: Session,
  endSession: (reason: string) => Promise<void>): Promise<BrowserVoice | null> {
  const send = (message: SessionServerMessage) => sendJson(socket, message);
  const leg = new BrowserLeg(socket, session.id, {
    onHangup: endSession,
    onRejected: (reason) => platform.metrics.rejectedInput.inc({ source: 'browser-voice', reason }),
  });
  const requested = session.flow ?? 'echo';
  const target = await browserCallTarget(platform, tenantId, requested);
  // A widget call belongs to the widget's contact: the contact's timeline finds it by this metadata.
  if (typeof session.metadata['contactId'] === 'string') target.metadata['contactId'] = session.metadata['contactId'];
  const agentKind = target.agentKind;
  const call = await platform.calls.admitBrowserCall({
    tenantId, sessionId: session.id, from: 'browser', to: session.phoneNumber ?? 'browser', agentKind, metadata: target.metadata,
  });
  const live = await platform.calls.attach({ tenantId, callId: call.id }, leg);
  if (!live) {
    send({ type: 'error', code: 'call_unavailable', message: `the session's call ${call.id} is ${call.state} and cannot take audio` });
    return null;
  }
  send({ type: 'call', callId: call.id, agent: agentKind });
  // Captions: the call's transcript (from the bus, whichever instance writes it) goes to the browser too.
  const stopCaptions = platform.bus.subscribe(tenantId, (event) => {
    if (event.type !== CALL_EVENT_TYPES.transcript || event.data['callId'] !== call.id) return;
    const { speaker, text, final } = event.data;
    if (typeof text !== 'string' || typeof final !== 'boolean') return;
    // A person who took the call over from the AI is, to the caller, still the agent.
    if (speaker === 'caller') send({ type: 'transcript', speaker, text, final });
    else if (speaker === 'agent' || speaker === 'human') send({ type: 'transcript', speaker: 'agent', text, final });
  });
  return {
    audio: (data) => leg.receiveAudio(toBytes(data)),
    control: (message) => leg.receiveControl(message),
    closed: (reason, source) => { stopCaptions(); leg.socketClosed(reason, source); },
  };
}

/**
 * What answers a browser call: an agent kind this server has (`echo`, `voicemail`, …), else the tenant's published
 * flow of that key or id on the `flow` agent, else `echo` (the request is kept on the call's metadata).
 */
async function browserCallTarget(platform: Platform, tenantId: string, requested: string): Promise<{ agentKind: string; metadata: Record<string, unknown> }> {
  if (platform.agents.has(requested)) return { agentKind: requested, metadata: {} };
  if (platform.agents.has('flow') && (await platform.flows.published(tenantId, requested))) return { agentKind: 'flow', metadata: { flow: requested } };
  return { agentKind: 'echo', metadata: { requestedAgent: requested } };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
