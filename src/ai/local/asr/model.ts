// Where Debian's pocketsphinx-en-us package puts the US English model (16 kHz, PTM acoustic model).
import { join } from 'node:path';

export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
export const POCKETSPHINX_LIBRARIES = ['libsphinxbase.so.3', 'libpocketsphinx.so.3'] as const;
export const POCKETSPHINX_INSTALL_HINT = 'sudo apt-get install -y pocketsphinx pocketsphinx-en-us';

export interface ModelPaths {
  /** Acoustic model folder (mdef, means, feat.params, …). */
  hmm: string;
  dict: string;
  /** Trigram language model for open dictation. */
  lm: string;
}

export function modelPaths(modelDir = DEFAULT_MODEL_DIR): ModelPaths {
  return {
    hmm: join(modelDir, 'en-us'),
    dict: join(modelDir, 'cmudict-en-us.dict'),
    lm: join(modelDir, 'en-us.lm.bin'),
  };
}
