// Writes a table to a file path without ever leaving half a file behind: the CSV goes to a
// temporary file beside the target and is renamed over it only when complete.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { writeCsv, type CsvProgress } from './csv-writer.ts';
import type { CsvTable } from './export-sources.ts';

export interface WriteFileOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: CsvProgress) => void) | undefined;
}

/** Resolves with the number of data rows written. */
export async function writeTableToFile(
  table: CsvTable,
  path: string,
  options: WriteFileOptions = {},
): Promise<number> {
  const partial = `${path}.${randomBytes(4).toString('hex')}.part`;
  try {
    const rows = await writeCsv({
      header: table.header,
      rows: table.rows,
      rowsTotal: table.rowsTotal,
      out: createWriteStream(partial, { flags: 'wx' }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await rename(partial, path);
    return rows;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
