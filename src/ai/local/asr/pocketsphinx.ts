// pocketsphinx 5prealpha (Debian's libpocketsphinx3) through koffi. Synchronous and CPU-bound: only ever use this
// from the ASR worker thread (asr-worker.ts), never on the main event loop.
import { createHash } from 'node:crypto';
import koffi, { type LibraryHandle } from 'koffi';
import { checkJsgf } from './jsgf-check.js';
import { modelPaths, POCKETSPHINX_INSTALL_HINT } from './model.js';
import type { RecognitionResult, RecognizedWord } from './types.js';

type Ptr = unknown; // koffi external pointer

interface PocketsphinxApi {
  ps_args(): Ptr;
  cmd_ln_parse_r(inout: Ptr | null, defn: Ptr, argc: number, argv: string[], strict: number): Ptr | null;
  cmd_ln_free_r(config: Ptr): number;
  err_set_logfile(path: string): number;
  err_set_logfp(stream: null): void;
  ps_init(config: Ptr): Ptr | null;
  ps_free(ps: Ptr): number;
  ps_set_jsgf_string(ps: Ptr, name: string, jsgf: string): number;
  ps_set_lm(ps: Ptr, name: string, lm: Ptr): number;
  ps_get_config(ps: Ptr): Ptr;
  ngram_model_read(config: Ptr, path: string, fileType: number, lmath: Ptr): Ptr | null;
  ps_set_search(ps: Ptr, name: string): number;
  ps_unset_search(ps: Ptr, name: string): number;
  ps_start_utt(ps: Ptr): number;
  ps_process_raw(ps: Ptr, data: Int16Array, n: number, noSearch: number, fullUtt: number): number;
  ps_end_utt(ps: Ptr): number;
  ps_get_hyp(ps: Ptr, score: number[]): string | null;
  ps_get_prob(ps: Ptr): number;
  ps_get_logmath(ps: Ptr): Ptr;
  logmath_exp(lmath: Ptr, logb: number): number;
  ps_seg_iter(ps: Ptr): Ptr | null;
  ps_seg_next(seg: Ptr): Ptr | null;
  ps_seg_word(seg: Ptr): string;
  ps_seg_frames(seg: Ptr, sf: number[], ef: number[]): void;
  ps_seg_prob(seg: Ptr, ascr: number[], lscr: number[], lback: number[]): number;
}

let api: PocketsphinxApi | undefined;

