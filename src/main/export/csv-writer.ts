// Streams rows to a writable as RFC 4180 CSV (csv-stringify): UTF-8 with a BOM, CRLF line ends,
// quoting where needed, text cells neutralised against formulas, with backpressure, progress and
// cancellation. What the rows hold is the business of the kind-specific modules.

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { AppError } from '../../shared/errors.ts';
import { neutraliseCell } from './formula-neutraliser.ts';

/** Text is neutralised; numbers stay numbers; null and undefined are empty cells. */
export type CsvCell = string | number | boolean | null | undefined;
export type CsvRow = readonly CsvCell[];

export interface CsvProgress {
  rowsDone: number;
  rowsTotal: number | null;
}

export interface WriteCsvOptions {
  header: readonly string[];
  rows: AsyncIterable<CsvRow> | Iterable<CsvRow>;
  out: Writable;
  rowsTotal?: number | null;
  signal?: AbortSignal;
  /** Called at the start, every ~0.5 % of the rows (or 1000 when the total is unknown), and at the end. */
  onProgress?: (progress: CsvProgress) => void;
}

export function progressStep(rowsTotal: number | null): number {
  return rowsTotal === null ? 1000 : Math.max(1, Math.ceil(rowsTotal / 200));
}

/** Resolves with the number of data rows written; rejects with AppError CANCELLED on abort. */
export async function writeCsv(options: WriteCsvOptions): Promise<number> {
  const { header, rows, out, signal, onProgress } = options;
  const rowsTotal = options.rowsTotal ?? null;
  const step = progressStep(rowsTotal);
  let rowsDone = 0;

  async function* records(): AsyncGenerator<CsvRow> {
    yield header;
    onProgress?.({ rowsDone, rowsTotal });
    let sinceReport = 0;
    for await (const row of rows) {
      signal?.throwIfAborted();
      yield row;
      rowsDone++;
      if (++sinceReport >= step) {
        sinceReport = 0;
        onProgress?.({ rowsDone, rowsTotal });
      }
    }
  }

  const stringifier = stringify({
    bom: true,
    record_delimiter: 'windows',
    cast: {
      string: (value) => neutraliseCell(value),
      number: (value) => (Number.isFinite(value) ? String(value) : ''),
      boolean: (value) => (value ? 'true' : 'false'),
    },
  });

  try {
    await pipeline(Readable.from(records()), stringifier, out, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted)
      throw new AppError('CANCELLED', 'The export was cancelled.', { cause: error });
    throw error;
  }
  onProgress?.({ rowsDone, rowsTotal });
  return rowsDone;
}
