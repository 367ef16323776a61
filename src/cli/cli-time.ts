// Reads the CLI's time flags: an ISO 8601 date or time (UTC unless it names an offset), "now", or a
// span back from now such as -3d, -6h, -30m. Answers Unix seconds.

import { UsageError } from './cli-connection.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseTimeFlag(flag: string, text: string, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  if (text === 'now') return now;
  const relative = /^-(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  if (relative !== null)
    return Math.round(now - Number(relative[1]) * (UNITS[relative[2] ?? 's'] ?? 1));
  // A date or time without an offset is read as UTC, like the API's timestamps.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)
    ? `${text}${text.includes('T') ? 'Z' : ''}`
    : text;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(
      `--${flag} "${text}" is not a time: use ISO 8601 (2026-03-01T10:40:00Z), "now", or -3d / -6h / -30m.`,
    );
  }
  return Math.floor(ms / 1000);
}

/** The optional --from and --to flags as Unix seconds (undefined when not given). */
export function parseTimeRange(
  values: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
): { fromTs: number | undefined; toTs: number | undefined } {
  return {
    fromTs: values.from === undefined ? undefined : parseTimeFlag('from', values.from, nowMs),
    toTs: values.to === undefined ? undefined : parseTimeFlag('to', values.to, nowMs),
  };
}

/** parseArgs reads "--from -3d" as two flags: join such values to their flag ("--from=-3d"). */
export function attachRelativeTimes(argv: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (
      flags.includes(arg.replace(/^--/, '')) &&
      arg.startsWith('--') &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
