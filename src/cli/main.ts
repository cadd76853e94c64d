import { parseArgs } from 'node:util';
import { SettingsError } from '../config/settings.js';
import { commands } from './commands/index.js';

/** `switchboard <command> [options]`. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands.find((c) => c.name === name) : undefined;
  if (!command || name === 'help' || name === '--help') {
    process.stdout.write(`Usage: switchboard <command> [options]\n\nCommands:\n${commands.map((c) => `  ${c.name.padEnd(16)}${c.summary}`).join('\n')}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    const { values } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: false, strict: true });
    return await command.run(values as Record<string, string | boolean | undefined>);
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`switchboard: refusing to start.\n${err.message}\n`);
      return 2;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`switchboard ${command.name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
