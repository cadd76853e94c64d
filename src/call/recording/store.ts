import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Where recordings live: `<dir>/<tenantId>/<yyyy-mm-dd>/<callId>.wav`. The database keeps the path relative to
 * `dir`, so a data directory can move; reads resolve it back and refuse anything outside `dir`.
 */
export class RecordingStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  pathFor(tenantId: string, callId: string, at = new Date()): { relative: string; absolute: string } {
    const rel = join(tenantId, at.toISOString().slice(0, 10), `${callId}.wav`);
    return { relative: rel, absolute: join(this.dir, rel) };
  }

  /** The absolute path of a stored relative path, or null when it would escape the recordings directory. */
  resolve(stored: string): string | null {
    if (isAbsolute(stored)) return null;
    const absolute = resolve(this.dir, stored);
    const inside = relative(this.dir, absolute);
    return inside && !inside.startsWith('..') && !inside.startsWith(sep) ? absolute : null;
  }

  /** Size in bytes of a stored recording, or null when the file is not on this instance's disk. */
  async size(stored: string): Promise<number | null> {
    const absolute = this.resolve(stored);
    if (!absolute) return null;
    try {
      const info = await stat(absolute);
      return info.isFile() ? info.size : null;
    } catch {
      return null;
    }
  }
}
