// The export module's public surface: the export service (jobs, downloads, headless files) and
// the sources it reads.

export {
  createExportService,
  DOWNLOAD_PATH_PREFIX,
  type ExportDownload,
  type ExportService,
  type ExportServiceDeps,
} from './export-jobs.ts';
export type { ExportSources } from './export-sources.ts';
export { serveExportDownload } from './export-download.ts';
