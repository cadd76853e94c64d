import { loadSettings } from '../../config/settings.js';
import { openDatabase } from '../../store/index.js';
import type { Command } from './index.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply database migrations and exit',
  async run() {
    const settings = loadSettings();
    const database = await openDatabase({ url: settings.DATABASE_URL, dataDir: settings.SWITCHBOARD_DATA_DIR });
    try {
      await database.migrate();
      process.stdout.write(`migrations applied (${database.kind})\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
