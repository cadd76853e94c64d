import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { BrowserLeg } from './leg.js';

/** What the leg sends to the browser, without a network. */
function fakeSocket() {
  const sent: (string | Buffer)[] = [];
  const socket = { OPEN: 1, readyState: 1, send: (data: string | Buffer) => { sent.push(data); } } as unknown as WebSocket;
  return { socket, sent, json: () => sent.filter((m): m is string => typeof m === 'string').map((m) => JSON.parse(m) as { type: string; name?: string }) };
}

afterEach(() => { vi.useRealTimers(); });

describe('browser leg', () => {
  it('re-frames caller audio to 20 ms frames with stream time, and drops odd or oversized messages', () => {
    const rejected: string[] = [];
    const leg = new BrowserLeg(fakeSocket().socket, 's1', { onHangup: async () => {}, onRejected: (r) => rejected.push(r) });
    const frames: [number, number][] = [];
    leg.on('audio', (payload, atMs) => frames.push([payload.length, atMs]));
    leg.receiveAudio(new Uint8Array(1000));
    leg.receiveAudio(new Uint8Array(280));
    leg.receiveAudio(new Uint8Array(3));
    leg.receiveAudio(new Uint8Array(640 * 26));
    expect(frames).toEqual([[640, 0], [640, 20]]);
    expect(rejected).toEqual(['bad-frame', 'oversized-frame']);
  });

  it('sends agent audio as 640-byte binary frames, and clears with pending marks called back', () => {
    const { socket, sent, json } = fakeSocket();
    let now = 0;
    const leg = new BrowserLeg(socket, 's1', { onHangup: async () => {}, clock: () => now });
    const marks: string[] = [];
    leg.on('mark', (n) => marks.push(n));
    leg.sendAudio(new Uint8Array(640 * 50)); // one second
    leg.mark('m1');
    expect(sent.filter((m) => Buffer.isBuffer(m))).toHaveLength(50);
    now = 300;
    expect(leg.playback()).toEqual({ sentMs: 1000, playedMs: 300 });
    expect(leg.clear()).toBe(700);
    expect(marks).toEqual(['m1']);
    expect(json().map((m) => m.type)).toEqual(['mark', 'clear']);
    leg.receiveControl({ type: 'mark', name: 'm1' }); // the browser's late echo does not count twice
    expect(marks).toEqual(['m1']);
  });

  it('takes a mark as played when the browser echoes it, or after the modelled playback if it never does', () => {
    vi.useFakeTimers();
    const leg = new BrowserLeg(fakeSocket().socket, 's1', { onHangup: async () => {}, clock: () => Date.now() });
    const marks: string[] = [];
    leg.on('mark', (n) => marks.push(n));
    leg.sendAudio(new Uint8Array(640 * 25)); // 500 ms
    leg.mark('echoed');
    leg.mark('silent');
    leg.receiveControl({ type: 'mark', name: 'echoed' });
    expect(marks).toEqual(['echoed']);
    vi.advanceTimersByTime(1499);
    expect(marks).toEqual(['echoed']);
    vi.advanceTimersByTime(2);
    expect(marks).toEqual(['echoed', 'silent']);
  });

  it('reports the caller leaving once, and hangs up through the session', async () => {
    const hungUp: string[] = [];
    const leg = new BrowserLeg(fakeSocket().socket, 's1', { onHangup: async (r) => { hungUp.push(r); } });
    const ended: string[] = [];
    leg.on('ended', (reason, source) => ended.push(`${reason}/${source}`));
    leg.receiveControl({ type: 'dtmf', digit: '#' });
    leg.socketClosed('socket-closed');
    leg.socketClosed('again');
    expect(ended).toEqual(['socket-closed/caller']);
    const other = new BrowserLeg(fakeSocket().socket, 's2', { onHangup: async (r) => { hungUp.push(r); } });
    await other.hangup('done');
    await other.hangup('twice');
    expect(hungUp).toEqual(['done']);
    await expect(other.transfer()).rejects.toThrow(/cannot be transferred/);
  });
});
