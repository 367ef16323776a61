// Assembles the Electron-free services behind the contract for one data dir: the database,
// the services, the event bus and the dispatcher. Every host (Electron, browser, tests) uses it.

import { join } from 'node:path';
import type { AppInfo, HostKind } from '../../shared/app-types.ts';
import { AppError } from '../../shared/errors.ts';
import { createDispatcher, type Dispatcher } from '../ipc/dispatcher.ts';
import { createEventBus, type EventBus } from '../ipc/event-bus.ts';
import { createSettingsService } from '../settings/settings-service.ts';
import {
  createProfileStore,
  createSettingsStore,
  createSyncWatchStore,
  openDatabase,
  type Db,
} from '../store/index.ts';
import {
  createProfileConnections,
  createProfileService,
  type DemoApi,
  type ProfileConnections,
  type ProfileService,
} from '../profiles/index.ts';
import {
  createKeychainSecretStore,
  createProfileSecrets,
  type SecretStore,
} from '../secrets/index.ts';
import { createArchiveMaintenance, createCallArchiveService } from '../archive/index.ts';
import { createUsageRefresh } from '../usage/index.ts';
import { createSyncService, createSyncWatch } from '../sync/index.ts';
import { createExportService, type ExportService } from '../export/index.ts';
import { createFeedbackOutbox, type FeedbackOutbox } from '../feedback/index.ts';
import { createFeedbackOutboxStore } from '../store/feedback-outbox-store.ts';
import { APP_VERSION } from './app-version.ts';
import { UNREF_TIMERS, type Timers } from './timers.ts';

export interface AppCoreOptions {
  dataDir: string;
  host: HostKind;
  /** e.g. "Electron 45.5.0"; defaults to the Node version. */
  runtime?: string;
  osLocale?: string;
  /** Where profile secrets persist; default the OS keychain (keytar, service crystal-desk). */
  secretStore?: SecretStore;
  /** Unix ms; default Date.now. Drives the quota limiters and API clients. */
  clock?: () => number;
  timers?: Timers;
  fetch?: typeof globalThis.fetch;
  /** Starts the demo API; default the embedded simulator on a random loopback port. */
  startDemo?: () => Promise<DemoApi>;
  /**
   * Asks where to save an export (Electron: dialog.showSaveDialog with this default name);
   * undefined when dismissed. Without it, export.start accepts only target 'download'.
   */
  chooseExportFile?: (suggestedName: string) => Promise<string | undefined>;
}

export interface AppCore {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Db;
  profiles: ProfileService;
  /**
   * API access for other services (sync, feedback): `clients.forActiveProfile()` gives
   * { profile, client, limiter, plan }; `clients.clientForAppid(appid)` a profile's client.
   */
  clients: ProfileConnections;
  /** CSV exports; the browser host serves downloads with serveExportDownload(core.exports, …). */
  exports: ExportService;
  /** The feedback outbox; call nudge() when the network comes back (an online event). */
  feedback: FeedbackOutbox;
  close(): void;
}

export const DATABASE_FILE = 'crystal-desk.sqlite';

