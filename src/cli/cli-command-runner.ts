// Runs one CLI command: reads its flags (--help prints its help), then its body, with plain-words
// errors and the exit codes every command shares: 0 ok, 1 failure (the message says what happened
// and what to do), 2 bad usage.

import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { toErrorData, type ErrorData } from '../shared/errors.ts';
import { UsageError } from './cli-connection.ts';
import { attachRelativeTimes } from './cli-time.ts';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Prints a usage mistake (with --json also as data on stdout) and answers exit code 2. */
  usage(message: string): number;
  isTTY: boolean;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export type FlagValues<F extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: F; strict: true; allowPositionals: false }>
>['values'];

type WithHelp = ParseArgsOptionsConfig & { help: { type: 'boolean' } };

export interface CommandSpec<F extends WithHelp> {
  /** Its flags; --from and --to take relative times such as -3d. */
  flags: F;
  help: string;
}

export async function runCommand<F extends WithHelp>(
  argv: string[],
  spec: CommandSpec<F>,
  body: (values: FlagValues<F>, io: CommandIo) => Promise<number>,
): Promise<number> {
  const json = argv.includes('--json');
  const io: CommandIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    usage(message) {
      if (json) {
        const error: ErrorData = { code: 'BAD_INPUT', message };
        process.stdout.write(`${JSON.stringify({ error })}\n`);
      }
      process.stderr.write(`${message}\nRun with --help for the flags.\n`);
      return 2;
    },
    isTTY: process.stderr.isTTY === true,
  };
  try {
    const { values } = parseArgs({
      args: attachRelativeTimes(argv, ['from', 'to']),
      options: spec.flags,
      strict: true,
      allowPositionals: false,
    });
    if ((values as { help?: boolean }).help === true) {
      io.out(spec.help);
      return 0;
    }
    return await body(values, io);
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
