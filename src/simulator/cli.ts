// Command line of the simulator: parses flags into SimulatorOptions, prints where it listens and
// how to log in, and stays up until SIGINT/SIGTERM (or an abort signal, for embedding and tests).
// Run: npm exec -- node src/simulator/cli.ts [flags]

import { parseArgs } from 'node:util';
import type { Credentials, FaultOptions, SimulatorOptions } from './simulator-options.ts';
import {
  DEFAULT_APPID,
  DEFAULT_CALLS_PER_DAY,
  DEFAULT_CREDENTIALS,
  DEFAULT_SEED,
  DEFAULT_SLOW_MS,
  MAX_CALLS_PER_DAY,
} from './simulator-options.ts';
import { startSimulator } from './start-simulator.ts';

export const SIMULATOR_HELP = `Crystal Ball RESTful API (beta) simulator — a loopback stand-in for api.agora.io

Usage: crystal-desk simulator [flags]

  --port N               port to listen on; 0 picks a free one (default 0)
  --host HOST            address to bind (default 127.0.0.1)
  --seed TEXT            data and faults are a pure function of the seed (default "${DEFAULT_SEED}")
  --credentials ID:SECRET
                         a customer allowed in (repeatable; default
                         ${DEFAULT_CREDENTIALS.customerId}:${DEFAULT_CREDENTIALS.secret})
  --appid APPID          the appid those customers may query (default ${DEFAULT_APPID})
  --calls-per-day N      approximate load (default ${DEFAULT_CALLS_PER_DAY}, at most ${MAX_CALLS_PER_DAY}); the edge cases
                         (busy channels, same-second bursts, long calls) always add ~840 a day,
                         so even --calls-per-day 1 gives ~880
  --rate-scale F         make per-second/per-minute windows F times shorter (default 1);
                         daily quotas and data windows are unchanged
  --fault-500 RATE       chance (0..1) that a request is answered 500 unhandled
  --fault-malformed RATE chance the answer body is replaced by non-JSON
  --fault-truncated RATE chance the answer is cut off mid-body (connection closed)
  --fault-slow RATE      chance the answer is delayed by --slow-ms
  --slow-ms MS           delay of a slow answer (default ${DEFAULT_SLOW_MS})
  --fault-drop RATE      chance the connection is destroyed before the request body is read
  --fault-drop-after RATE
                         chance the request is handled (feedback recorded!) and the connection
                         then destroyed without an answer
  --vendor-quirks        answer feedback exactly like the vendor example, trailing comma and all
                         (default on; --no-vendor-quirks sends strict JSON)
  --json                 print one JSON line {url, customerId, secret, appid, ...} instead of text
  -h, --help             show this help

Control routes (loopback only, no auth):
  GET /__sim/stats                       requests accepted/rejected per endpoint and reason
  GET /__sim/truth?start_ts=&end_ts=[&cname=][&sessions=1]
                                         every call a perfect client could list now, uncapped
  GET /__sim/feedback                    every recorded feedback report
`;

export interface CliIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Stops the simulator when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the simulator listens (e.g. to learn its URL when embedding). */
  onListening?: (url: string) => void;
}

class UsageError extends Error {}

function num(
  flag: string,
  raw: string | undefined,
  check: (n: number) => boolean,
  expected?: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(
      `invalid value for --${flag}: ${raw}${expected === undefined ? '' : ` (${expected})`}`,
    );
  }
  return n;
}

const isRate = (n: number): boolean => n >= 0 && n <= 1;

