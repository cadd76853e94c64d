/**
 * DTMF: RFC 4733 telephone-event payloads (out-of-band digits on RTP), an in-band Goertzel
 * detector for digits carried as audio, and a tone generator (tests, and `send_dtmf` in-band).
 */

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** RFC 4733 event codes 0–15 in order: 0-9, *, #, A-D. */
const EVENT_DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** Row (low group) and column (high group) frequencies of the keypad, Hz. */
export const DTMF_LOW_HZ: readonly number[] = [697, 770, 852, 941];
export const DTMF_HIGH_HZ: readonly number[] = [1209, 1336, 1477, 1633];
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return value.length === 1 && EVENT_DIGITS.includes(value as DtmfDigit);
}

/** RFC 4733 event code of a digit. */
export function dtmfDigitToEvent(digit: DtmfDigit): number {
  return EVENT_DIGITS.indexOf(digit);
}

/** Digit of an RFC 4733 event code, or undefined for non-DTMF events (flash, fax tones…). */
export function dtmfEventToDigit(event: number): DtmfDigit | undefined {
  return EVENT_DIGITS[event];
}

/** Low and high tone frequencies of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): [low: number, high: number] {
  for (let row = 0; row < 4; row++) {
    const col = KEYPAD[row]!.indexOf(digit);
    if (col >= 0) return [DTMF_LOW_HZ[row]!, DTMF_HIGH_HZ[col]!];
  }
  throw new RangeError(`not a DTMF digit: ${String(digit)}`);
}

// ---------------------------------------------------------------------------------------------
// RFC 4733 §2.3 payload:  event (8) | E (1) R (1) volume (6) | duration (16, network order)

export interface TelephoneEvent {
  /** Event code 0–255 (0–15 are DTMF, see {@link dtmfEventToDigit}). */
  event: number;
  /** E bit: this packet ends the event (end packets are sent three times). */
  end: boolean;
  /** Power level as −dBm0, 0–63 (larger is quieter); DTMF senders use 0–36. */
  volume: number;
  /** Duration so far in RTP timestamp units (8 kHz: 160 per 20 ms), 0–65535. */
  duration: number;
}

export const TELEPHONE_EVENT_LENGTH = 4;

