import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAG_ENV_PREFIX, loadSettings, settingsSchema, SettingsError } from '../src/config/settings.js';

describe('settings', () => {
  it('has defaults for everything needed to start with no environment', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({ PORT: 3000, SWITCHBOARD_DATA_DIR: './data', SWITCHBOARD_ENV: 'development', LOG_LEVEL: 'info' });
    expect(settings.DATABASE_URL).toBeUndefined();
  });

  it('refuses bad values with a message naming the variable and why', () => {
    try {
      loadSettings({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SWITCHBOARD_ENV: 'prod' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SettingsError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT="eighty"/);
      expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
      expect(message).toMatch(/SWITCHBOARD_ENV="prod"/);
    }
  });

  it('treats empty values as unset', () => {
    expect(loadSettings({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('documents every setting in the README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_<>]+)` \|/gm)].map((m) => m[1]));
    const missing = [...Object.keys(settingsSchema.shape), `${FLAG_ENV_PREFIX}<NAME>`].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
