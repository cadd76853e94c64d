import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toChatTools, toGeminiFunctionDeclarations } from '../tools.js';
import { BUILT_IN_TOOLS, endCallTool, sendDtmfTool, transferCallTool } from './builtins.js';
import { registerCallTools, type CallControl } from './call-control.js';
import { ToolRunner } from './runner.js';

const echo = { name: 'echo', description: 'Echoes', parameters: z.object({ text: z.string() }) };

describe('ToolRunner', () => {
  it('runs a tool with parsed arguments', async () => {
    const runner = new ToolRunner().register(echo, ({ text }) => ({ text }));
    expect(await runner.run({ name: 'echo', arguments: { text: 'hi' } })).toEqual({ ok: true, result: { text: 'hi' } });
  });

  it('answers errors for unknown tools, bad arguments and throwing handlers', async () => {
    const runner = new ToolRunner()
      .register(echo, () => { throw new Error('boom'); });
    expect(await runner.run({ name: 'nope', arguments: {} })).toEqual({ ok: false, error: 'unknown tool nope' });
    expect(await runner.run({ name: 'echo', arguments: { text: 5 } })).toEqual({ ok: false, error: 'invalid arguments for echo: text: Invalid input: expected string, received number' });
    expect(await runner.run({ name: 'echo', arguments: { text: 'x' } })).toEqual({ ok: false, error: 'echo failed: boom' });
  });

  it('gives up at the timeout and aborts the handler\'s signal', async () => {
    let aborted = false;
    const runner = new ToolRunner().register(echo, (_args, ctx) => new Promise(() => { ctx.signal.addEventListener('abort', () => { aborted = true; }); }), { timeoutMs: 50 });
    const started = performance.now();
    expect(await runner.run({ name: 'echo', arguments: { text: 'x' } })).toEqual({ ok: false, error: 'echo timed out after 50 ms' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(aborted).toBe(true);
  });

  it('lists definitions for provider sessions', () => {
    const runner = new ToolRunner().register(echo, () => null).register(endCallTool, () => null);
    expect(runner.definitions().map((d) => d.name)).toEqual(['echo', 'end_call']);
    expect(runner.definitions(['end_call']).map((d) => d.name)).toEqual(['end_call']);
  });
});

describe('built-in call tools', () => {
  it('act on the call through CallControl', async () => {
    const done: string[] = [];
    const control: CallControl = {
      transfer: async (to, summary) => { done.push(`transfer ${to} ${summary ?? ''}`); },
      hangup: async (reason) => { done.push(`hangup ${reason}`); },
      sendDtmf: async (digits) => { done.push(`dtmf ${digits}`); },
    };
    const runner = registerCallTools(new ToolRunner(), control);
    expect(await runner.run({ name: 'transfer_call', arguments: { to: '+14155550100', summary: 'Refund' } })).toEqual({ ok: true, result: { transferred: true, to: '+14155550100' } });
    expect(await runner.run({ name: 'end_call', arguments: {} })).toEqual({ ok: true, result: { ended: true } });
    expect(await runner.run({ name: 'send_dtmf', arguments: { digits: '12#' } })).toEqual({ ok: true, result: { sent: '12#' } });
    expect((await runner.run({ name: 'send_dtmf', arguments: { digits: 'hello' } })).ok).toBe(false);
    expect(done).toEqual(['transfer +14155550100 Refund', 'hangup agent-ended', 'dtmf 12#']);
  });

  it('convert to provider tool formats', () => {
    expect(toChatTools([transferCallTool])[0]!.function.parameters).toMatchObject({
      type: 'object', properties: { to: { type: 'string' }, summary: { type: 'string' } }, required: ['to'], additionalProperties: false,
    });
    expect(toGeminiFunctionDeclarations([sendDtmfTool])[0]!.parameters).toMatchObject({ type: 'OBJECT', properties: { digits: { type: 'STRING' } }, required: ['digits'] });
    expect(BUILT_IN_TOOLS.map((t) => t.name)).toEqual(['transfer_call', 'end_call', 'send_dtmf']);
  });
});