export function createAppCore(options: AppCoreOptions): AppCore {
  const db = openDatabase({ file: join(options.dataDir, DATABASE_FILE) });
  const events = createEventBus();
  const settings = createSettingsService({
    store: createSettingsStore(db),
    onChange: (next) => events.emit('settings.changed', next),
  });
  const secrets = createProfileSecrets({
    keychain: options.secretStore ?? createKeychainSecretStore(),
  });
  const profiles = createProfileService({
    store: createProfileStore(db),
    secrets,
    clock: options.clock,
    // Called only after construction, when `connections` and `sync` exist.
    onProfileChanged: (id) => {
      connections.invalidate(id);
      sync.invalidate(id);
      // A watch job stopped with the old engine carries on with the new client and plan.
      watch.refresh(id);
    },
    onChange: (list) => events.emit('profiles.changed', list),
  });
  const connections = createProfileConnections({
    db,
    profiles,
    clock: options.clock,
    timers: options.timers,
    fetch: options.fetch,
    startDemo: options.startDemo,
    onQuotaChange: (state) => events.emit('quota.changed', state),
  });
  const activeAppid = (): string | undefined => profiles.activeRecord()?.appid;
  const connectionOf = (profile: string | undefined) =>
    profile === undefined ? connections.forActiveProfile() : connections.forProfile(profile);
  const watches = createSyncWatchStore(db);
  const sync = createSyncService({
    db,
    connection: connectionOf,
    clock: options.clock,
    timers: options.timers ?? UNREF_TIMERS,
    onProgress: (status) => events.emit('sync.progress', status),
    watches,
    activeProfile: () => profiles.activeRecord()?.id,
    profileForAppid: (appid) => {
      const active = profiles.activeRecord();
      return active?.appid === appid
        ? active.id
        : profiles.listRecords().find((p) => p.appid === appid)?.id;
    },
  });
  const watch = createSyncWatch({
    store: watches,
    sync,
    profileOf: (profile) => {
      const c = connectionOf(profile);
      return { id: c.profile.id, plan: c.plan };
    },
    clock: options.clock,
    timers: options.timers ?? UNREF_TIMERS,
  });
  const archive = createCallArchiveService({
    db,
    activeAppid,
    fetchCall: (appid, callId) => {
      const active = profiles.activeRecord();
      const owner =
        active?.appid === appid ? active : profiles.listRecords().find((p) => p.appid === appid);
      if (owner === undefined) {
        throw new AppError(
          'AUTH_MISSING',
          `No profile uses App ID ${appid}: add one to fetch this call.`,
        );
      }
      return sync.engineFor(owner.id).fetchCall(callId);
    },
  });
  const maintenance = createArchiveMaintenance({ db });
  const usageRefresh = createUsageRefresh({
    db,
    connection: (profile) => {
      const c =
        profile === undefined ? connections.forActiveProfile() : connections.forProfile(profile);
      return { appid: c.profile.appid, client: c.client, limiter: c.limiter, plan: c.plan };
    },
    clock: options.clock,
  });
  const exports = createExportService({
    sources: {
      searchCalls: (query) => archive.search(query),
      getCall: ({ appid, callId }) => archive.get({ appid, callId, series: true, fetch: false }),
    },
    chooseFile: options.chooseExportFile,
    onProgress: (progress) => events.emit('export.progress', progress),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const feedback = createFeedbackOutbox({
    store: createFeedbackOutboxStore(db),
    clientFor: async (profileId) => (await connections.forProfile(profileId)).client,
    activeProfile: () => {
      const active = profiles.activeRecord();
      return active && { id: active.id, appid: active.appid };
    },
    ...(options.clock ? { clock: options.clock } : {}),
    timers: options.timers ?? UNREF_TIMERS,
    onChange: (change) => events.emit('feedback.changed', change),
  });
  // New or changed credentials may be what queued reports wait for.
  events.subscribe((event) => {
    if (event === 'profiles.changed') feedback.nudge();
  });
  const info: AppInfo = {
    name: 'Crystal Desk',
    version: APP_VERSION,
    dataDir: options.dataDir,
    host: options.host,
    platform: process.platform,
    runtime: options.runtime ?? `Node ${process.versions.node}`,
    osLocale: options.osLocale ?? Intl.DateTimeFormat().resolvedOptions().locale,
  };
  const dispatcher = createDispatcher({
    'app.info': () => info,
    'settings.get': () => settings.get(),
    'settings.set': (patch) => settings.set(patch),
    'profiles.list': () => profiles.list(),
    'profiles.create': (input) => profiles.create(input),
    'profiles.update': (patch) => profiles.update(patch),
    'profiles.remove': ({ id }) => profiles.remove(id),
    'profiles.activate': ({ id }) => profiles.activate(id),
    'profiles.setSecret': ({ id, secret, sessionOnly }) =>
      profiles.setSecret(id, secret, sessionOnly),
    'profiles.clearSecret': ({ id }) => profiles.clearSecret(id),
    'profiles.testConnection': ({ id }) => connections.testConnection(id),
    'profiles.createDemo': ({ name }) => profiles.createDemo(name),
    'quota.state': () => connections.quotaState(),
    'calls.search': (query) => archive.search(query),
    'calls.get': (args) => archive.get(args),
    'usage.byDay': (args) => archive.usageByDay(args),
    'usage.refresh': (args) => usageRefresh.refresh(args),
    'archive.stats': (args) => maintenance.stats(args),
    'archive.prune': (args) => maintenance.prune(args),
    'sync.start': (args) => sync.start(args),
    'sync.cancel': ({ jobId }) => sync.cancel(jobId),
    'sync.status': ({ jobId, limit }) => sync.status(jobId, limit),
    'watch.get': ({ profile }) => watch.get(profile),
    'watch.set': (args) => watch.set(args),
    'export.start': (request) => exports.start(request),
    'export.cancel': ({ id }) => exports.cancel(id),
    'feedback.submit': (form) => feedback.submit(form),
    'feedback.list': (query) => feedback.list(query),
    'feedback.resend': ({ id }) => feedback.resend(id),
    'feedback.discard': ({ id }) => feedback.discard(id),
    'feedback.retryNow': () => {
      feedback.nudge();
      return feedback.counts();
    },
  });
  // Jobs left running by a crash or quit, and waiting ones, carry on; so do enabled watches.
  sync.resumeOpen();
  watch.start();
  // Reports left in flight by a crash become unconfirmed; queued ones are sent.
  feedback.start();
  return {
    dispatcher,
    events,
    db,
    profiles,
    clients: connections,
    exports,
    feedback,
    close() {
      void exports.close();
      void feedback.close();
      watch.close();
      sync.close();
      void connections.close();
      db.close();
    },
  };
}
