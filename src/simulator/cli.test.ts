// The simulator CLI: help text, flag parsing, exit codes and a run that stops on abort.

import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs } from './cli.ts';
import { runSimulatorCli, SIMULATOR_HELP } from './index.ts';
import { rawRequest } from './test-http-client.ts';

describe('simulator CLI', () => {
  it('documents every flag in --help', async () => {
    const out: string[] = [];
    expect(await runSimulatorCli(['--help'], { out: (l) => out.push(l) })).toBe(0);
    const help = out.join('\n');
    for (const flag of [
      '--port',
      '--host',
      '--seed',
      '--credentials',
      '--appid',
      '--calls-per-day',
      '--rate-scale',
      '--fault-500',
      '--fault-malformed',
      '--fault-truncated',
      '--fault-slow',
      '--slow-ms',
      '--fault-drop',
      '--fault-drop-after',
      '--vendor-quirks',
      '--no-vendor-quirks',
      '--json',
      '--help',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toBe(SIMULATOR_HELP);
  });

  it('maps flags to options', () => {
    const { options } = parseSimulatorArgs([
      '--port',
      '0',
      '--seed',
      's1',
      '--credentials',
      'a:b:c',
      '--credentials',
      'd:e',
      '--calls-per-day',
      '500',
      '--rate-scale',
      '10',
      '--fault-500',
      '0.1',
      '--fault-drop',
      '0.2',
      '--fault-drop-after',
      '0.3',
      '--fault-slow',
      '0.4',
      '--slow-ms',
      '50',
      '--no-vendor-quirks',
    ]);
    expect(options).toEqual({
      port: 0,
      seed: 's1',
      credentials: [
        { customerId: 'a', secret: 'b:c' },
        { customerId: 'd', secret: 'e' },
      ],
      callsPerDay: 500,
      rateScale: 10,
      vendorQuirks: false,
      faults: {
        error500: 0.1,
        dropBeforeBody: 0.2,
        dropAfterProcessing: 0.3,
        slow: 0.4,
        slowMs: 50,
      },
    });
  });

  it.each([
    [['--fault-500', '2']],
    [['--port', 'x']],
    [['--credentials', 'nocolon']],
    [['--bogus']],
  ])('exits 2 on bad input %j', async (argv) => {
    const err: string[] = [];
    expect(await runSimulatorCli(argv, { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err.join('\n')).toMatch(/simulator:/);
  });

  it('prints its URL and credentials, serves until aborted, then exits 0', async () => {
    const out: string[] = [];
    const abort = new AbortController();
    let url = '';
    const done = runSimulatorCli(
      ['--port', '0', '--credentials', 'cli-id:cli-secret', '--appid', 'cliapp'],
      {
        out: (l) => out.push(l),
        signal: abort.signal,
        onListening: (u) => (url = u),
      },
    );
    await expect.poll(() => url).not.toBe('');
    const text = out.join('\n');
    expect(text).toContain(url);
    expect(text).toContain('cli-id');
    expect(text).toContain('cli-secret');
    expect(text).toContain('cliapp');
    const auth = `Basic ${Buffer.from('cli-id:cli-secret').toString('base64')}`;
    const res = await rawRequest(
      new URL('/beta/analytics/call/lists?start_ts=1&end_ts=2&appid=cliapp', url),
      auth,
    );
    expect(res.status).toBe(400); // start_ts is far outside the lookback: proves auth and appid passed
    expect(res.json<{ message: string }>().message).toMatch(/^start_ts/);
    abort.abort();
    expect(await done).toBe(0);
    await expect(rawRequest(new URL('/__sim/stats', url), auth)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
