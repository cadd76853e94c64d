/**
 * PCM16 byte layouts ↔ Int16Array samples.
 *
 * Carriers and providers put 16-bit PCM on the wire as bytes: little-endian for Vonage, Gemini,
 * OpenAI and WAV; big-endian for Telnyx L16 (network byte order). Node Buffers are Uint8Arrays,
 * often at odd offsets inside a shared pool, so we assemble samples byte by byte instead of
 * aliasing the memory with an Int16Array view — except little-endian bytes at an even offset on a
 * little-endian host (every host Node runs on here), which are copied as a block (~10× faster).
 */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function samplesOut(out: Int16Array | undefined, length: number): Int16Array {
  if (out === undefined) return new Int16Array(length);
  if (out.length < length) throw new RangeError(`output holds ${out.length} samples, needs ${length}`);
  return out.length === length ? out : out.subarray(0, length);
}

function bytesOut(out: Uint8Array | undefined, length: number): Uint8Array {
  if (out === undefined) return new Uint8Array(length);
  if (out.length < length) throw new RangeError(`output holds ${out.length} bytes, needs ${length}`);
  return out.length === length ? out : out.subarray(0, length);
}

function evenByteCount(bytes: Uint8Array): number {
  if ((bytes.length & 1) !== 0) {
    throw new RangeError(`PCM16 needs an even number of bytes, got ${bytes.length} (frame the bytes first)`);
  }
  return bytes.length >> 1;
}

/** Little-endian PCM16 bytes → samples. */
export function pcm16leToInt16(bytes: Uint8Array, out?: Int16Array): Int16Array {
  const n = evenByteCount(bytes);
  const samples = samplesOut(out, n);
  if (LITTLE_ENDIAN_HOST && (bytes.byteOffset & 1) === 0) {
    samples.set(new Int16Array(bytes.buffer, bytes.byteOffset, n));
    return samples;
  }
  for (let i = 0, b = 0; i < n; i++, b += 2) {
    // `<< 16 >> 16` sign-extends the assembled 16-bit value.
    samples[i] = ((bytes[b]! | (bytes[b + 1]! << 8)) << 16) >> 16;
  }
  return samples;
}

/** Big-endian PCM16 bytes (Telnyx L16) → samples. */
export function pcm16beToInt16(bytes: Uint8Array, out?: Int16Array): Int16Array {
  const n = evenByteCount(bytes);
  const samples = samplesOut(out, n);
  for (let i = 0, b = 0; i < n; i++, b += 2) {
    samples[i] = (((bytes[b]! << 8) | bytes[b + 1]!) << 16) >> 16;
  }
  return samples;
}

/** Samples → little-endian PCM16 bytes. */
export function int16ToPcm16le(samples: Int16Array, out?: Uint8Array): Uint8Array {
  const n = samples.length;
  const bytes = bytesOut(out, n * 2);
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(samples.buffer, samples.byteOffset, n * 2));
    return bytes;
  }
  for (let i = 0, b = 0; i < n; i++, b += 2) {
    const s = samples[i]!;
    bytes[b] = s;
    bytes[b + 1] = s >> 8;
  }
  return bytes;
}

/** Samples → big-endian PCM16 bytes (Telnyx L16). */
export function int16ToPcm16be(samples: Int16Array, out?: Uint8Array): Uint8Array {
  const n = samples.length;
  const bytes = bytesOut(out, n * 2);
  for (let i = 0, b = 0; i < n; i++, b += 2) {
    const s = samples[i]!;
    bytes[b] = s >> 8;
    bytes[b + 1] = s;
  }
  return bytes;
}

/** Samples → float in [-1, 1) (32768 = full scale), for engines that take Float32 audio. */
export function int16ToFloat32(samples: Int16Array, out?: Float32Array): Float32Array {
  const n = samples.length;
  let floats: Float32Array;
  if (out === undefined) floats = new Float32Array(n);
  else if (out.length < n) throw new RangeError(`output holds ${out.length} samples, needs ${n}`);
  else floats = out.length === n ? out : out.subarray(0, n);
  for (let i = 0; i < n; i++) floats[i] = samples[i]! / 32768;
  return floats;
}

/** Float samples (nominally [-1, 1]) → PCM16, rounded and clipped to the 16-bit range. */
export function float32ToInt16(floats: Float32Array, out?: Int16Array): Int16Array {
  const n = floats.length;
  const samples = samplesOut(out, n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(floats[i]! * 32768);
    // Int16Array stores modulo 2^16, so clip first or loud peaks wrap to the opposite sign.
    samples[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return samples;
}
