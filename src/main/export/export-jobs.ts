// The export service behind export.start / export.cancel: runs each export as a job with an id,
// reports its progress, cancels it, and hands a download over to the browser host once. Where a
// file goes is asked of the host (Electron's save dialog); the CSV itself is written elsewhere.

import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { AppError, toErrorData } from '../../shared/errors.ts';
import {
  ExportRequestSchema,
  type ExportProgress,
  type ExportRequest,
  type ExportStarted,
  type ExportState,
  type ParsedExportRequest,
} from '../../shared/export-types.ts';
import { describeIssues } from '../core/schema-issues.ts';
import { UNREF_TIMERS, type Timers } from '../core/timers.ts';
import { writeCsv, type CsvProgress } from './csv-writer.ts';
import { writeTableToFile } from './export-file.ts';
import type { CsvTable, ExportSources } from './export-sources.ts';
import { exportTable } from './export-table.ts';

export interface ExportServiceDeps {
  sources: ExportSources;
  /**
   * Asks where to save (Electron: a save dialog); undefined when the agent dismissed it. Hosts
   * without one (the browser host) use target 'download' instead.
   */
  chooseFile?: ((suggestedName: string) => Promise<string | undefined>) | undefined;
  onProgress?: (progress: ExportProgress) => void;
  /** Unix ms. */
  clock?: () => number;
  timers?: Timers;
  /** A download not collected within this time is dropped. */
  downloadTtlMs?: number;
}

/** A download claimed by the browser host: stream it into the HTTP response. */
export interface ExportDownload {
  fileName: string;
  /** Resolves when the whole CSV is written; rejects (CANCELLED) when the job is cancelled. */
  write(out: Writable, signal?: AbortSignal): Promise<void>;
}

export interface ExportService {
  /** Starts an export; null when the agent dismissed the save dialog. */
  start(request: ParsedExportRequest): Promise<ExportStarted | null>;
  cancel(id: string): boolean;
  /** The browser host's GET /export/<id>: a waiting download, claimable once. */
  claimDownload(id: string): ExportDownload | undefined;
  /** Headless (CLI): writes an export straight to a path, no job. Resolves with the rows written. */
  exportToFile(
    request: Omit<ExportRequest, 'target'>,
    path: string,
    options?: { signal?: AbortSignal; onProgress?: (progress: CsvProgress) => void },
  ): Promise<{ fileName: string; rows: number }>;
  /** Resolves when no job runs (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels every job. */
  close(): Promise<void>;
}

export const DEFAULT_DOWNLOAD_TTL_MS = 120_000;
export const DOWNLOAD_PATH_PREFIX = '/export/';

interface Job {
  id: string;
  request: ParsedExportRequest;
  table: CsvTable;
  controller: AbortController;
  /** Target 'file': where the agent chose to save it. */
  savedTo?: string;
  state: ExportState;
  rowsDone: number;
  expiry?: unknown;
  running?: Promise<void>;
}

export function createExportService(deps: ExportServiceDeps): ExportService {
  const clock = deps.clock ?? Date.now;
  const timers = deps.timers ?? UNREF_TIMERS;
  const ttl = deps.downloadTtlMs ?? DEFAULT_DOWNLOAD_TTL_MS;
  const jobs = new Map<string, Job>();

  const report = (job: Job, error?: unknown) => {
    const progress: ExportProgress = {
      id: job.id,
      kind: job.request.kind,
      fileName: job.table.fileName,
      state: job.state,
      rowsDone: job.rowsDone,
      rowsTotal: job.table.rowsTotal,
    };
    if (job.savedTo !== undefined) progress.savedTo = job.savedTo;
    if (error !== undefined) progress.error = toErrorData(error);
    deps.onProgress?.(progress);
  };

  const onRows = (job: Job) => (p: CsvProgress) => {
    job.rowsDone = p.rowsDone;
    report(job);
  };

  /** Runs the job's writing to its end and reports how it ended; never rejects. */
  const run = (job: Job, write: () => Promise<unknown>): Promise<void> => {
    job.state = 'running';
    const running = write().then(
      () => {
        job.state = 'done';
        report(job);
      },
      (error: unknown) => {
        job.state = job.controller.signal.aborted ? 'cancelled' : 'failed';
        report(job, job.state === 'cancelled' ? undefined : error);
      },
    );
    job.running = running.finally(() => jobs.delete(job.id));
    return job.running;
  };

  return {
    async start(request) {
      if (request.target === 'file' && !deps.chooseFile) {
        throw new AppError(
          'BAD_INPUT',
          'target: this host cannot save files; use the "download" target',
        );
      }
      const table = await exportTable(request, deps.sources, clock());
      const job: Job = {
        id: randomUUID(),
        request,
        table,
        controller: new AbortController(),
        state: 'waiting',
        rowsDone: 0,
      };
      const started: ExportStarted = {
        id: job.id,
        kind: request.kind,
        target: request.target,
        fileName: table.fileName,
        downloadPath: null,
      };
      if (request.target === 'file') {
        const path = await deps.chooseFile?.(table.fileName);
        if (path === undefined) return null;
        job.savedTo = path;
        jobs.set(job.id, job);
        void run(job, () =>
          writeTableToFile(table, path, {
            signal: job.controller.signal,
            onProgress: onRows(job),
          }),
        );
        return { ...started, savedTo: path };
      }
      jobs.set(job.id, job);
      job.expiry = timers.setTimeout(() => {
        if (job.state !== 'waiting') return;
        job.controller.abort();
        job.state = 'cancelled';
        jobs.delete(job.id);
        report(job);
      }, ttl);
      report(job);
      return { ...started, downloadPath: `${DOWNLOAD_PATH_PREFIX}${job.id}` };
    },

    cancel(id) {
      const job = jobs.get(id);
      if (!job) return false;
      job.controller.abort();
      if (job.state === 'waiting') {
        timers.clearTimeout(job.expiry);
        job.state = 'cancelled';
        jobs.delete(id);
        report(job);
      }
      return true;
    },

    claimDownload(id) {
      const job = jobs.get(id);
      if (!job || job.request.target !== 'download' || job.state !== 'waiting') return undefined;
      timers.clearTimeout(job.expiry);
      job.state = 'running';
      return {
        fileName: job.table.fileName,
        write(out, signal) {
          // The HTTP client going away cancels the job like export.cancel does.
          signal?.addEventListener('abort', () => job.controller.abort(), { once: true });
          let failure: unknown;
          return run(job, () =>
            writeCsv({
              header: job.table.header,
              rows: job.table.rows,
              rowsTotal: job.table.rowsTotal,
              out,
              signal: job.controller.signal,
              onProgress: onRows(job),
            }).catch((error: unknown) => {
              failure = error;
              throw error;
            }),
          ).then(() => {
            if (failure !== undefined) throw failure;
          });
        },
      };
    },

    async exportToFile(request, path, options = {}) {
      const parsed = ExportRequestSchema.safeParse({ ...request, target: 'file' });
      if (!parsed.success) {
        throw new AppError('BAD_INPUT', describeIssues(parsed.error.issues));
      }
      const table = await exportTable(parsed.data, deps.sources, clock());
      const rows = await writeTableToFile(table, path, options);
      return { fileName: table.fileName, rows };
    },

    async idle() {
      await Promise.all([...jobs.values()].map((job) => job.running));
    },

    async close() {
      for (const id of [...jobs.keys()]) this.cancel(id);
      await this.idle();
    },
  };
}
