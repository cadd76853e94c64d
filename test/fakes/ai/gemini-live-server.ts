/**
 * A fake Gemini Live (BidiGenerateContent) server: `setup` → `setupComplete`, 16 kHz PCM realtime input with an
 * energy VAD, scripted input transcription, 24 kHz PCM model turns with output transcription, `interrupted` on
 * barge-in, `toolCall` / `toolResponse`, session resumption handles and `goAway` on demand. Server messages are
 * typed against `@google/genai`'s `LiveServerMessage`; client messages are read as its `LiveClientMessage`.
 */
import type { IncomingMessage } from 'node:http';
import type { LiveClientMessage, LiveServerMessage } from '@google/genai';
import type { WebSocket } from 'ws';
import { agentAudio, decode, EnergyTurns, sleep, speechMs } from './audio.js';
import { DEFAULT_SCRIPT, turnAt, type ConversationScript, type Faults } from './script.js';
import { FakeServer, remember } from './server.js';

type ServerMessage = Omit<LiveServerMessage, 'text' | 'data'>;

export interface FakeGeminiOptions {
  apiKey?: string;
  script?: ConversationScript;
  realtime?: boolean;
  msPerChar?: number;
  /** Server VAD silence before the turn ends (default 500 ms). */
  silenceMs?: number;
}

interface Conn {
  ws: WebSocket;
  setup: LiveClientMessage['setup'];
  turns: EnergyTurns;
  turn: { cancelled: boolean } | undefined;
  pendingTool: { index: number } | undefined;
  handles: number;
}

export class FakeGeminiLive {
  readonly received: LiveClientMessage[] = [];
  readonly connections: Conn[] = [];
  faults: Faults = {};
  script: ConversationScript;
  url = '';
  private readonly server: FakeServer;
  private readonly options: FakeGeminiOptions;
  private ids = 0;
  /** Caller inputs so far (a resumed session continues the same conversation). */
  private callerCount = 0;

  constructor(options: FakeGeminiOptions = {}) {
    this.options = options;
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.server = new FakeServer({
      checkUpgrade: (request) => this.checkUpgrade(request), onConnection: (ws) => this.onConnection(ws), handshakeDelayMs: () => this.faults.handshakeDelayMs ?? 0,
      ignorePings: () => this.faults.ignorePings === true,
    });
  }

