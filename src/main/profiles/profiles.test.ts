import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import type { Outcome } from '../../shared/contract.ts';
import type { ConnectionTestResult, Profile } from '../../shared/profile-types.ts';
import type { QuotaState } from '../../shared/quota-types.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import {
  createAppCore,
  DATABASE_FILE,
  type AppCore,
  type AppCoreOptions,
} from '../core/app-core.ts';
import {
  createKeychainSecretStore,
  createMemorySecretStore,
  type KeytarApi,
} from '../secrets/index.ts';
import { requirePrivateKeyring } from '../secrets/keychain-test-gate.ts';
import { startFixedAnswerServer } from '../api/fixed-answer-server.ts';
import { createProfileStore, openDatabase } from '../store/index.ts';

const SECRET = 'Zq7-profile-secret-4d1e9b';
const CUSTOMER = { customerId: 'acme-cust', secret: SECRET };

const unavailableKeytar: KeytarApi = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  findCredentials: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
};

describe('profiles through the contract', () => {
  let dir: string;
  let core: AppCore;
  let sim: SimulatorHandle;
  let events: Array<[string, unknown]>;

  async function start(options: Partial<AppCoreOptions> = {}) {
    core = createAppCore({
      dataDir: dir,
      host: 'test',
      secretStore: createMemorySecretStore(),
      ...options,
    });
    events = [];
    core.events.subscribe((event, payload) => events.push([event, payload]));
  }

  async function call<T>(method: string, args: unknown = {}): Promise<Outcome<T>> {
    return (await core.dispatcher.invoke(method, args)) as Outcome<T>;
  }

  async function value<T>(method: string, args: unknown = {}): Promise<T> {
    const outcome = await call<T>(method, args);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
    return outcome.value;
  }

  const apiProfile = () => ({
    name: 'Acme production',
    appid: sim.appid,
    customerId: CUSTOMER.customerId,
    baseUrl: sim.url,
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-profiles-'));
    sim = await startSimulator({ credentials: CUSTOMER, seed: 'profiles' });
  });
  afterEach(async () => {
    core.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, updates, activates and removes profiles, announcing each change', async () => {
    await start();
    expect(await value('profiles.list')).toEqual([]);
    const first = await value<Profile>('profiles.create', {
      name: 'Acme',
      appid: 'abcdef0123456789abcdef0123456789',
      customerId: 'cust-1',
    });
    expect(first).toMatchObject({
      kind: 'api',
      baseUrl: 'https://api.agora.io',
      plan: 'beta',
      active: true,
      hasSecret: false,
      secretStorage: 'none',
    });
    const second = await value<Profile>('profiles.create', apiProfile());
    expect(second.active).toBe(false);
    const renamed = await value<Profile>('profiles.update', {
      id: second.id,
      name: 'Acme staging',
    });
    expect(renamed.name).toBe('Acme staging');
    await value('profiles.activate', { id: second.id });
    const listed = await value<Profile[]>('profiles.list');
    expect(listed.map((p) => [p.name, p.active])).toEqual([
      ['Acme', false],
      ['Acme staging', true],
    ]);
    expect(await value('profiles.remove', { id: first.id })).toEqual({
      id: first.id,
      removed: true,
    });
    expect((await value<Profile[]>('profiles.list')).map((p) => p.id)).toEqual([second.id]);
    const changes = events.filter(([e]) => e === 'profiles.changed');
    expect(changes).toHaveLength(5);
    expect(changes.at(-1)![1]).toEqual(await value('profiles.list'));
    expect((await call('profiles.activate', { id: 'nope' })).ok).toBe(false);
  });

  it('refuses bad profile input with BAD_INPUT naming the field', async () => {
    await start();
    const cases: Array<[unknown, string]> = [
      [{ ...apiProfile(), appid: 'not an app id!' }, 'appid'],
      [{ ...apiProfile(), baseUrl: 'ftp://api.agora.io' }, 'baseUrl'],
      [{ ...apiProfile(), customerId: 'a:b' }, 'customerId'],
      [{ ...apiProfile(), plan: 'platinum' }, 'plan'],
      [{ ...apiProfile(), secret: SECRET }, ''],
    ];
    for (const [args, field] of cases) {
      const outcome = await call('profiles.create', args);
      expect(outcome.ok ? 'ok' : outcome.error.code, field).toBe('BAD_INPUT');
      if (!outcome.ok && field) expect(outcome.error.details).toEqual({ fields: [field] });
    }
    const outcome = await call('profiles.setSecret', { id: 'x', secret: '' });
    expect(outcome.ok ? 'ok' : outcome.error.details).toEqual({ fields: ['secret'] });
  });

  it('refuses an API base URL holding a user name or password, on create and on update', async () => {
    await start();
    const withCredentials = 'https://acme-cust:Zq7-in-url@api.agora.io';
    const created = await call('profiles.create', { ...apiProfile(), baseUrl: withCredentials });
    expect(created.ok ? 'ok' : created.error).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/must not contain a user name or password/),
      details: { fields: ['baseUrl'] },
    });
    expect(JSON.stringify(created)).not.toContain('Zq7-in-url');
    const profile = await value<Profile>('profiles.create', apiProfile());
    const updated = await call('profiles.update', { id: profile.id, baseUrl: withCredentials });
    expect(updated.ok ? 'ok' : updated.error.details).toEqual({ fields: ['baseUrl'] });
    expect((await value<Profile[]>('profiles.list'))[0]!.baseUrl).toBe(sim.url);
  });

  it('never shows the credentials of a base URL stored before they were refused', async () => {
    const db = openDatabase({ file: ':memory:' });
    try {
      const store = createProfileStore(db);
      store.insert({
        id: 'old',
        name: 'Stored long ago',
        kind: 'api',
        appid: sim.appid,
        customerId: CUSTOMER.customerId,
        baseUrl: 'https://acme-cust:Zq7-in-url@api.agora.io/prefix',
        plan: 'beta',
        active: true,
        createdAt: 1,
        updatedAt: 1,
      });
      expect(store.get('old')?.baseUrl).toBe('https://api.agora.io/prefix');
      expect(JSON.stringify(store.list())).not.toContain('Zq7-in-url');
    } finally {
      db.close();
    }
  });

  it('tests the connection with one cheap request and reports the outcome in plain words', async () => {
    // The app and the simulator share one still clock, so "the last minute" is the same for both,
    // set to a moment whose last minute holds calls (so the count below says something).
    let now = Math.floor(Date.now() / 1000) * 1000;
    await sim.close();
    sim = await startSimulator({ credentials: CUSTOMER, seed: 'profiles', clock: () => now });
    const callsInLastMinute = () => sim.truth({ startTs: now / 1000 - 60, endTs: now / 1000 });
    for (let back = 0; back < 24 * 60 && callsInLastMinute().length === 0; back++) now -= 60_000;
    expect(callsInLastMinute().length).toBeGreaterThan(0);
    await start({ clock: () => now });
    const none = await value<ConnectionTestResult>('profiles.testConnection');
    expect(none).toMatchObject({ ok: false, error: { code: 'AUTH_MISSING' } });

    const profile = await value<Profile>('profiles.create', apiProfile());
    const missing = await value<ConnectionTestResult>('profiles.testConnection');
    expect(missing).toMatchObject({
      ok: false,
      message: 'No Customer ID and Customer Certificate are set for this profile.',
      error: { code: 'AUTH_MISSING' },
    });

    await value('profiles.setSecret', { id: profile.id, secret: 'wrong-secret' });
    const rejected = await value<ConnectionTestResult>('profiles.testConnection', {
      id: profile.id,
    });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'AUTH_REJECTED' } });
    expect(rejected.message).toMatch(/rejected/);

    await value('profiles.setSecret', { id: profile.id, secret: SECRET });
    const ok = await value<ConnectionTestResult>('profiles.testConnection');
    expect(ok.ok).toBe(true);
    const listed = Math.min(callsInLastMinute().length, BETA_PLAN.maxCallsPerList);
    expect(ok.callsFound).toBe(listed);
    expect(ok.message).toMatch(
      new RegExp(`^Connected: the API answered in \\d+ ms and lists ${listed}\\b`),
    );
    expect(sim.stats().endpoints.callLists.accepted).toBe(1);

    const quota = await value<QuotaState>('quota.state');
    expect(quota.customerId).toBe(CUSTOMER.customerId);
    expect(quota.endpoints.callLists).toMatchObject({ used: 2, limit: 1000, remaining: 998 });
    expect(events.some(([e]) => e === 'quota.changed')).toBe(true);
  });

  it('words an out-of-range, cancelled or unexpected failure of the connection test plainly', async () => {
    const outOfRange = await startFixedAnswerServer({
      status: 400,
      body: '{"code":400,"message":"start_ts is out of range"}',
    });
    const silent = await startFixedAnswerServer({ hold: true });
    try {
      // A secret store that breaks in a way nobody planned for (not a keychain AppError).
      const secretStore = createMemorySecretStore();
      const broken = { ...secretStore, get: () => Promise.reject(new RangeError('bug')) };
      await start({ secretStore: broken });
      const profile = await value<Profile>('profiles.create', {
        ...apiProfile(),
        baseUrl: outOfRange.url,
      });
      await value('profiles.setSecret', { id: profile.id, secret: SECRET });
      expect(await value<ConnectionTestResult>('profiles.testConnection')).toMatchObject({
        ok: false,
        message: expect.stringMatching(/date and time/),
        error: { code: 'OUT_OF_RANGE' },
      });

      core.close();
      await start({ secretStore: broken });
      expect(await value<ConnectionTestResult>('profiles.testConnection')).toMatchObject({
        ok: false,
        message: expect.stringMatching(/unexpected problem/),
        error: { code: 'INTERNAL' },
      });

      await value('profiles.setSecret', { id: profile.id, secret: SECRET, sessionOnly: true });
      await value('profiles.update', { id: profile.id, baseUrl: silent.url });
      const testing = value<ConnectionTestResult>('profiles.testConnection');
      await vi.waitFor(() => expect(silent.requests()).toBe(1));
      await core.clients.close();
      expect(await testing).toMatchObject({
        ok: false,
        message: 'The connection test was cancelled.',
        error: { code: 'CANCELLED' },
      });
    } finally {
      await outOfRange.close();
      await silent.close();
    }
  });

  it('gives other services the active profile client, limiter and plan', async () => {
    await start();
    expect(() => core.clients.forActiveProfile()).toThrow(/No profile is active/);
    const profile = await value<Profile>('profiles.create', apiProfile());
    await value('profiles.setSecret', { id: profile.id, secret: SECRET });
    const connection = core.clients.forActiveProfile();
    expect(connection.profile.id).toBe(profile.id);
    expect(connection.plan.name).toBe('beta');
    const now = Math.floor(Date.now() / 1000);
    const list = await connection.client.listCalls(
      { startTs: now - 600, endTs: now },
      { priority: 'background' },
    );
    expect(list.code).toBe(200);
    expect(connection.limiter.state().endpoints.callLists.used).toBe(1);
    expect(core.clients.clientForAppid(sim.appid)).toBe(connection.client);
    expect(core.clients.clientForAppid('unknownappid')).toBeUndefined();
  });

  it("announces quota changes of the active profile's account only", async () => {
    await start();
    const active = await value<Profile>('profiles.create', apiProfile());
    await value('profiles.setSecret', { id: active.id, secret: SECRET });
    const other = await value<Profile>('profiles.create', {
      ...apiProfile(),
      name: 'Other account',
      customerId: 'other-cust',
    });
    await value('profiles.setSecret', { id: other.id, secret: 'other-secret' });
    const now = Math.floor(Date.now() / 1000);
    const range = { startTs: now - 600, endTs: now };
    const announced = () =>
      events
        .filter(([e]) => e === 'quota.changed')
        .map(([, state]) => (state as QuotaState).customerId);
    const settled = () => new Promise((resolve) => setImmediate(resolve));

    // The simulator knows only the active account: the other one is refused, but still counted.
    await core.clients
      .forProfile(other.id)
      .client.listCalls(range)
      .catch(() => undefined);
    await settled();
    expect(core.clients.forProfile(other.id).limiter.state().endpoints.callLists.used).toBe(1);
    expect(announced()).toEqual([]);

    await core.clients.forProfile(active.id).client.listCalls(range);
    await settled();
    expect(new Set(announced())).toEqual(new Set([CUSTOMER.customerId]));

    await value('profiles.activate', { id: other.id });
    events.length = 0;
    await core.clients
      .forProfile(other.id)
      .client.listCalls({ ...range, cname: 'class-1' })
      .catch(() => undefined);
    await core.clients.forProfile(active.id).client.listCalls({ ...range, cname: 'class-1' });
    await settled();
    expect(new Set(announced())).toEqual(new Set(['other-cust']));
  });

  it('gives two profiles of the same Customer ID one limiter and one daily quota', async () => {
    await start();
    const first = await value<Profile>('profiles.create', apiProfile());
    const second = await value<Profile>('profiles.create', {
      ...apiProfile(),
      name: 'Acme, second app',
      appid: 'f'.repeat(32),
    });
    for (const p of [first, second]) {
      await value('profiles.setSecret', { id: p.id, secret: SECRET });
    }
    const a = core.clients.forProfile(first.id);
    const b = core.clients.forProfile(second.id);
    expect(a.client).not.toBe(b.client);
    expect(a.limiter).toBe(b.limiter);
    const now = Math.floor(Date.now() / 1000);
    await a.client.listCalls({ startTs: now - 600, endTs: now });
    // The simulator does not know the second App ID; the request is refused but still spent.
    await b.client.listCalls({ startTs: now - 600, endTs: now }).catch(() => undefined);
    expect(b.limiter.state().endpoints.callLists.used).toBe(2);
    expect(sim.stats().endpoints.callLists.accepted).toBe(1);
  });

  it('syncs through the new address after the profile is edited', async () => {
    await start();
    const moved = await startSimulator({ credentials: CUSTOMER, seed: 'profiles' });
    try {
      const profile = await value<Profile>('profiles.create', apiProfile());
      await value('profiles.setSecret', { id: profile.id, secret: SECRET });
      const now = Math.floor(Date.now() / 1000);
      const range = { fromTs: now - 300, toTs: now - 60, maxDetailsRequests: 0 };
      await value('sync.start', range);
      await vi.waitFor(() => expect(sim.stats().endpoints.callLists.accepted).toBeGreaterThan(0), {
        timeout: 10_000,
      });

      await value('profiles.update', { id: profile.id, baseUrl: moved.url });
      // A new range, so the job must list (a resumed one may have nothing left to list).
      await value('sync.start', { ...range, fromTs: now - 600, toTs: now - 301 });
      await vi.waitFor(
        () => expect(moved.stats().endpoints.callLists.accepted).toBeGreaterThan(0),
        { timeout: 10_000 },
      );
    } finally {
      await moved.close();
    }
  });

  it('offers a session-only secret when the keychain is unavailable', async () => {
    await start({ secretStore: createKeychainSecretStore({ keytar: unavailableKeytar }) });
    const profile = await value<Profile>('profiles.create', apiProfile());
    expect(profile.secretStorage).toBe('none');
    expect(await value<ConnectionTestResult>('profiles.testConnection')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/session only/),
      error: { code: 'KEYCHAIN_UNAVAILABLE', details: { delivery: 'not_sent' } },
    });
    const refused = await call('profiles.setSecret', { id: profile.id, secret: SECRET });
    expect(refused.ok ? 'ok' : refused.error).toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      details: { sessionOnlyAvailable: true },
    });
    const kept = await value('profiles.setSecret', {
      id: profile.id,
      secret: SECRET,
      sessionOnly: true,
    });
    expect(kept).toEqual({ id: profile.id, hasSecret: true, secretStorage: 'session' });
    expect((await value<ConnectionTestResult>('profiles.testConnection')).ok).toBe(true);
    // A restart forgets it: the next session must ask again.
    core.close();
    await start({ secretStore: createKeychainSecretStore({ keytar: unavailableKeytar }) });
    expect((await value<Profile[]>('profiles.list'))[0]).toMatchObject({
      hasSecret: false,
      secretStorage: 'none',
    });
  });

  it('removes a profile whose secret the keychain cannot delete, and says the secret was left behind', async () => {
    // A keychain that stores and reads but fails to delete (locked again, or gone away).
    const entries = new Map<string, string>();
    const stuckKeytar: KeytarApi = {
      getPassword: async (_service, account) => entries.get(account) ?? null,
      setPassword: async (_service, account, password) => void entries.set(account, password),
      deletePassword: () =>
        Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      findCredentials: async () =>
        [...entries].map(([account, password]) => ({ account, password })),
    };
    await start({ secretStore: createKeychainSecretStore({ keytar: stuckKeytar }) });
    const kept = await value<Profile>('profiles.create', apiProfile());
    await value('profiles.setSecret', { id: kept.id, secret: SECRET });
    const removal = await value('profiles.remove', { id: kept.id });
    expect(removal).toEqual({
      id: kept.id,
      removed: true,
      secretLeftBehind: expect.objectContaining({ code: 'KEYCHAIN_UNAVAILABLE' }),
    });
    expect(JSON.stringify(removal)).not.toContain(SECRET);
    expect(entries.get(kept.id)).toBe(SECRET);
    expect(await value('profiles.list')).toEqual([]);

    // A secret kept for this session only is gone with the profile: nothing is left behind.
    const session = await value<Profile>('profiles.create', apiProfile());
    await value('profiles.setSecret', { id: session.id, secret: SECRET, sessionOnly: true });
    expect(await value('profiles.remove', { id: session.id })).toEqual({
      id: session.id,
      removed: true,
    });
  });

  it('uses demo data with zero setup: the simulator starts on first use', async () => {
    await start();
    const demo = await value<Profile>('profiles.createDemo');
    expect(demo).toMatchObject({
      kind: 'demo',
      name: 'Demo data',
      active: true,
      baseUrl: null,
      hasSecret: true,
      secretStorage: 'builtin',
    });
    expect((await value<Profile>('profiles.createDemo')).id).toBe(demo.id);
    const result = await value<ConnectionTestResult>('profiles.testConnection');
    expect(result.ok).toBe(true);
    expect((await call('profiles.setSecret', { id: demo.id, secret: 'x' })).ok).toBe(false);
    expect((await value<QuotaState>('quota.state')).customerId).toBe('demo:demo-customer');
  });

  it('never lets the secret reach an IPC result, an event, a log line or the SQLite files', async (context) => {
    requirePrivateKeyring(context);
    const logged: string[] = [];
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const spies = [
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(console, 'info').mockImplementation(capture),
      vi.spyOn(console, 'warn').mockImplementation(capture),
      vi.spyOn(console, 'error').mockImplementation(capture),
      vi.spyOn(console, 'debug').mockImplementation(capture),
    ];
    const writes = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        logged.push(String(chunk));
        return true;
      }),
    );
    const outcomes: unknown[] = [];
    const keychainIds: string[] = [];
    try {
      // The real Secret Service (gnome-keyring under dbus-run-session in npm test).
      await start({ secretStore: createKeychainSecretStore() });
      const record = async (method: string, args: unknown = {}) => {
        const outcome = await core.dispatcher.invoke(method, args);
        outcomes.push(outcome);
        return outcome as Outcome<unknown>;
      };
      const created = (await record('profiles.create', apiProfile())) as Outcome<Profile>;
      if (!created.ok) throw new Error(created.error.message);
      const id = created.value.id;
      keychainIds.push(id);
      await record('profiles.setSecret', { id, secret: SECRET });
      await record('profiles.list');
      await record('profiles.testConnection', { id });
      await record('profiles.update', { id, name: 'Renamed' });
      await record('profiles.setSecret', { id, secret: `${SECRET}-bad` });
      await record('profiles.testConnection', { id }); // AUTH_REJECTED, with the API's message
      await record('profiles.setSecret', { id, secret: SECRET });
      await record('profiles.setSecret', { id: 'unknown', secret: SECRET });
      await record('profiles.create', { ...apiProfile(), secret: SECRET }); // refused field
      await record('quota.state');
      await record('profiles.clearSecret', { id });
      await record('profiles.setSecret', { id, secret: SECRET });
      await record('profiles.list');

      const basic = Buffer.from(`${CUSTOMER.customerId}:${SECRET}`).toString('base64');
      const texts = [
        ...outcomes.map((o) => JSON.stringify(o)),
        ...events.map((e) => JSON.stringify(e)),
        ...logged,
      ];
      for (const text of texts) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(basic);
      }
      // The database, its WAL and shared memory, while open and after closing.
      const files = () =>
        [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]
          .map((f) => join(dir, f))
          .filter((f) => existsSync(f));
      const scan = () => {
        for (const file of files()) {
          const bytes = readFileSync(file);
          expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
          expect(bytes.includes(Buffer.from(basic)), file).toBe(false);
        }
      };
      expect(files().some((f) => f.endsWith('-wal'))).toBe(true);
      scan();
      core.close();
      scan();
      await start({ secretStore: createKeychainSecretStore() });
      // ...yet it is in the keychain, so a restart can use it.
      const reopened = (await core.dispatcher.invoke('profiles.testConnection', {
        id,
      })) as Outcome<ConnectionTestResult>;
      expect(reopened.ok && reopened.value.ok).toBe(true);
    } finally {
      for (const spy of [...spies, ...writes]) spy.mockRestore();
      const keychain = createKeychainSecretStore();
      for (const id of keychainIds) await keychain.delete(id);
    }
  });
});