/** Bind the C API (once per thread). Throws with the apt-get hint when the shared libraries are missing. */
export function loadPocketsphinx(): PocketsphinxApi {
  if (api) return api;
  let sb: LibraryHandle;
  let ps: LibraryHandle;
  try {
    sb = koffi.load('libsphinxbase.so.3');
    ps = koffi.load('libpocketsphinx.so.3');
  } catch (err) {
    throw new Error(`pocketsphinx libraries not found (${(err as Error).message}); install: ${POCKETSPHINX_INSTALL_HINT}`);
  }
  // Opaque handles: we never look inside them. Names are prefixed to avoid clashing with other koffi users.
  koffi.opaque('sbps_cmd_ln');
  koffi.opaque('sbps_arg');
  koffi.opaque('sbps_decoder');
  koffi.opaque('sbps_logmath');
  koffi.opaque('sbps_seg');
  koffi.opaque('sbps_ngram_model');
  api = {
    ps_args: ps.func('sbps_arg* ps_args()'),
    cmd_ln_parse_r: sb.func(
      'sbps_cmd_ln* cmd_ln_parse_r(sbps_cmd_ln* inout, sbps_arg* defn, int argc, const char** argv, int strict)',
    ),
    cmd_ln_free_r: sb.func('int cmd_ln_free_r(sbps_cmd_ln* config)'),
    err_set_logfile: sb.func('int err_set_logfile(const char* path)'),
    err_set_logfp: sb.func('void err_set_logfp(void* stream)'),
    ps_init: ps.func('sbps_decoder* ps_init(sbps_cmd_ln* config)'),
    ps_free: ps.func('int ps_free(sbps_decoder* ps)'),
    ps_set_jsgf_string: ps.func('int ps_set_jsgf_string(sbps_decoder* ps, const char* name, const char* jsgf)'),
    ps_set_lm: ps.func('int ps_set_lm(sbps_decoder* ps, const char* name, sbps_ngram_model* lm)'),
    ps_get_config: ps.func('sbps_cmd_ln* ps_get_config(sbps_decoder* ps)'),
    ngram_model_read: sb.func('sbps_ngram_model* ngram_model_read(sbps_cmd_ln* config, const char* file_name, int file_type, sbps_logmath* lmath)'),
    ps_set_search: ps.func('int ps_set_search(sbps_decoder* ps, const char* name)'),
    ps_unset_search: ps.func('int ps_unset_search(sbps_decoder* ps, const char* name)'),
    ps_start_utt: ps.func('int ps_start_utt(sbps_decoder* ps)'),
    ps_process_raw: ps.func(
      'int ps_process_raw(sbps_decoder* ps, const int16_t* data, size_t n, int no_search, int full_utt)',
    ),
    ps_end_utt: ps.func('int ps_end_utt(sbps_decoder* ps)'),
    ps_get_hyp: ps.func('const char* ps_get_hyp(sbps_decoder* ps, _Out_ int32_t* score)'),
    ps_get_prob: ps.func('int32_t ps_get_prob(sbps_decoder* ps)'),
    ps_get_logmath: ps.func('sbps_logmath* ps_get_logmath(sbps_decoder* ps)'),
    logmath_exp: sb.func('double logmath_exp(sbps_logmath* lmath, int logb_x)'),
    ps_seg_iter: ps.func('sbps_seg* ps_seg_iter(sbps_decoder* ps)'),
    ps_seg_next: ps.func('sbps_seg* ps_seg_next(sbps_seg* seg)'),
    ps_seg_word: ps.func('const char* ps_seg_word(sbps_seg* seg)'),
    ps_seg_frames: ps.func('void ps_seg_frames(sbps_seg* seg, _Out_ int* sf, _Out_ int* ef)'),
    ps_seg_prob: ps.func('int32_t ps_seg_prob(sbps_seg* seg, _Out_ int32_t* ascr, _Out_ int32_t* lscr, _Out_ int32_t* lback)'),
  } as PocketsphinxApi;
  return api;
}

export interface DecoderConfig {
  modelDir?: string;
  /** Path of a feat.params to use instead of the model's own (see feat-params.ts). */
  featParams?: string;
  /** Where pocketsphinx logs (process-wide in libsphinxbase). Default /dev/null. */
  logFile?: string;
  /** Extra decoder flags, e.g. { '-beam': '1e-60' }. */
  args?: Record<string, string>;
}

const DICTATION = 'dictation';
/** sphinxbase's NGRAM_AUTO: the file's format (ARPA or binary) is found from its contents. */
const NGRAM_AUTO = 0;

/**
 * The dictation language model, read once per thread and shared by every decoder on it: it is ~64 MB in memory
 * (a decoder without it ~27 MB), and each search holds a counted reference (ps_set_lm), so a decoder freed does
 * not free it. Decoders on one thread never run at the same time, and all are made with the same settings, so
 * the log base and weights the model was read with are theirs too. Kept for the thread's life.
 */
const sharedModels = new Map<string, Ptr>();

function sharedLanguageModel(path: string, ps: Ptr): Ptr {
  let lm = sharedModels.get(path);
  if (lm === undefined) {
    const lib = loadPocketsphinx();
    lm = lib.ngram_model_read(lib.ps_get_config(ps), path, NGRAM_AUTO, lib.ps_get_logmath(ps)) ?? undefined;
    if (lm === undefined) throw new Error(`pocketsphinx: could not load the language model ${path}`);
    sharedModels.set(path, lm);
  }
  return lm;
}
const MAX_GRAMMARS = 16; // compiled grammars kept per decoder; a call rarely has more distinct steps
const FRAME_MS = 10; // pocketsphinx's default -frate 100

