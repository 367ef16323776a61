// Shows a sync job's progress on a terminal: one bar per phase with requests spent and the job's
// own ETA (the engine's, from the quota's pace; not cli-progress's guess from the bar's speed).
// Only for a TTY; the caller passes no bar otherwise (pipes, --json).

import { SingleBar } from 'cli-progress';
import type { SyncJobStatus } from '../shared/sync-types.ts';

const PHASE_WORDS: Record<SyncJobStatus['phase'], string> = {
  listing: 'Listing calls ',
  usage: 'Daily usage   ',
  details: 'Call details  ',
  done: 'Done          ',
};

function eta(status: SyncJobStatus, now: number): string {
  if (status.etaMs === null) return '';
  const sec = Math.max(0, Math.round((status.etaMs - now) / 1000));
  return sec < 90 ? `~${sec}s left` : `~${Math.round(sec / 60)} min left`;
}

export interface SyncProgressBar {
  update(status: SyncJobStatus): void;
  stop(): void;
}

/** `clock`: Unix ms, for the time left until the job's ETA (default Date.now). */
export function createSyncProgressBar(
  stream: NodeJS.WriteStream,
  clock: () => number = Date.now,
): SyncProgressBar {
  const bar = new SingleBar(
    {
      stream,
      // {eta} is cli-progress's own estimate: the job's is {etaText}.
      format: '{phase} [{bar}] {percentage}% | {requests} requests | {etaText}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    undefined,
  );
  let phase: SyncJobStatus['phase'] | null = null;
  return {
    update(status) {
      const payload = {
        phase: PHASE_WORDS[status.phase],
        requests: `${status.requests.list} list, ${status.requests.details} details`,
        etaText: eta(status, clock()),
      };
      const total = Math.max(1, status.total);
      if (phase !== status.phase) {
        if (phase !== null) bar.stop();
        bar.start(total, Math.min(total, status.done), payload);
        phase = status.phase;
      } else {
        bar.setTotal(total);
        bar.update(Math.min(total, status.done), payload);
      }
    },
    stop() {
      if (phase !== null) bar.stop();
      phase = null;
    },
  };
}
