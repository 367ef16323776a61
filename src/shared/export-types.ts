// CSV exports as the contract sees them: what to export (kind + params), where to (target), and
// the progress events. Writing the CSV lives in src/main/export.

import { z } from 'zod';
import { CallSearchSchema } from './archive-types.ts';
import type { ErrorData } from './errors.ts';

export const EXPORT_KINDS = ['calls', 'report', 'metrics'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * file: main asks the host for a path (Electron's save dialog) and writes there ·
 * download: the browser host serves the CSV once at `downloadPath` (GET, session token).
 */
export const EXPORT_TARGETS = ['file', 'download'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** The current search, every page of it (paging fields are the exporter's business). */
export const CallsExportParamsSchema = CallSearchSchema.omit({
  cursor: true,
  limit: true,
  offset: true,
});
export type CallsExportParams = z.input<typeof CallsExportParamsSchema>;

export const CallExportParamsSchema = z
  .object({
    appid: z.string().min(1).max(64).optional(),
    callId: z.string().min(1).max(64),
  })
  .strict();
export type CallExportParams = z.input<typeof CallExportParamsSchema>;

const target = z.enum(EXPORT_TARGETS);

export const ExportRequestSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('calls'), target, params: CallsExportParamsSchema.prefault({}) })
    .strict(),
  z.object({ kind: z.literal('report'), target, params: CallExportParamsSchema }).strict(),
  z.object({ kind: z.literal('metrics'), target, params: CallExportParamsSchema }).strict(),
]);
export type ExportRequest = z.input<typeof ExportRequestSchema>;
export type ParsedExportRequest = z.output<typeof ExportRequestSchema>;

export interface ExportStarted {
  id: string;
  kind: ExportKind;
  target: ExportTarget;
  fileName: string;
  /** For target 'download': the browser host's path to GET (add the session token), once. */
  downloadPath: string | null;
  /** For target 'file': the path the agent chose to save it at. */
  savedTo?: string;
}

export type ExportState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ExportProgress {
  id: string;
  kind: ExportKind;
  fileName: string;
  state: ExportState;
  rowsDone: number;
  /** Data rows the export will hold (header excluded), when known. */
  rowsTotal: number | null;
  /** For target 'file': the path the agent chose to save it at. */
  savedTo?: string;
  error?: ErrorData;
}

export const ExportIdSchema = z.object({ id: z.string().min(1).max(100) }).strict();