export class PocketsphinxDecoder {
  private readonly ps: Ptr;
  private readonly lmPath: string;
  private dictationLoaded = false;
  private readonly grammars = new Map<string, number>(); // search name → last use (for LRU eviction)
  private activeSearch: string | undefined;
  private wantedSearch: string = DICTATION;
  private inUtterance = false;
  private samplesTotal = 0; // 16 kHz samples since the decoder started: the call's time line
  private utteranceStart = 0;
  private utteranceSamples = 0;
  private utteranceCpuMs = 0;
  private useCounter = 0;

  constructor(config: DecoderConfig = {}) {
    const lib = loadPocketsphinx();
    const paths = modelPaths(config.modelDir);
    this.lmPath = paths.lm;
    // Why: cmd_ln_parse_r prints its whole argument table before ps_init would apply -logfn, so set the log first.
    // The log is process-wide in libsphinxbase: the last decoder created decides where it goes.
    if (config.logFile) lib.err_set_logfile(config.logFile);
    else lib.err_set_logfp(null);
    const flags: Record<string, string> = {
      '-hmm': paths.hmm,
      '-dict': paths.dict,
      ...(config.featParams ? { '-featparams': config.featParams } : {}),
      ...config.args,
    };
    const argv = Object.entries(flags).flat();
    const cmdln = lib.cmd_ln_parse_r(null, lib.ps_args(), argv.length, argv, 1);
    if (!cmdln) throw new Error(`pocketsphinx: bad decoder arguments ${argv.join(' ')}`);
    const ps = lib.ps_init(cmdln);
    lib.cmd_ln_free_r(cmdln); // ps_init keeps its own reference
    if (!ps) throw new Error(`pocketsphinx: could not load the model in ${paths.hmm}; install: ${POCKETSPHINX_INSTALL_HINT}`);
    this.ps = ps;
  }

  /** Compile the grammar now (so errors surface at once); it takes effect at the next utterance. null = dictation. */
  setGrammar(jsgf: string | null): void {
    if (jsgf === null) {
      this.ensureDictation();
      this.wantedSearch = DICTATION;
      return;
    }
    const problem = checkJsgf(jsgf);
    if (problem) throw new Error(`invalid JSGF grammar: ${problem}`);
    const name = `g${createHash('sha1').update(jsgf).digest('hex').slice(0, 16)}`;
    if (!this.grammars.has(name)) {
      if (loadPocketsphinx().ps_set_jsgf_string(this.ps, name, jsgf) < 0) {
        throw new Error('pocketsphinx: the JSGF grammar did not compile (syntax error or a word not in the dictionary)');
      }
      this.evictGrammars();
    }
    this.grammars.set(name, ++this.useCounter);
    this.wantedSearch = name;
  }

  /** Set up dictation now instead of on first use (the thread's first decoder reads the language model, ~0.4 s). */
  ensureDictation(): void {
    if (this.dictationLoaded) return;
    if (loadPocketsphinx().ps_set_lm(this.ps, DICTATION, sharedLanguageModel(this.lmPath, this.ps)) < 0) {
      throw new Error(`pocketsphinx: could not use the language model ${this.lmPath}`);
    }
    this.dictationLoaded = true;
  }

  get mode(): 'grammar' | 'dictation' {
    return this.wantedSearch === DICTATION ? 'dictation' : 'grammar';
  }

  /** Feed 16 kHz PCM16; starts an utterance on the first samples after the previous end. */
  process(samples: Int16Array): void {
    if (samples.length === 0) return;
    const lib = loadPocketsphinx();
    const t = performance.now();
    if (!this.inUtterance) this.startUtterance();
    if (lib.ps_process_raw(this.ps, samples, samples.length, 0, 0) < 0) throw new Error('pocketsphinx: decoding failed');
    this.samplesTotal += samples.length;
    this.utteranceSamples += samples.length;
    this.utteranceCpuMs += performance.now() - t;
  }