/** Write a telephone-event payload into `out` at `offset` (a new 4-byte array by default). The R bit is sent as 0. */
export function encodeTelephoneEvent(ev: TelephoneEvent, out?: Uint8Array, offset = 0): Uint8Array {
  if (!Number.isInteger(ev.event) || ev.event < 0 || ev.event > 255) throw new RangeError(`event ${ev.event} out of 0-255`);
  if (!Number.isInteger(ev.volume) || ev.volume < 0 || ev.volume > 63) throw new RangeError(`volume ${ev.volume} out of 0-63`);
  if (!Number.isInteger(ev.duration) || ev.duration < 0 || ev.duration > 0xffff) {
    throw new RangeError(`duration ${ev.duration} out of 0-65535`);
  }
  const bytes = out ?? new Uint8Array(TELEPHONE_EVENT_LENGTH);
  if (bytes.length < offset + TELEPHONE_EVENT_LENGTH) throw new RangeError('telephone-event needs 4 bytes');
  bytes[offset] = ev.event;
  bytes[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume;
  bytes[offset + 2] = ev.duration >> 8;
  bytes[offset + 3] = ev.duration & 0xff;
  return bytes;
}

/** Read a telephone-event payload (the R bit is ignored, as RFC 4733 requires of receivers). */
export function decodeTelephoneEvent(bytes: Uint8Array, offset = 0): TelephoneEvent {
  if (bytes.length < offset + TELEPHONE_EVENT_LENGTH) {
    throw new RangeError(`telephone-event needs 4 bytes, got ${bytes.length - offset}`);
  }
  const flags = bytes[offset + 1]!;
  return {
    event: bytes[offset]!,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
  };
}

// ---------------------------------------------------------------------------------------------
// In-band detection

export interface DtmfDetection {
  digit: DtmfDigit;
  /** When the tone began, ms from the detector's start (block resolution, ~13 ms). */
  atMs: number;
}

export interface DtmfDetectorOptions {
  /** Default 8000. Any rate works; the block is always ~12.75 ms. */
  sampleRate?: number;
  /** Minimum tone duration to report, ms (default 25: two blocks; tones ≥ 40 ms always detected). */
  minToneMs?: number;
  /** Minimum pause that separates two presses of the same digit, ms (default 25). */
  minGapMs?: number;
  /** Weakest tone accepted, each of the pair, dBFS RMS (default −40). */
  minToneDbfs?: number;
  /** How much louder the high tone may be than the low one (default 4 dB). */
  maxHighOverLowDb?: number;
  /** How much louder the low tone may be than the high one (default 8 dB, lines lose highs). */
  maxLowOverHighDb?: number;
  /** Each tone must beat the others of its group by this much (default 8 dB). */
  groupMarginDb?: number;
  /** Share of the block's energy the two tones must carry (default 0.6): speech and music fail. */
  minToneRatio?: number;
}

const NONE = -1;
const NO_DETECTIONS: readonly DtmfDetection[] = Object.freeze([]);

const dbToPower = (db: number): number => 10 ** (db / 10);

/**
 * Goertzel DTMF detector. Runs the eight keypad tones over consecutive ~12.75 ms blocks (102
 * samples at 8 kHz: short enough to time presses, long enough to part 697 from 770 Hz), accepts
 * a block when one row and one column tone stand out (level, twist, in-group margin, share of
 * total energy), and reports a digit once per press after `minToneMs` of agreeing blocks.
 * A single bad block inside a press (a dropout or a noise burst) does not split it in two.
 */
export class DtmfDetector {
  readonly sampleRate: number;
  readonly blockSize: number;
  private readonly coefficients = new Float64Array(8);
  private readonly s1 = new Float64Array(8);
  private readonly s2 = new Float64Array(8);
  private readonly powers = new Float64Array(8);
  private energy = 0;
  private filled = 0;
  private blocks = 0;

  private readonly minOnBlocks: number;
  private readonly minOffBlocks: number;
  private readonly minTonePower: number;
  private readonly maxHighOverLow: number;
  private readonly maxLowOverHigh: number;
  private readonly groupMargin: number;
  private readonly minToneRatio: number;

  /** Digit (index into EVENT_DIGITS) seen in the last block and for how many blocks in a row. */
  private candidate = NONE;
  private candidateRun = 0;
  /** Digit already reported and still held down, and how many blocks it has been missing. */
  private held = NONE;
  private heldMissing = 0;

  constructor(options: DtmfDetectorOptions = {}) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.blockSize = Math.round((102 * this.sampleRate) / 8000);
    const blockMs = (this.blockSize * 1000) / this.sampleRate;
    this.minOnBlocks = Math.max(1, Math.ceil((options.minToneMs ?? 25) / blockMs));
    this.minOffBlocks = Math.max(1, Math.ceil((options.minGapMs ?? 25) / blockMs));
    // A tone at L dBFS RMS has mean square 32768² · 10^(L/10); Goertzel power is scaled alike.
    this.minTonePower = 32768 * 32768 * dbToPower(options.minToneDbfs ?? -40);
    this.maxHighOverLow = dbToPower(options.maxHighOverLowDb ?? 4);
    this.maxLowOverHigh = dbToPower(options.maxLowOverHighDb ?? 8);
    this.groupMargin = dbToPower(options.groupMarginDb ?? 8);
    this.minToneRatio = options.minToneRatio ?? 0.6;
    const frequencies = [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ];
    for (let i = 0; i < 8; i++) {
      this.coefficients[i] = 2 * Math.cos((2 * Math.PI * frequencies[i]!) / this.sampleRate);
    }
  }

  /**
   * Feed PCM16 samples (any chunk size). Returns the digits whose presses were confirmed in this
   * chunk, usually none (a shared empty array, no allocation).
   */
  process(samples: Int16Array): readonly DtmfDetection[] {
    let detections: DtmfDetection[] | null = null;
    const coefficients = this.coefficients;
    const s1 = this.s1;
    const s2 = this.s2;
    const blockSize = this.blockSize;
    let filled = this.filled;
    let energy = this.energy;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      energy += x * x;
      for (let f = 0; f < 8; f++) {
        const s0 = x + coefficients[f]! * s1[f]! - s2[f]!;
        s2[f] = s1[f]!;
        s1[f] = s0;
      }
      if (++filled === blockSize) {
        this.energy = energy;
        const detection = this.endBlock();
        if (detection !== null) (detections ??= []).push(detection);
        filled = 0;
        energy = 0;
      }
    }
    this.filled = filled;
    this.energy = energy;
    return detections ?? NO_DETECTIONS;
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.energy = 0;
    this.filled = 0;
    this.blocks = 0;
    this.candidate = NONE;
    this.candidateRun = 0;
    this.held = NONE;
    this.heldMissing = 0;
  }

  private endBlock(): DtmfDetection | null {
    const n = this.blockSize;
    const scale = 2 / (n * n); // Goertzel |X|² → mean-square units (sine of peak A → A²/2)
    const powers = this.powers;
    for (let f = 0; f < 8; f++) {
      const a = this.s1[f]!;
      const b = this.s2[f]!;
      powers[f] = (a * a + b * b - this.coefficients[f]! * a * b) * scale;
      this.s1[f] = 0;
      this.s2[f] = 0;
    }
    const digit = this.classify(this.energy / n);
    this.blocks++;

    if (digit !== NONE && digit === this.candidate) this.candidateRun++;
    else this.candidateRun = digit === NONE ? 0 : 1;
    this.candidate = digit;

    if (this.held !== NONE) {
      if (digit === this.held) this.heldMissing = 0;
      else if (++this.heldMissing >= this.minOffBlocks) this.held = NONE;
    }
    if (digit !== NONE && this.held === NONE && this.candidateRun >= this.minOnBlocks) {
      this.held = digit;
      this.heldMissing = 0;
      const firstBlock = this.blocks - this.candidateRun;
      return { digit: EVENT_DIGITS[digit]!, atMs: (firstBlock * n * 1000) / this.sampleRate };
    }
    return null;
  }

  /** Digit index for the block just measured, or NONE. */
  private classify(meanSquare: number): number {
    const p = this.powers;
    let row = 0;
    for (let f = 1; f < 4; f++) if (p[f]! > p[row]!) row = f;
    let col = 4;
    for (let f = 5; f < 8; f++) if (p[f]! > p[col]!) col = f;
    const low = p[row]!;
    const high = p[col]!;
    if (low < this.minTonePower || high < this.minTonePower) return NONE;
    // Twist: the pair must be roughly balanced, which single tones and most voiced sounds are not.
    if (high > low * this.maxHighOverLow || low > high * this.maxLowOverHigh) return NONE;
    for (let f = 0; f < 4; f++) if (f !== row && p[f]! * this.groupMargin > low) return NONE;
    for (let f = 4; f < 8; f++) if (f !== col && p[f]! * this.groupMargin > high) return NONE;
    // The pair must carry most of the energy: speech spreads it over many harmonics.
    if (low + high < this.minToneRatio * meanSquare) return NONE;
    return dtmfDigitToEvent(KEYPAD[row]![col - 4]!);
  }
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface DtmfToneOptions {
  sampleRate?: number;
  /** Tone length per digit, ms (default 100). */
  toneMs?: number;
  /** Silence after each digit, ms (default 100). */
  gapMs?: number;
  /** Peak of each of the two tones as a fraction of full scale (default 0.25). */
  amplitude?: number;
  /** High tone level relative to the low one, dB (default 0; positive = high louder). */
  twistDb?: number;
}

