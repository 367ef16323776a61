// Profiles: create, edit, remove, activate, and their secrets (set/clear, reported only as
// "is one set, and where"). Turning a profile into a working API client is profile-connections.ts.

import { randomUUID } from 'node:crypto';
import { AppError, toErrorData, type ErrorData } from '../../shared/errors.ts';
import {
  DEFAULT_PLAN,
  DEMO_PROFILE_NAME,
  type Profile,
  type ProfileCreate,
  type ProfileRemoval,
  type ProfileUpdate,
  type SecretStatus,
  type SecretStorage,
} from '../../shared/profile-types.ts';
import { DEFAULT_APPID, DEFAULT_CREDENTIALS } from '../../simulator/simulator-options.ts';
import type { ProfileSecrets } from '../secrets/index.ts';
import type { ProfileRecord, ProfileStore } from '../store/index.ts';

export interface ProfileServiceDeps {
  store: ProfileStore;
  secrets: ProfileSecrets;
  clock?: () => number;
  newId?: () => string;
  /** After any change: the full list (for the profiles.changed event). */
  onChange?: (profiles: Profile[]) => void;
  /** After a profile changed or was removed (drop cached clients). */
  onProfileChanged?: (id: string) => void;
}

export interface ProfileService {
  list(): Promise<Profile[]>;
  get(id: string): Promise<Profile>;
  /** The stored record (without secret status), or NOT_FOUND. */
  record(id: string): ProfileRecord;
  activeRecord(): ProfileRecord | undefined;
  listRecords(): ProfileRecord[];
  create(input: ProfileCreate): Promise<Profile>;
  update(patch: ProfileUpdate): Promise<Profile>;
  /**
   * Removes the profile and its secret. A keychain that cannot delete the secret does not keep
   * the profile: the result says so (secretLeftBehind) for the UI to tell the user.
   */
  remove(id: string): Promise<ProfileRemoval>;
  activate(id: string): Promise<Profile>;
  setSecret(id: string, secret: string, sessionOnly: boolean): Promise<SecretStatus>;
  clearSecret(id: string): Promise<SecretStatus>;
  /** The demo profile (created once), made active. */
  createDemo(name?: string): Promise<Profile>;
  /** The secret of an API profile (never for the renderer). Demo profiles have none stored. */
  secretOf(id: string): Promise<string | null>;
}

export function createProfileService(deps: ProfileServiceDeps): ProfileService {
  const { store, secrets } = deps;
  const clock = deps.clock ?? Date.now;
  const newId = deps.newId ?? randomUUID;

  function record(id: string): ProfileRecord {
    const found = store.get(id);
    if (found === undefined) throw new AppError('NOT_FOUND', `No profile with id ${id}.`);
    return found;
  }

  async function storages(records: readonly ProfileRecord[]): Promise<Map<string, SecretStorage>> {
    const apiIds = records.filter((r) => r.kind === 'api').map((r) => r.id);
    const map = apiIds.length > 0 ? await secrets.storageOf(apiIds) : new Map();
    for (const r of records) if (r.kind === 'demo') map.set(r.id, 'builtin');
    return map;
  }

  function toProfile(r: ProfileRecord, storage: SecretStorage): Profile {
    return { ...r, hasSecret: storage !== 'none', secretStorage: storage };
  }

  async function get(id: string): Promise<Profile> {
    const r = record(id);
    return toProfile(r, (await storages([r])).get(id) ?? 'none');
  }

  async function list(): Promise<Profile[]> {
    const records = store.list();
    const map = await storages(records);
    return records.map((r) => toProfile(r, map.get(r.id) ?? 'none'));
  }

  async function changed(id: string): Promise<void> {
    deps.onProfileChanged?.(id);
    if (deps.onChange) deps.onChange(await list());
  }

  function notDemo(r: ProfileRecord, what: string): void {
    if (r.kind === 'demo') {
      throw new AppError('BAD_INPUT', `The demo profile has built-in ${what}.`, {
        details: { fields: ['id'] },
      });
    }
  }

  async function secretStatus(id: string): Promise<SecretStatus> {
    const p = await get(id);
    return { id, hasSecret: p.hasSecret, secretStorage: p.secretStorage };
  }

  return {
    list,
    get,
    record,
    activeRecord: () => store.active(),
    listRecords: () => store.list(),
    async create(input) {
      const now = clock();
      const id = newId();
      const activate = input.activate ?? store.active() === undefined;
      store.insert({
        id,
        name: input.name,
        kind: 'api',
        appid: input.appid,
        customerId: input.customerId,
        baseUrl: input.baseUrl,
        plan: input.plan,
        active: false,
        createdAt: now,
        updatedAt: now,
      });
      if (activate) store.activate(id);
      await changed(id);
      return get(id);
    },
    async update(patch) {
      const current = record(patch.id);
      const { id, ...fields } = patch;
      if (current.kind === 'demo') {
        const { name, ...rest } = fields;
        if (Object.values(rest).some((v) => v !== undefined)) {
          notDemo(current, 'connection settings; only its name can change');
        }
        store.update(id, { name }, clock());
      } else {
        store.update(id, fields, clock());
      }
      await changed(id);
      return get(id);
    },
    async remove(id) {
      const current = record(id);
      let secretLeftBehind: ErrorData | undefined;
      if (current.kind === 'api') {
        await secrets.clear(id).catch((error: unknown) => {
          secretLeftBehind = toErrorData(error);
        });
      }
      const removed = store.remove(id);
      await changed(id);
      return secretLeftBehind === undefined ? { id, removed } : { id, removed, secretLeftBehind };
    },
    async activate(id) {
      record(id);
      store.activate(id);
      await changed(id);
      return get(id);
    },
    async setSecret(id, secret, sessionOnly) {
      notDemo(record(id), 'credentials');
      await secrets.set(id, secret, sessionOnly);
      await changed(id);
      return secretStatus(id);
    },
    async clearSecret(id) {
      notDemo(record(id), 'credentials');
      await secrets.clear(id);
      await changed(id);
      return secretStatus(id);
    },
    async createDemo(name) {
      let demo = store.list().find((r) => r.kind === 'demo');
      if (demo === undefined) {
        const now = clock();
        demo = {
          id: newId(),
          name: name ?? DEMO_PROFILE_NAME,
          kind: 'demo',
          appid: DEFAULT_APPID,
          customerId: DEFAULT_CREDENTIALS.customerId,
          baseUrl: null,
          plan: DEFAULT_PLAN,
          active: false,
          createdAt: now,
          updatedAt: now,
        };
        store.insert(demo);
      } else if (name !== undefined) {
        store.update(demo.id, { name }, clock());
      }
      store.activate(demo.id);
      await changed(demo.id);
      return get(demo.id);
    },
    async secretOf(id) {
      const r = record(id);
      if (r.kind === 'demo') return null;
      return secrets.get(id);
    },
  };
}
