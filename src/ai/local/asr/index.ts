export {
  AsrWorkerPool,
  createRecognizer,
  defaultAsrPool,
  DEFAULT_DECODER_ARGS,
  GRAMMAR_DECODER_ARGS,
  type Recognizer,
  type RecognizerOptions,
} from './recognizer.js';
export type { RecognitionResult, RecognizedWord } from './types.js';
export { PHONE_BAND_CMNINIT, phoneBandFeatParams, withCmninit } from './feat-params.js';
export { DEFAULT_MODEL_DIR, POCKETSPHINX_INSTALL_HINT, modelPaths } from './model.js';
