// Type declarations for the Emscripten/WASI speech packages, which ship no typings.
// Only the members this folder uses are declared.

declare module '@echogarden/fvad-wasm' {
  export interface FvadModule {
    HEAP16: Int16Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    _fvad_new(): number;
    _fvad_free(handle: number): void;
    _fvad_reset(handle: number): void;
    _fvad_set_mode(handle: number, mode: number): number;
    _fvad_set_sample_rate(handle: number, rate: number): number;
    _fvad_process(handle: number, framePtr: number, length: number): number;
  }
  const createFvad: () => Promise<FvadModule>;
  export default createFvad;
}

declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakVoiceInfo {
    name: string;
    identifier: string;
    languages: { priority: number; name: string }[];
  }
  export interface ESpeakEvent {
    type: string;
    text_position: number;
    word_length: number;
    audio_position: number;
    id?: string | number;
  }
  export interface ESpeakNGWorker {
    /** Returns 0 on success. */
    set_voice(name: string): number;
    set_rate(wordsPerMinute: number): number;
    get_rate(): number;
    get_samplerate(): number;
    list_voices(): ESpeakVoiceInfo[];
    /** The callback returns true to stop synthesis early. */
    synthesize(text: string, callback: (samples: Int16Array, events: ESpeakEvent[]) => boolean): void;
    delete?(): void;
  }
  export interface ESpeakModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
    destroy?(obj: unknown): void;
  }
  const createModule: (options?: Record<string, unknown>) => Promise<ESpeakModule>;
  export default createModule;
}
