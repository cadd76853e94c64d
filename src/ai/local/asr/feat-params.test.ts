import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PHONE_BAND_CMNINIT, phoneBandFeatParams, withCmninit } from './feat-params.js';

const dir = mkdtempSync(join(tmpdir(), 'featparams-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL_FEAT_PARAMS = '-lowerf 130\n-upperf 6800\n-cmn batch\n-cmninit 41.00,-5.29,-0.12,5.09,2.48,-4.07,-1.37,-1.78,-5.08,-2.05,-6.45,-1.42,1.17\n';

describe('feat.params with a phone-band cmninit', () => {
  it('replaces the -cmninit line and keeps the rest', () => {
    const out = withCmninit(MODEL_FEAT_PARAMS, PHONE_BAND_CMNINIT);
    expect(out).toContain('-upperf 6800\n');
    expect(out.match(/-cmninit/g)).toHaveLength(1);
    expect(out).toContain(`-cmninit ${PHONE_BAND_CMNINIT.map((v) => v.toFixed(2)).join(',')}`);
  });

  it('adds -cmninit when the model has none, and rejects a malformed vector', () => {
    expect(withCmninit('-lowerf 130\n', PHONE_BAND_CMNINIT)).toMatch(/^-lowerf 130\n-cmninit [-\d.,]+\n$/);
    expect(() => withCmninit('', [1, 2, 3])).toThrow(/13 finite numbers/);
  });

  it('writes the copy once into the cache folder, named by its content', () => {
    const hmm = join(dir, 'hmm');
    mkdirSync(hmm);
    writeFileSync(join(hmm, 'feat.params'), MODEL_FEAT_PARAMS);
    const cache = join(dir, 'cache');
    const a = phoneBandFeatParams(hmm, PHONE_BAND_CMNINIT, cache);
    const b = phoneBandFeatParams(hmm, PHONE_BAND_CMNINIT, cache);
    expect(a).toBe(b);
    expect(readdirSync(cache)).toHaveLength(1);
    expect(readFileSync(a, 'utf8')).toBe(withCmninit(MODEL_FEAT_PARAMS, PHONE_BAND_CMNINIT));
    expect(readFileSync(join(hmm, 'feat.params'), 'utf8')).toBe(MODEL_FEAT_PARAMS); // the model stays untouched
  });
});
