// The crystal-desk command line: headless commands over the same services as the app.
// Each command lives in its own module under commands/ and is registered in COMMANDS.

import { APP_VERSION } from '../main/core/app-version.ts';

export interface CliCommand {
  summary: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CliCommand>> = {};

export function registerCommand(name: string, load: () => Promise<CliCommand>): void {
  COMMANDS[name] = load;
}

function usage(): string {
  const lines = Object.keys(COMMANDS)
    .sort()
    .map((name) => `  ${name}`);
  return `Usage: crystal-desk <command> [flags]

Commands:
${lines.join('\n')}

Run "crystal-desk <command> --help" for a command's flags.`;
}

export async function runCli(argv: string[]): Promise<number> {
  await import('./commands/index.ts');
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    console.log(APP_VERSION);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return (await load()).run(rest);
}
