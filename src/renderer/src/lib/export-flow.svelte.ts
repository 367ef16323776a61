// Runs the exports screens ask for (export-request): export.start with the host's target — the
// save dialog in Electron ('file'), a one-time download in the browser host ('download') — then
// follows export.progress for the progress bar, and cancels on request. The CSV is main's work.

import type { ErrorData } from '../../../shared/errors.ts';
import type {
  ExportKind,
  ExportProgress,
  ExportRequest,
  ExportStarted,
  ExportState,
  ExportTarget,
} from '../../../shared/export-types.ts';
import type { HostKind } from '../../../shared/app-types.ts';
import { crystal } from './crystal.ts';
import type { PendingExport } from './export-request.svelte.ts';
import { sessionToken } from './http-transport.ts';

/** One export as the UI shows it ('starting': export.start has not answered yet). */
export interface ExportView {
  /** Local key (the export id once known). */
  key: string;
  id: string | null;
  kind: ExportKind;
  fileName: string | null;
  /** Where the agent chose to save it (Electron's save dialog), when there was a choice. */
  savedTo: string | null;
  state: ExportState | 'starting';
  rowsDone: number;
  rowsTotal: number | null;
  error: ErrorData | null;
}

const FINAL: readonly string[] = ['done', 'failed', 'cancelled'];
/** Exports shown at once; older finished ones drop off. */
const MAX_SHOWN = 3;
/** Progress that arrived before export.start answered (the event can overtake the reply). */
const MAX_EARLY = 20;

/** Electron has a save dialog; the browser host (and any other) serves a download. */
export function targetFor(host: HostKind | undefined): ExportTarget {
  return host === 'electron' ? 'file' : 'download';
}

export function isFinal(state: ExportView['state']): boolean {
  return FINAL.includes(state);
}

/** Starts the browser's download of a 'download' export (one GET; the token guards it). */
export function triggerDownload(started: ExportStarted, token: string = sessionToken()): void {
  if (started.downloadPath === null) return;
  const link = document.createElement('a');
  link.href = `${started.downloadPath}?token=${encodeURIComponent(token)}`;
  link.download = started.fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

class ExportFlow {
  exports = $state<ExportView[]>([]);
  #subscribed = false;
  #early = new Map<string, ExportProgress>();
  #seq = 0;

  #subscribe(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    crystal.on('export.progress', (progress) => this.#progress(progress));
  }

  /** Runs one export; resolves once it started (or was dismissed / refused). */
  async start(request: PendingExport, host: HostKind | undefined): Promise<void> {
    this.#subscribe();
    const key = `local-${++this.#seq}`;
    this.#add({
      key,
      id: null,
      kind: request.kind,
      fileName: null,
      savedTo: null,
      state: 'starting',
      rowsDone: 0,
      rowsTotal: null,
      error: null,
    });
    // Only what the contract knows: the request store may carry its own bookkeeping fields.
    const result = await crystal.export.start({
      kind: request.kind,
      params: request.params,
      target: targetFor(host),
    } as ExportRequest);
    if (!result.ok) return this.#update(key, { state: 'failed', error: result.error });
    // The agent dismissed the save dialog: nothing to say.
    if (result.value === null) return this.dismiss(key);
    const started = result.value;
    const early = this.#early.get(started.id);
    this.#early.delete(started.id);
    this.#update(key, {
      key: started.id,
      id: started.id,
      fileName: started.fileName,
      savedTo: started.savedTo ?? early?.savedTo ?? null,
      state: early?.state ?? (started.target === 'download' ? 'waiting' : 'running'),
      rowsDone: early?.rowsDone ?? 0,
      rowsTotal: early?.rowsTotal ?? null,
      error: early?.error ?? null,
    });
    if (started.target === 'download') triggerDownload(started);
  }

  async cancel(key: string): Promise<void> {
    const view = this.exports.find((e) => e.key === key);
    if (!view?.id || isFinal(view.state)) return;
    const result = await crystal.export.cancel({ id: view.id });
    // false: it had already finished; its last progress event says how.
    if (!result.ok) this.#update(key, { state: 'failed', error: result.error });
  }

  dismiss(key: string): void {
    this.exports = this.exports.filter((e) => e.key !== key);
  }

  #add(view: ExportView): void {
    const running = this.exports.filter((e) => !isFinal(e.state));
    const finished = this.exports.filter((e) => isFinal(e.state));
    this.exports = [view, ...running, ...finished].slice(
      0,
      Math.max(MAX_SHOWN, running.length + 1),
    );
  }

  #update(key: string, patch: Partial<ExportView>): void {
    this.exports = this.exports.map((e) => (e.key === key ? { ...e, ...patch } : e));
  }

  #progress(progress: ExportProgress): void {
    const view = this.exports.find((e) => e.id === progress.id);
    if (!view) {
      // Not ours yet (the reply is on its way) or another window's: keep the latest few.
      this.#early.set(progress.id, progress);
      if (this.#early.size > MAX_EARLY) this.#early.delete(this.#early.keys().next().value!);
      return;
    }
    if (isFinal(view.state)) return;
    this.#update(view.key, {
      state: progress.state,
      fileName: progress.fileName,
      savedTo: progress.savedTo ?? view.savedTo,
      rowsDone: progress.rowsDone,
      rowsTotal: progress.rowsTotal,
      error: progress.error ?? null,
    });
  }
}

export const exportFlow = new ExportFlow();
