// The archive module's public surface: the service behind calls.* and usage.*.

export {
  createCallArchiveService,
  type CallArchiveService,
  type CallArchiveServiceDeps,
} from './call-archive-service.ts';