  async start(): Promise<this> {
    this.url = `ws://${await this.server.listen()}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`;
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Tells every open session the server will close soon, and closes those sockets after `closeAfterMs`. */
  goAway(timeLeft = '10s', closeAfterMs?: number): void {
    const open = this.connections.filter((c) => c.ws.readyState === c.ws.OPEN);
    for (const conn of open) this.send(conn, { goAway: { timeLeft } });
    if (closeAfterMs !== undefined) setTimeout(() => open.forEach((c) => c.ws.close(1000, 'session time is up')), closeAfterMs);
  }

  private checkUpgrade(request: IncomingMessage): number | undefined {
    if (this.faults.rejectStatus) return this.faults.rejectStatus;
    const key = new URL(request.url ?? '/', 'http://x').searchParams.get('key');
    return key === (this.options.apiKey ?? 'test-key') ? undefined : 403;
  }

  private send(conn: Conn, message: ServerMessage): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (this.faults.malformed) {
      conn.ws.send('}{');
      conn.ws.send(JSON.stringify({ serverContent: { modelTurn: { parts: 'nope' } } }));
      conn.ws.send(JSON.stringify({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: '!!!' } }] } } }));
    }
    // The real service sends JSON in binary frames.
    conn.ws.send(Buffer.from(JSON.stringify(message)));
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = { ws, setup: undefined, turns: new EnergyTurns(16000, this.options.silenceMs ?? 500), turn: undefined, pendingTool: undefined, handles: 0 };
    this.connections.push(conn);
    ws.on('message', (data) => {
      let message: LiveClientMessage;
      try {
        message = JSON.parse(String(data)) as LiveClientMessage;
      } catch {
        return;
      }
      remember(this.received, message);
      if (this.faults.silent) return;
      void this.onClientMessage(conn, message);
    });
  }

  private async onClientMessage(conn: Conn, message: LiveClientMessage): Promise<void> {
    if (message.setup) {
      conn.setup = message.setup;
      this.send(conn, { setupComplete: {} });
      return;
    }
    if (!conn.setup) {
      conn.ws.close(1007, 'setup must come first');
      return;
    }
    const audio = message.realtimeInput?.audio;
    if (audio?.data) {
      if (audio.mimeType !== 'audio/pcm;rate=16000') {
        conn.ws.close(1007, `unsupported mime type ${audio.mimeType}`);
        return;
      }
      for (const speech of conn.turns.push(decode(Buffer.from(audio.data, 'base64'), 'pcm16'))) {
        if (speech.type === 'speech_start') {
          if (conn.turn && !conn.turn.cancelled) {
            conn.turn.cancelled = true;
            conn.turn = undefined;
            this.send(conn, { serverContent: { interrupted: true } });
            this.send(conn, { serverContent: { turnComplete: true } });
          }
        } else {
          const index = this.callerCount++;
          const words = turnAt(this.script, index).caller.split(' ');
          const half = Math.ceil(words.length / 2);
          this.send(conn, { serverContent: { inputTranscription: { text: words.slice(0, half).join(' ') } } });
          this.send(conn, { serverContent: { inputTranscription: { text: ` ${words.slice(half).join(' ')}`, finished: true } } });
          void this.answer(conn, index);
        }
      }
      return;
    }
    if (message.clientContent?.turnComplete) {
      const last = message.clientContent.turns?.at(-1)?.parts?.[0]?.text ?? '';
      if (last.startsWith('(The call is connected')) return this.speakTurn(conn, this.script.greeting ?? 'Hello.');
      return this.answer(conn, this.callerCount++);
    }
    if (message.toolResponse?.functionResponses && conn.pendingTool) {
      const { index } = conn.pendingTool;
      conn.pendingTool = undefined;
      return this.speakTurn(conn, turnAt(this.script, index).afterTool ?? 'Done.');
    }
  }

  private async answer(conn: Conn, index: number): Promise<void> {
    if (this.faults.delayMs) await sleep(this.faults.delayMs);
    if (this.faults.errorEvent) {
      conn.ws.close(1011, 'Internal error occurred.');
      return;
    }
    const turn = turnAt(this.script, index);
    if (turn.agent) await this.speakTurn(conn, turn.agent, !turn.tool);
    if (turn.tool) {
      conn.pendingTool = { index };
      this.send(conn, { toolCall: { functionCalls: [{ id: `fc_${++this.ids}`, name: turn.tool.name, args: turn.tool.arguments }] } });
    }
  }

  private async speakTurn(conn: Conn, text: string, complete = true): Promise<void> {
    const state = { cancelled: false };
    conn.turn = state;
    const chunks = agentAudio(speechMs(text, this.options.msPerChar), 'pcm16', 24000);
    const words = text.split(' ');
    for (let i = 0; i < chunks.length; i++) {
      if (state.cancelled || conn.ws.readyState !== conn.ws.OPEN) return;
      const wordsBefore = Math.ceil((i / chunks.length) * words.length);
      const wordsNow = Math.ceil(((i + 1) / chunks.length) * words.length);
      const delta = words.slice(wordsBefore, wordsNow).join(' ');
      this.send(conn, { serverContent: { modelTurn: { role: 'model', parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: Buffer.from(chunks[i]!).toString('base64') } }] } } });
      if (delta) this.send(conn, { serverContent: { outputTranscription: { text: (wordsBefore ? ' ' : '') + delta } } });
      if (this.faults.closeMidResponse) {
        conn.ws.terminate();
        return;
      }
      await sleep(this.options.realtime ? 100 : 1);
    }
    if (state.cancelled) return;
    conn.turn = undefined;
    if (!complete) return;
    this.send(conn, { serverContent: { generationComplete: true } });
    this.send(conn, { serverContent: { turnComplete: true } });
    if (conn.setup?.sessionResumption) this.send(conn, { sessionResumptionUpdate: { newHandle: `handle-${++conn.handles}`, resumable: true } });
  }
}
