// Runs one CLI command with plain-words errors and the exit codes every command shares:
// 0 ok, 1 failure (the message says what happened and what to do), 2 bad usage.

import { toErrorData } from '../shared/errors.ts';
import { UsageError } from './cli-connection.ts';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Prints a usage mistake and answers exit code 2. */
  usage(message: string): number;
  isTTY: boolean;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export async function runCommand(
  argv: string[],
  body: (argv: string[], io: CommandIo) => Promise<number>,
): Promise<number> {
  const json = argv.includes('--json');
  const io: CommandIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    usage(message) {
      process.stderr.write(`${message}\nRun with --help for the flags.\n`);
      return 2;
    },
    isTTY: process.stderr.isTTY === true,
  };
  try {
    return await body(argv, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      return io.usage(error instanceof Error ? error.message : String(error));
    }
    const data = toErrorData(error);
    if (json) io.out(JSON.stringify({ error: data }));
    io.err(`${data.message}${data.code === 'INTERNAL' ? '' : ` (${data.code})`}`);
    return 1;
  }
}
