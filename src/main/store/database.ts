// Opens the app's SQLite file (WAL) and brings its schema up to date with numbered migrations
// applied in order against PRAGMA user_version. Statements live with the store modules that use them.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** File path, or ':memory:' for a throwaway database. */
  file: string;
  readonly?: boolean;
}

export function openDatabase({ file, readonly = false }: OpenDatabaseOptions): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly });
  if (!readonly) {
    try {
      // Before anything is changed (even the journal mode) in a file a newer version wrote.
      refuseNewer(db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }
  return db;
}

function refuseNewer(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new Error(
      `This data file was written by a newer Crystal Desk (schema ${current}, this build knows ${latest}): ` +
        `update Crystal Desk to open it, or use another data folder. The file is left as it is: ${db.name}`,
    );
  }
  return current;
}

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = refuseNewer(db);
  const latest = MIGRATIONS.length;
  for (let version = current + 1; version <= latest; version++) {
    const migration = MIGRATIONS[version - 1];
    if (!migration) break;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return latest;
}
