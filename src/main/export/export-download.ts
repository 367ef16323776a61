// Serves a claimed export download over HTTP for the browser host (GET /export/<id>): CSV headers,
// a Content-Disposition with the file name in any script, and cancel when the client goes away.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportService } from './export-jobs.ts';

/** RFC 6266 / 5987: an ASCII fallback name plus the UTF-8 one. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Answers the request from the export `id` claims; false (nothing sent) when there is no such
 * waiting download, so the host can answer 404 its own way.
 */
export async function serveExportDownload(
  exports: ExportService,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const download = exports.claimDownload(id);
  if (!download) return false;
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': contentDisposition(download.fileName),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  try {
    await download.write(res, gone.signal);
  } catch {
    // Cancelled or failed: the progress event has told the UI; cut the response short.
    res.destroy();
  }
  void req;
  return true;
}
