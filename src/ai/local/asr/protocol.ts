// Messages between recognizer.ts (main thread) and asr-worker.ts. Audio has no reply; every other request has one.
import type { RecognitionResult } from './types.js';

export interface DecoderSetup {
  sampleRate: 8000 | 16000;
  modelDir?: string;
  /** null: the model's own feat.params (wide-band 16 kHz audio). */
  cmninit: readonly number[] | null;
  grammar: string | null;
  args?: Record<string, string>;
  logFile?: string;
}

export type AsrRequest =
  | { type: 'create'; reqId: number; decoderId: number; setup: DecoderSetup }
  | { type: 'grammar'; reqId: number; decoderId: number; jsgf: string | null }
  | { type: 'audio'; decoderId: number; samples: Int16Array }
  | { type: 'end'; reqId: number; decoderId: number }
  | { type: 'partial'; reqId: number; decoderId: number }
  | { type: 'close'; reqId: number; decoderId: number };

export type AsrReply =
  | { reqId: number; ok: true; result?: RecognitionResult; startupMs?: number; partial?: string }
  | { reqId: number; ok: false; error: string };
