// The hand-over from a screen to the export flow: "Export CSV" (call detail, call list) puts the
// request here; the export UI (issue 7) watches `exportRequest.pending`, runs it through
// export.start with the host's target, shows progress, and calls `take()` once it has started.

import type { ExportRequest } from '../../../shared/export-types.ts';

export type PendingExport =
  | Omit<Extract<ExportRequest, { kind: 'report' }>, 'target'>
  | Omit<Extract<ExportRequest, { kind: 'metrics' }>, 'target'>
  | Omit<Extract<ExportRequest, { kind: 'calls' }>, 'target'>;

class ExportRequestStore {
  pending = $state<(PendingExport & { requestedAtMs: number }) | null>(null);

  /** The request without its bookkeeping, ready for export.start's strict schema. */
  take(): PendingExport | null {
    const request = this.pending;
    this.pending = null;
    if (!request) return null;
    const { requestedAtMs: _requestedAtMs, ...pending } = request;
    return pending as PendingExport;
  }
}

export const exportRequest = new ExportRequestStore();

export function requestExport(request: PendingExport): void {
  exportRequest.pending = { ...request, requestedAtMs: Date.now() } as PendingExport & {
    requestedAtMs: number;
  };
}
