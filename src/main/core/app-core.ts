// Assembles the Electron-free services behind the contract for one data dir: the database,
// the services, the event bus and the dispatcher. Every host (Electron, browser, tests) uses it.

import { join } from 'node:path';
import type { AppInfo, HostKind } from '../../shared/app-types.ts';
import { createDispatcher, type Dispatcher } from '../ipc/dispatcher.ts';
import { createEventBus, type EventBus } from '../ipc/event-bus.ts';
import { createSettingsService } from '../settings/settings-service.ts';
import { createSettingsStore, openDatabase, type Db } from '../store/index.ts';
import { APP_VERSION } from './app-version.ts';

export interface AppCoreOptions {
  dataDir: string;
  host: HostKind;
  /** e.g. "Electron 45.5.0"; defaults to the Node version. */
  runtime?: string;
  osLocale?: string;
}

export interface AppCore {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Db;
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
  });
  return {
    dispatcher,
    events,
    db,
    close() {
      db.close();
    },
  };
}