/** Parses argv (without node and script) into options; throws UsageError on bad input. */
export function parseSimulatorArgs(argv: readonly string[]): {
  options: SimulatorOptions;
  help: boolean;
  json: boolean;
} {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        credentials: { type: 'string', multiple: true },
        appid: { type: 'string' },
        'calls-per-day': { type: 'string' },
        'rate-scale': { type: 'string' },
        'fault-500': { type: 'string' },
        'fault-malformed': { type: 'string' },
        'fault-truncated': { type: 'string' },
        'fault-slow': { type: 'string' },
        'slow-ms': { type: 'string' },
        'fault-drop': { type: 'string' },
        'fault-drop-after': { type: 'string' },
        'vendor-quirks': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const credentials: Credentials[] | undefined = values.credentials?.map((c) => {
    const colon = c.indexOf(':');
    if (colon <= 0 || colon === c.length - 1) {
      throw new UsageError(`invalid value for --credentials: expected ID:SECRET`);
    }
    return { customerId: c.slice(0, colon), secret: c.slice(colon + 1) };
  });
  const faults: FaultOptions = {};
  const setFault = (key: keyof FaultOptions, flag: string, raw: string | undefined): void => {
    const v = num(flag, raw, flag === 'slow-ms' ? (n) => n >= 0 : isRate);
    if (v !== undefined) faults[key] = v;
  };
  setFault('error500', 'fault-500', values['fault-500']);
  setFault('malformed', 'fault-malformed', values['fault-malformed']);
  setFault('truncated', 'fault-truncated', values['fault-truncated']);
  setFault('slow', 'fault-slow', values['fault-slow']);
  setFault('slowMs', 'slow-ms', values['slow-ms']);
  setFault('dropBeforeBody', 'fault-drop', values['fault-drop']);
  setFault('dropAfterProcessing', 'fault-drop-after', values['fault-drop-after']);

  const options: SimulatorOptions = { faults };
  const port = num('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.host = values.host;
  if (values.seed !== undefined) options.seed = values.seed;
  if (credentials !== undefined) options.credentials = credentials;
  if (values.appid !== undefined) options.appid = values.appid;
  const cpd = num(
    'calls-per-day',
    values['calls-per-day'],
    (n) => n > 0 && n <= MAX_CALLS_PER_DAY,
    `more than 0 and at most ${MAX_CALLS_PER_DAY}`,
  );
  if (cpd !== undefined) options.callsPerDay = cpd;
  const scale = num('rate-scale', values['rate-scale'], (n) => n > 0);
  if (scale !== undefined) options.rateScale = scale;
  if (values['vendor-quirks'] !== undefined) options.vendorQuirks = values['vendor-quirks'];
  return { options, help: values.help === true, json: values.json === true };
}

/**
 * Runs the simulator CLI until SIGINT/SIGTERM or `io.signal` aborts. Resolves with the exit code
 * (0 after a clean stop or --help, 2 on bad flags, 1 when it cannot listen).
 */
export async function runSimulatorCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let parsed;
  try {
    parsed = parseSimulatorArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`simulator: ${error.message}`);
    err('Try --help.');
    return 2;
  }
  if (parsed.help) {
    out(SIMULATOR_HELP);
    return 0;
  }
  let sim;
  try {
    sim = await startSimulator(parsed.options);
  } catch (error) {
    err(`simulator: ${(error as Error).message}`);
    return error instanceof RangeError ? 2 : 1;
  }
  const c = sim.credentials;
  if (parsed.json) {
    out(
      JSON.stringify({
        url: sim.url,
        customerId: c.customerId,
        secret: c.secret,
        appid: sim.appid,
        authorization: sim.authorization(),
        plan: sim.plan.name,
      }),
    );
  } else {
    out(`Crystal Ball API simulator (${sim.plan.name} plan) listening on ${sim.url}`);
    out(`  customer id    ${c.customerId}`);
    out(`  secret         ${c.secret}`);
    out(`  appid          ${sim.appid}`);
    out(`  Authorization: ${sim.authorization()}`);
    for (const extra of sim.customers.slice(1)) out(`  also customer  ${extra.customerId}`);
    out(`  stats          ${sim.url}/__sim/stats`);
    out(`  ground truth   ${sim.url}/__sim/truth?start_ts=…&end_ts=…`);
    out('Press Ctrl+C to stop.');
  }
  io.onListening?.(sim.url);

  await new Promise<void>((resolve) => {
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      io.signal?.removeEventListener('abort', finish);
      resolve();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    if (io.signal?.aborted === true) finish();
    else io.signal?.addEventListener('abort', finish, { once: true });
  });
  await sim.close();
  return 0;
}

// No top-level await: bundlers that emit CommonJS (electron-vite) may import this module too.
if (import.meta.main) {
  void runSimulatorCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
