// Persists app settings in the settings table; validation and defaults belong to the settings service.

import type { Db } from './database.ts';

export interface SettingsStore {
  readAll(): Record<string, unknown>;
  write(values: Record<string, unknown>): void;
}

export function createSettingsStore(db: Db): SettingsStore {
  const selectAll = db.prepare<[], { key: string; value: string }>(
    'SELECT key, value FROM settings',
  );
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const writeAll = db.transaction((values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value));
  });
  return {
    readAll() {
      const out: Record<string, unknown> = {};
      for (const row of selectAll.all()) {
        try {
          out[row.key] = JSON.parse(row.value);
        } catch {
          // A corrupt value falls back to the default rather than breaking start-up.
        }
      }
      return out;
    },
    write(values) {
      writeAll(values);
    },
  };
}