/** PCM16 for a string of digits ("123#"): each tone then a gap. Throws on a non-DTMF character. */
export function generateDtmf(digits: string, options: DtmfToneOptions = {}): Int16Array {
  const sampleRate = options.sampleRate ?? 8000;
  const toneSamples = Math.round(((options.toneMs ?? 100) * sampleRate) / 1000);
  const gapSamples = Math.round(((options.gapMs ?? 100) * sampleRate) / 1000);
  const lowPeak = (options.amplitude ?? 0.25) * 32768;
  const highPeak = lowPeak * 10 ** ((options.twistDb ?? 0) / 20);
  const out = new Int16Array(digits.length * (toneSamples + gapSamples));
  let at = 0;
  for (const ch of digits) {
    if (!isDtmfDigit(ch)) throw new RangeError(`not a DTMF digit: ${JSON.stringify(ch)}`);
    const [low, high] = dtmfFrequencies(ch);
    const wLow = (2 * Math.PI * low) / sampleRate;
    const wHigh = (2 * Math.PI * high) / sampleRate;
    for (let i = 0; i < toneSamples; i++) {
      const v = Math.round(lowPeak * Math.sin(wLow * i) + highPeak * Math.sin(wHigh * i));
      out[at + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    at += toneSamples + gapSamples;
  }
  return out;
}
