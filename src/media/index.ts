// Public API of the media core: pure functions and small stateful processors, no I/O.
export {
  ALAW_DECODE_TABLE,
  ALAW_ENCODE_TABLE,
  ALAW_SILENCE,
  MULAW_DECODE_TABLE,
  MULAW_ENCODE_TABLE,
  MULAW_SILENCE,
  alawToMulaw,
  alawToPcm16,
  decodeAlawSample,
  decodeMulawSample,
  encodeAlawSample,
  encodeMulawSample,
  mulawToAlaw,
  mulawToPcm16,
  pcm16ToAlaw,
  pcm16ToMulaw,
} from './g711.js';
export { float32ToInt16, int16ToFloat32, int16ToPcm16be, int16ToPcm16le, pcm16beToInt16, pcm16leToInt16 } from './pcm.js';
export { Resampler, resample } from './resample.js';
export type { ResamplerOptions } from './resample.js';
export { Framer, frameSize, g711Framer, pcm16ByteFramer, pcm16Framer } from './framer.js';
export { EnergyVad, SpeechDetector, SpeechSegmenter } from './vad.js';
export type { EnergyVadOptions, SpeechEvent, SpeechSegmenterOptions, VoiceActivityDetector } from './vad.js';
export {
  DTMF_HIGH_HZ,
  DTMF_LOW_HZ,
  DtmfDetector,
  TELEPHONE_EVENT_LENGTH,
  decodeTelephoneEvent,
  dtmfDigitToEvent,
  dtmfEventToDigit,
  dtmfFrequencies,
  encodeTelephoneEvent,
  generateDtmf,
  isDtmfDigit,
} from './dtmf.js';
export type { DtmfDetection, DtmfDetectorOptions, DtmfDigit, DtmfToneOptions, TelephoneEvent } from './dtmf.js';
export { deinterleave, interleave, readWav, wavHeader, writeG711Wav, writeWav } from './wav.js';
export type { WavAudio, WavEncoding } from './wav.js';
export {
  PCM16_FULL_SCALE,
  chirp,
  dbfs,
  goertzelPower,
  meanSquare,
  meanSquareToDbfs,
  mix,
  rms,
  sine,
  whiteNoise,
} from './tone.js';
