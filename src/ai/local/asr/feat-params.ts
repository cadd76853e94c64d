// The cmninit fix (docs/local-speech.md): pocketsphinx starts cepstral mean normalisation from `-cmninit` in the
// model's feat.params, measured on 16 kHz wide-band speech. Phone audio upsampled from 8 kHz has no energy above
// 4 kHz, so its cepstral mean is far from that and the first seconds of every call decode as garbage. We write a copy
// of feat.params whose -cmninit was measured on phone-band audio and point the decoder at it with -featparams
// (a -cmninit flag on the command line is ignored while feat.params sets one).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Cepstral mean of phone-band speech: flite (kal, slt, rms, awb) and espeak-ng phrases, resampled to 8 kHz, μ-law
 * round trip, upsampled to 16 kHz with upsample.ts, averaged from pocketsphinx's own cmn_live updates.
 * Regenerate with `node --import tsx src/ai/local/asr/measure-cmninit.ts`.
 */
export const PHONE_BAND_CMNINIT: readonly number[] = [
  49.91, 30.58, -30.79, 49.59, -25.66, 5.47, 7.49, -22.67, 11.74, -11.2, 6.83, 2.4, -2.71,
];

/** Rewrite (or add) the -cmninit line of a feat.params text. */
export function withCmninit(featParams: string, cmninit: readonly number[]): string {
  if (cmninit.length !== 13 || cmninit.some((v) => !Number.isFinite(v))) {
    throw new RangeError('cmninit must hold 13 finite numbers (one per cepstral coefficient)');
  }
  const value = `-cmninit ${cmninit.map((v) => v.toFixed(2)).join(',')}`;
  const lines = featParams.split('\n').filter((l) => l.trim() !== '');
  const i = lines.findIndex((l) => l.trim().startsWith('-cmninit'));
  if (i >= 0) lines[i] = value;
  else lines.push(value);
  return `${lines.join('\n')}\n`;
}

/**
 * Write the phone-band copy of `<hmmDir>/feat.params` into a cache folder and return its path. The file name holds a
 * hash of its content, so concurrent workers and upgrades never see a half-written or stale file.
 */
export function phoneBandFeatParams(
  hmmDir: string,
  cmninit: readonly number[] = PHONE_BAND_CMNINIT,
  cacheDir = join(tmpdir(), 'switchboard-pocketsphinx'),
): string {
  const text = withCmninit(readFileSync(join(hmmDir, 'feat.params'), 'utf8'), cmninit);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const path = join(cacheDir, `feat.params.${hash}`);
  if (!existsSync(path)) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, text);
    renameSync(tmp, path); // atomic: readers see the whole file or none
  }
  return path;
}
