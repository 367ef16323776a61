// Persists API profiles in the profiles table (exactly one may be active). Validation, secrets
// and change events belong to the profiles service.

import type { Profile } from '../../shared/profile-types.ts';
import type { Db } from './database.ts';

/** A profile as stored: what the renderer sees but the secret's status (kept in the keychain). */
export type ProfileRecord = Omit<Profile, 'hasSecret' | 'secretStorage'>;

export type ProfileFields = Pick<
  ProfileRecord,
  'name' | 'appid' | 'customerId' | 'baseUrl' | 'plan'
>;

export interface ProfileStore {
  list(): ProfileRecord[];
  get(id: string): ProfileRecord | undefined;
  active(): ProfileRecord | undefined;
  insert(record: ProfileRecord): void;
  update(id: string, fields: Partial<ProfileFields>, updatedAt: number): boolean;
  remove(id: string): boolean;
  /** Makes `id` the only active profile; false when it does not exist. */
  activate(id: string): boolean;
}

interface Row {
  id: string;
  name: string;
  kind: string;
  appid: string;
  customer_id: string;
  base_url: string | null;
  plan: string;
  active: number;
  created_at: number;
  updated_at: number;
}

/**
 * Profiles refuse a base URL with `user:password@` (it may hold a secret, and fetch refuses it
 * anyway); one stored before they did is read without it, so it never reaches the renderer.
 */
function withoutCredentials(baseUrl: string | null): string | null {
  if (baseUrl === null) return null;
  try {
    const url = new URL(baseUrl);
    if (url.username === '' && url.password === '') return baseUrl;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return baseUrl;
  }
}

const toRecord = (row: Row): ProfileRecord => ({
  id: row.id,
  name: row.name,
  kind: row.kind === 'demo' ? 'demo' : 'api',
  appid: row.appid,
  customerId: row.customer_id,
  baseUrl: withoutCredentials(row.base_url),
  plan: row.plan,
  active: row.active === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const COLUMNS: Record<keyof ProfileFields, string> = {
  name: 'name',
  appid: 'appid',
  customerId: 'customer_id',
  baseUrl: 'base_url',
  plan: 'plan',
};

export function createProfileStore(db: Db): ProfileStore {
  const selectAll = db.prepare<[], Row>('SELECT * FROM profiles ORDER BY created_at, id');
  const selectOne = db.prepare<[string], Row>('SELECT * FROM profiles WHERE id = ?');
  const selectActive = db.prepare<[], Row>('SELECT * FROM profiles WHERE active = 1');
  const insert = db.prepare(
    `INSERT INTO profiles (id, name, kind, appid, customer_id, base_url, plan, active, created_at, updated_at)
     VALUES (@id, @name, @kind, @appid, @customerId, @baseUrl, @plan, @active, @createdAt, @updatedAt)`,
  );
  const updates = new Map(
    (Object.keys(COLUMNS) as Array<keyof ProfileFields>).map((key) => [
      key,
      db.prepare<[unknown, string]>(`UPDATE profiles SET ${COLUMNS[key]} = ? WHERE id = ?`),
    ]),
  );
  const touch = db.prepare<[number, string]>('UPDATE profiles SET updated_at = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM profiles WHERE id = ?');
  const deactivateAll = db.prepare('UPDATE profiles SET active = 0 WHERE active = 1');
  const activate = db.prepare<[string]>('UPDATE profiles SET active = 1 WHERE id = ?');

  const updateTx = db.transaction(
    (id: string, fields: Partial<ProfileFields>, updatedAt: number): boolean => {
      if (selectOne.get(id) === undefined) return false;
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) updates.get(key as keyof ProfileFields)?.run(value, id);
      }
      touch.run(updatedAt, id);
      return true;
    },
  );
  const activateTx = db.transaction((id: string): boolean => {
    if (selectOne.get(id) === undefined) return false;
    deactivateAll.run();
    activate.run(id);
    return true;
  });

  return {
    list: () => selectAll.all().map(toRecord),
    get(id) {
      const row = selectOne.get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    active() {
      const row = selectActive.get();
      return row === undefined ? undefined : toRecord(row);
    },
    insert(record) {
      insert.run({ ...record, active: record.active ? 1 : 0 });
    },
    update: (id, fields, updatedAt) => updateTx(id, fields, updatedAt),
    remove: (id) => remove.run(id).changes > 0,
    activate: (id) => activateTx(id),
  };
}
