/**
 * Round-trip probes: a 20 ms frame that starts with a magic header and a sequence number, followed by a short,
 * quiet click. The echo agent sends caller frames back byte for byte, so a probe coming back is recognised exactly
 * and the time between sending and receiving it is the socket round trip (browser → server media path → browser).
 */
export const FRAME_SAMPLES = 320;
const MAGIC_A = 0x5342; // "SB"
const MAGIC_B = 0x7072; // "pr"

export function probeFrame(seq: number): ArrayBuffer {
  const samples = new Int16Array(FRAME_SAMPLES);
  samples[0] = MAGIC_A;
  samples[1] = MAGIC_B;
  samples[2] = seq & 0x7fff;
  for (let i = 3; i < FRAME_SAMPLES; i++) samples[i] = Math.round(6000 * Math.exp(-i / 40) * (i % 2 === 0 ? 1 : -1));
  return samples.buffer;
}

/** The probe's sequence number, or null for any other frame. */
export function probeSeq(frame: ArrayBuffer): number | null {
  if (frame.byteLength < 6) return null;
  const head = new Int16Array(frame, 0, 3);
  return head[0] === MAGIC_A && head[1] === MAGIC_B ? (head[2] ?? null) : null;
}
