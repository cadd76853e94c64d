import type { ParseArgsConfig } from 'node:util';
import { migrateCommand } from './migrate.js';
import { simulateCallCommand } from './simulate-call.js';
import { startCommand } from './start.js';

export interface Command {
  name: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}

export const commands: Command[] = [startCommand, migrateCommand, simulateCallCommand];
