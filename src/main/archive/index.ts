// The archive module's public surface: the service behind calls.* and usage.byDay, and the one
// behind archive.* (stats, prune).

export {
  createCallArchiveService,
  type CallArchiveService,
  type CallArchiveServiceDeps,
} from './call-archive-service.ts';
export { createArchiveMaintenance, type ArchiveMaintenance } from './archive-maintenance.ts';
