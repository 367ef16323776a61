// `crystal-desk sync --from T --to T [--cname C]`: fetches a time range into the archive with the
// same sync engine as the app (resumes the open job for the same or an overlapping range), with
// progress on a TTY.

import { syncNoteEnglish } from '../../shared/sync-notes.ts';
import type { SyncJobStatus } from '../../shared/sync-types.ts';
import { createSyncEngine } from '../../main/sync/index.ts';
import { CONNECTION_FLAGS, CONNECTION_HELP, connect, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo, type FlagValues } from '../cli-command-runner.ts';
import { parseTimeFlag } from '../cli-time.ts';
import { createSyncProgressBar } from '../sync-progress-bar.ts';
import type { CliCommand } from '../main.ts';

export const SYNC_HELP = `Usage: crystal-desk sync --from TIME [--to TIME] [--cname CHANNEL] [flags]

Fetches every call that started in the range into the archive: lists them all, keeps daily usage,
then fetches details by priority within the quota (the rest stays listed-only). Running the same
command again resumes an interrupted job; with relative times (-2h, now) the open job whose range
holds the new start is resumed and extended to the new end. Ranges older than the API's lookback
come from the archive only.

  --from TIME            start of the range: ISO 8601 (UTC unless an offset is given), or -3d, -6h
  --to TIME              end of the range (default now)
  --cname CHANNEL        only this channel
  --max-details N        spend at most N details requests (default: what the quota allows)

${CONNECTION_HELP}

Exit codes: 0 done (or waiting for quota), 1 failed, cancelled or interrupted, 2 bad usage.`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  from: { type: 'string' },
  to: { type: 'string' },
  cname: { type: 'string' },
  'max-details': { type: 'string' },
} as const;

function describe(status: SyncJobStatus): string[] {
  const p = status.plan;
  const lines = [
    `Sync job ${status.jobId}: ${status.state} (${new Date(status.fromTs * 1000).toISOString()} .. ${new Date(status.toTs * 1000).toISOString()}${status.cname !== null ? `, channel ${status.cname}` : ''})`,
    `  calls in range: ${p.callsListed} listed, ${p.callsFull} archived in full, ${p.callsLeftListedOnly} listed only`,
    `  requests: ${status.requests.list} list, ${status.requests.details} details, ${status.requests.usage} usage`,
  ];
  if (status.resumeAtMs !== null) {
    lines.push(
      `  continues after ${new Date(status.resumeAtMs).toISOString()} (run the same command again)`,
    );
  }
  for (const note of status.notes) lines.push(`  note: ${syncNoteEnglish(note)}`);
  if (status.error !== null) lines.push(`  error: ${status.error.message}`);
  return lines;
}

async function runSync(values: FlagValues<typeof FLAGS>, io: CommandIo): Promise<number> {
  const now = Date.now();
  if (values.from === undefined)
    return io.usage('--from is required (e.g. --from -1d or --from 2026-03-01T00:00:00Z).');
  const fromTs = parseTimeFlag('from', values.from, now);
  const toTs =
    values.to === undefined ? Math.floor(now / 1000) : parseTimeFlag('to', values.to, now);
  if (toTs <= fromTs) return io.usage('--to must be after --from.');
  let maxDetails: number | undefined;
  if (values['max-details'] !== undefined) {
    maxDetails = Number(values['max-details']);
    if (!Number.isInteger(maxDetails) || maxDetails < 0)
      return io.usage('--max-details must be a whole number, 0 or more.');
  }

  const db = openDataDir(values);
  const api = await connect(values, db).catch((error: unknown) => {
    db.close();
    throw error;
  });
  const bar = !values.json && io.isTTY ? createSyncProgressBar(process.stderr) : null;
  const engine = createSyncEngine({
    db,
    client: api.client,
    appid: api.appid,
    profile: api.profileId,
    plan: api.plan,
    quota: () => api.limiter.state(),
    onProgress: (status) => bar?.update(status),
  });
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    engine.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!values.json) io.err(`Syncing ${api.label} ...`);
    const started = engine.start({
      fromTs,
      toTs,
      cname: values.cname,
      maxDetailsRequests: maxDetails,
    });
    const status = await engine.settled(started.jobId);
    bar?.stop();
    // JSON keeps each note's code and parameters, with its English sentence for people reading.
    if (values.json)
      io.out(
        JSON.stringify({
          ...status,
          notes: status.notes.map((n) => ({ ...n, text: syncNoteEnglish(n) })),
        }),
      );
    else for (const line of describe(status)) io.out(line);
    if (interrupted) {
      io.err('Interrupted: what was fetched is kept; run the same command again to continue.');
      return 1;
    }
    if (status.state === 'failed') {
      if (!values.json) io.err(`Sync failed: ${status.error?.message ?? 'unknown error'}`);
      return 1;
    }
    return status.state === 'cancelled' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar?.stop();
    engine.close();
    await api.close();
    db.close();
  }
}

export const syncCommand: CliCommand = {
  summary: 'fetch the calls of a time range into the archive',
  run: (argv) => runCommand(argv, { flags: FLAGS, help: SYNC_HELP }, runSync),
};
