/**
 * A fake OpenAI-compatible server: `POST /v1/chat/completions` streamed as SSE (text deltas word by word, tool
 * calls as id/name first then arguments in pieces, `finish_reason`, `[DONE]`) and `POST /v1/audio/speech`
 * (24 kHz PCM tone). Which turn it answers comes from the request: the n-th user message gets `turns[n]`, a
 * trailing tool message gets `afterTool`, no user message gets the greeting. Chunks are typed against the
 * `openai` SDK's `ChatCompletionChunk`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import { agentAudio, sleep, speechMs } from './audio.js';
import { DEFAULT_SCRIPT, turnAt, type ConversationScript, type Faults } from './script.js';
import { FakeServer, readBody, remember } from './server.js';

export interface FakeChatOptions {
  /** Required bearer key; none = open (like a local Ollama). */
  apiKey?: string;
  script?: ConversationScript;
  /** Delay between streamed chunks (default 1 ms). */
  chunkDelayMs?: number;
  msPerChar?: number;
}

export class FakeOpenAiCompatible {
  readonly chatRequests: ChatCompletionCreateParamsStreaming[] = [];
  readonly speechRequests: SpeechCreateParams[] = [];
  faults: Faults = {};
  speechFaults: Faults = {};
  script: ConversationScript;
  baseUrl = '';
  private readonly server: FakeServer;
  private readonly options: FakeChatOptions;
  private ids = 0;

  constructor(options: FakeChatOptions = {}) {
    this.options = options;
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.server = new FakeServer({ checkUpgrade: () => 404, onConnection: () => undefined, onHttp: (req, res) => void this.onHttp(req, res) });
  }

  async start(): Promise<this> {
    this.baseUrl = `http://${await this.server.listen()}/v1`;
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async onHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return void response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}');
    }
    const body = await readBody(request);
    if (request.method === 'POST' && path === '/v1/chat/completions') return this.chat(JSON.parse(body) as ChatCompletionCreateParamsStreaming, response);
    if (request.method === 'POST' && path === '/v1/audio/speech') return this.speech(JSON.parse(body) as SpeechCreateParams, response);
    response.writeHead(404).end();
  }

  private chunk(id: string, model: string, delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk {
    return { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
  }

  private async chat(request: ChatCompletionCreateParamsStreaming, response: ServerResponse): Promise<void> {
    remember(this.chatRequests, request);
    const faults = this.faults;
    if (faults.rejectStatus) {
      return void response.writeHead(faults.rejectStatus, { 'content-type': 'application/json' }).end('{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}');
    }
    if (faults.silent) return;
    if (faults.delayMs) await sleep(faults.delayMs);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const id = `chatcmpl-${++this.ids}`;
    const write = async (chunk: ChatCompletionChunk | string): Promise<boolean> => {
      if (response.destroyed) return false;
      if (faults.malformed) response.write('data: {"choices": "nope"}\n\ndata: {oops\n\n: keep-alive comment\n\n');
      response.write(`data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`);
      await sleep(this.options.chunkDelayMs ?? 1);
      return true;
    };
    if (faults.errorEvent) {
      response.end(`data: ${JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } })}\n\n`);
      return;
    }
    const messages = request.messages;
    const users = messages.filter((m) => m.role === 'user').length;
    const last = messages.at(-1);
    const turn = users > 0 ? turnAt(this.script, users - 1) : undefined;
    let text: string | undefined;
    let tool: { name: string; arguments: Record<string, unknown>; raw?: string } | undefined;
    if (!turn) text = this.script.greeting ?? 'Hello.';
    else if (last?.role === 'tool') text = turn.afterTool ?? 'Done.';
    else {
      text = turn.agent;
      tool = turn.tool;
    }
    await write(this.chunk(id, request.model, { role: 'assistant', content: '' }));
    const words = (text ?? '').split(' ').filter(Boolean);
    for (const [i, word] of words.entries()) {
      if (!(await write(this.chunk(id, request.model, { content: (i ? ' ' : '') + word })))) return;
      if (faults.closeMidResponse) return void sleep(30).then(() => response.destroy());
    }
    if (tool) {
      const args = tool.raw ?? JSON.stringify(tool.arguments);
      const cut = Math.floor(args.length / 2);
      const callId = `call_${++this.ids}`;
      await write(this.chunk(id, request.model, { tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: tool.name, arguments: '' } }] }));
      await write(this.chunk(id, request.model, { tool_calls: [{ index: 0, function: { arguments: args.slice(0, cut) } }] }));
      await write(this.chunk(id, request.model, { tool_calls: [{ index: 0, function: { arguments: args.slice(cut) } }] }));
    }
    await write(this.chunk(id, request.model, {}, tool ? 'tool_calls' : 'stop'));
    await write('[DONE]');
    response.end();
  }

  private async speech(request: SpeechCreateParams, response: ServerResponse): Promise<void> {
    remember(this.speechRequests, request);
    const faults = this.speechFaults;
    if (faults.rejectStatus) return void response.writeHead(faults.rejectStatus).end('{"error":{"message":"busy"}}');
    if (faults.delayMs) await sleep(faults.delayMs);
    response.writeHead(200, { 'content-type': 'audio/pcm', 'transfer-encoding': 'chunked' });
    for (const chunk of agentAudio(speechMs(request.input, this.options.msPerChar), 'pcm16', 24000)) {
      response.write(chunk);
      if (faults.closeMidResponse) return void sleep(30).then(() => response.destroy());
      await sleep(1);
    }
    response.end();
  }
}
