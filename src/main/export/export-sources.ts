// What the exporters read: the archive's search and call detail, as the calls service answers
// them. A small interface so exports depend on no store internals.

import type {
  CallDetail,
  CallSearchResult,
  ParsedCallSearchQuery,
} from '../../shared/archive-types.ts';
import type { CsvRow } from './csv-writer.ts';

export interface ExportSources {
  /** One page of the archive's search (keyset paging through nextCursor). */
  searchCalls(query: ParsedCallSearchQuery): CallSearchResult | Promise<CallSearchResult>;
  /** A call with its users, issues and metric series; undefined when it is not in the archive. */
  getCall(params: {
    appid?: string | undefined;
    callId: string;
  }): CallDetail | undefined | Promise<CallDetail | undefined>;
}

/** One export, ready to stream: its suggested file name, header, rows and their number. */
export interface CsvTable {
  fileName: string;
  header: readonly string[];
  rowsTotal: number | null;
  rows: AsyncIterable<CsvRow> | Iterable<CsvRow>;
}

/** A name safe on every file system, from an id that may hold anything. */
export function fileNamePart(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return safe === '' ? 'call' : safe;
}