  /** The best hypothesis so far of the utterance in progress ('' outside one): for live captions. */
  partial(): string {
    if (!this.inUtterance) return '';
    return (loadPocketsphinx().ps_get_hyp(this.ps, [0]) ?? '').trim();
  }

  /** Close the utterance and return the final hypothesis. An utterance with no audio gives empty text. */
  endUtterance(): RecognitionResult {
    const mode = this.mode;
    if (!this.inUtterance) {
      return { text: '', confidence: undefined, words: [], mode, startMs: msOf(this.samplesTotal), durationMs: 0, decodeMs: 0 };
    }
    const lib = loadPocketsphinx();
    const t = performance.now();
    lib.ps_end_utt(this.ps);
    this.inUtterance = false;
    const score = [0];
    const hyp = lib.ps_get_hyp(this.ps, score) ?? '';
    const logmath = lib.ps_get_logmath(this.ps);
    const text = hyp.trim();
    let confidence: number | undefined;
    if (text !== '') {
      // Posterior probability of the whole hypothesis from the lattice; pocketsphinx's confidence measure.
      const p = lib.logmath_exp(logmath, lib.ps_get_prob(this.ps));
      confidence = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : undefined;
    }
    const words = this.words(logmath);
    this.utteranceCpuMs += performance.now() - t;
    return {
      text,
      confidence,
      words,
      mode,
      startMs: msOf(this.utteranceStart),
      durationMs: msOf(this.utteranceSamples),
      decodeMs: this.utteranceCpuMs,
    };
  }

  free(): void {
    loadPocketsphinx().ps_free(this.ps);
  }

  private startUtterance(): void {
    const lib = loadPocketsphinx();
    if (this.activeSearch !== this.wantedSearch) {
      if (this.wantedSearch === DICTATION) this.ensureDictation();
      if (lib.ps_set_search(this.ps, this.wantedSearch) < 0) throw new Error(`pocketsphinx: no search ${this.wantedSearch}`);
      this.activeSearch = this.wantedSearch;
    }
    if (lib.ps_start_utt(this.ps) < 0) throw new Error('pocketsphinx: could not start an utterance');
    this.inUtterance = true;
    this.utteranceStart = this.samplesTotal;
    this.utteranceSamples = 0;
    this.utteranceCpuMs = 0;
  }

  private words(logmath: Ptr): RecognizedWord[] {
    const lib = loadPocketsphinx();
    const words: RecognizedWord[] = [];
    for (let seg = lib.ps_seg_iter(this.ps); seg; seg = lib.ps_seg_next(seg)) {
      const raw = lib.ps_seg_word(seg);
      if (/^[<[]/.test(raw) || raw === '(NULL)') continue; // <s>, </s>, <sil>, [NOISE] and grammar null nodes
      const sf = [0];
      const ef = [0];
      lib.ps_seg_frames(seg, sf, ef);
      const prob = lib.ps_seg_prob(seg, [0], [0], [0]);
      const p = lib.logmath_exp(logmath, prob);
      words.push({
        word: raw.replace(/\(\d+\)$/, ''), // alternate pronunciations come back as "word(2)"
        // Segment frames count from the start of the stream (the decoder), not of the utterance.
        startMs: (sf[0] ?? 0) * FRAME_MS,
        endMs: ((ef[0] ?? 0) + 1) * FRAME_MS,
        confidence: Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : undefined,
      });
    }
    return words;
  }

  private evictGrammars(): void {
    while (this.grammars.size >= MAX_GRAMMARS) {
      let oldest: string | undefined;
      let oldestUse = Infinity;
      for (const [name, use] of this.grammars) {
        if (name !== this.activeSearch && name !== this.wantedSearch && use < oldestUse) {
          oldest = name;
          oldestUse = use;
        }
      }
      if (!oldest) return;
      loadPocketsphinx().ps_unset_search(this.ps, oldest);
      this.grammars.delete(oldest);
    }
  }
}

function msOf(samples16k: number): number {
  return Math.round(samples16k / 16);
}
