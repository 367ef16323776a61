// The ordered list of schema migrations; a migration's position (1-based) is its user_version.
// Append only: never edit or reorder a migration that has shipped.

import type Database from 'better-sqlite3';
import { m0001Settings } from './0001-settings.ts';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001Settings];
