// The store module's public surface: opening the database and the per-table stores.

export { openDatabase, migrate, type Db } from './database.ts';
export { createSettingsStore, type SettingsStore } from './settings-store.ts';
