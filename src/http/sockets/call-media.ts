import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { socketEndpoints } from '../../contracts/operations.js';
import { CallError } from '../../call/errors.js';
import { humanSpeechStream } from '../../call/supervision/live-transcript.js';
import { HumanLeg, ListenIn, Whisper } from '../../call/supervision/media.js';
import { liveSessionFor } from '../../call/supervision/takeover.js';
import type { CallSession } from '../../call/session.js';
import type { Platform } from '../../platform.js';
import { ApiError, forbidden } from '../errors.js';
import { supervisorOf } from '../routes/calls.js';
import { socketCaller } from './socket-caller.js';
import { sendJson } from './send.js';

const mediaQuery = z.object({ mode: z.enum(['takeover', 'listen', 'whisper']) });
type MediaMode = z.infer<typeof mediaQuery>['mode'];
/** Listening in and whispering are for supervisors and admins; taking over also for the queue's agents. */
const MODE_ROLES: Record<MediaMode, readonly string[]> = {
  takeover: ['admin', 'supervisor', 'agent'],
  listen: ['admin', 'supervisor'],
  whisper: ['admin', 'supervisor'],
};

/**
 * A live call's audio for a person's browser, PCM16 LE 16 kHz binary frames (the softphone's format):
 * `takeover` both ways (after POST takeover), `listen` receive-only (caller + agent mixed), `whisper` send-only
 * (to the human agents on the call, never to the caller). Roles and the call's queue are checked before the upgrade.
 */
export async function registerCallMediaSocket(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { mode?: string } }>(socketEndpoints.callMedia.path, {
    websocket: true,
    schema: { summary: socketEndpoints.callMedia.summary, tags: ['sockets'] },
    preValidation: async (request) => {
      const caller = await socketCaller(platform, request);
      const query = mediaQuery.safeParse(request.query);
      if (!query.success) {
        platform.metrics.rejectedInput.inc({ source: 'call-media-socket', reason: 'invalid-query' });
        throw new ApiError(400, 'bad_request', 'mode must be takeover, listen or whisper');
      }
      if (!MODE_ROLES[query.data.mode].includes(caller.role)) throw forbidden(`your role may not ${query.data.mode}`);
      try {
        const live = await liveSessionFor(platform.calls, caller.tenant.id, request.params.id, supervisorOf(caller));
        if (query.data.mode === 'takeover' && !live.agentPaused) throw new ApiError(409, 'not_taken_over', 'take the call over first (POST takeover)');
        request.caller = caller;
      } catch (err) {
        if (err instanceof CallError) throw new ApiError(err.status, err.code, err.message, err.details);
        throw err;
      }
    },
  }, (socket, request) => {
    const mode = (request.query.mode ?? 'listen') as MediaMode;
    const live = platform.calls.session(request.params.id);
    if (!live || live.ended) { sendJson(socket, { type: 'ended' }); socket.close(1000, 'call ended'); return; }
    attach(platform, socket, live, mode);
  });
}

function attach(platform: Platform, socket: WebSocket, live: CallSession, mode: MediaMode): void {
  const send = (pcm: Uint8Array) => { if (socket.readyState === socket.OPEN && pcm.length > 0) socket.send(pcm); };
  const ended = () => { sendJson(socket, { type: 'ended' }); socket.close(1000, 'call ended'); };
  const reject = (reason: string) => platform.metrics.rejectedInput.inc({ source: 'call-media-socket', reason });
  let inbound: ((bytes: Uint8Array) => void) | null = null;
  let close = () => {};
  if (mode === 'takeover') {
    const human = new HumanLeg(live, send, ended);
    inbound = (bytes) => { if (!human.speak(bytes)) reject('odd-frame'); };
    close = () => human.close();
    // What the person says joins the call's transcript (speaker "human"), like the AI's turns.
    human.transcribe(humanSpeechStream(platform.calls.options.transcriber, live, platform.calls.records));
  } else if (mode === 'listen') {
    const listener = new ListenIn(live, send, ended);
    close = () => listener.close();
  } else {
    const whisper = new Whisper(live);
    inbound = (bytes) => { if (whisper.speak(bytes) === false) reject('odd-frame'); };
    close = live.addTap({ ended });
  }
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return; // text frames (pings) carry nothing here
    if (!inbound) { reject('receive-only'); return; }
    inbound(toBytes(data));
  });
  socket.on('close', close);
  socket.on('error', close);
  sendJson(socket, { type: 'ready', mode, sampleRate: 16000, encoding: 'pcm16' });
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}
