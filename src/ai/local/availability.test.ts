import { describe, expect, it } from 'vitest';
import { checkLocalAsr, checkLocalSpeech, checkLocalTts, checkLocalVad } from './availability.js';

describe('local speech availability', () => {
  it('names the Debian packages to install when the pocketsphinx libraries are missing', async () => {
    const result = await checkLocalAsr({ libraries: ['libpocketsphinx-does-not-exist.so.3'] });
    expect(result.available).toBe(false);
    expect(result.reason).toContain('sudo apt-get install -y pocketsphinx pocketsphinx-en-us');
    expect(result.reason).toContain('libpocketsphinx-does-not-exist.so.3');
  });

  it('names the model package when the model folder is missing', async () => {
    const result = await checkLocalAsr({ libraries: [], modelDir: '/nonexistent/pocketsphinx-model' });
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/pocketsphinx-en-us.*sudo apt-get install -y pocketsphinx pocketsphinx-en-us/);
  });

  it('finds the WASM engines shipped as npm packages', () => {
    expect(checkLocalTts()).toEqual({ available: true });
    expect(checkLocalVad()).toEqual({ available: true });
  });

  it('answers once per process, and never throws', async () => {
    const first = await checkLocalSpeech();
    expect(await checkLocalSpeech()).toBe(first);
    expect(typeof first.asr.available).toBe('boolean');
    if (!first.asr.available) expect(first.asr.reason).toMatch(/apt-get install/);
  });
});
