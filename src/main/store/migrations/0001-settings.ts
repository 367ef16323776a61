// App-wide key/value settings (language, theme, ...), stored as JSON text.

import type { Migration } from './index.ts';

export const m0001Settings: Migration = {
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
