import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallUser, QualityIssue } from '../../shared/archive-types.ts';
import { CallSearchSchema, type CallSearchQuery } from '../../shared/archive-types.ts';
import { createCallArchiveStore } from './call-archive-store.ts';
import { createCallSearch } from './call-search.ts';
import { openDatabase, type Db } from './database.ts';

const APP = 'app1';
const T0 = 1_790_000_000;

function user(sid: string, uid: number, platform: string): CallUser {
  return {
    sid,
    uid,
    network: 'Wi-Fi',
    platform,
    speaker: true,
    sdkVersion: '4.0',
    deviceType: 'x',
    joinTs: T0,
    leaveTs: T0 + 60,
    finished: true,
  };
}

const issue: QualityIssue = {
  kind: 'highCpu',
  sid: 's1',
  uid: 42,
  peerUid: 0,
  mid: 20002,
  side: 'device',
  fromTs: T0 + 10,
  toTs: T0 + 30,
  peak: 97,
};

describe('call search', () => {
  let dir: string;
  let db: Db;
  const ids = (q: CallSearchQuery) =>
    createCallSearch(db)
      .search(CallSearchSchema.parse({ appid: APP, ...q }))
      .calls.map((c) => c.callId);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-search-'));
    db = openDatabase({ file: join(dir, 'a.sqlite') });
    const store = createCallArchiveStore(db);
    store.recordListed(
      APP,
      [
        {
          call_id: 'c1',
          cname: '数学课-三年级二班',
          created_ts: T0,
          destroyed_ts: T0 + 600,
          finished: true,
        },
        {
          call_id: 'c2',
          cname: 'room-1234-5',
          created_ts: T0 + 100,
          destroyed_ts: T0 + 700,
          finished: true,
        },
        {
          call_id: 'c3',
          cname: 'Room-9999',
          created_ts: T0 + 200,
          destroyed_ts: 0,
          finished: false,
        },
        {
          call_id: 'c4',
          cname: 'english_g3',
          created_ts: T0 + 300,
          destroyed_ts: T0 + 900,
          finished: true,
        },
      ],
      1,
    );
    store.recordListed(
      'other',
      [{ call_id: 'x1', cname: 'room-1234-5', created_ts: T0, destroyed_ts: 1, finished: true }],
      1,
    );
    store.writeDetails({
      appid: APP,
      callId: 'c2',
      fromTs: T0 + 100,
      toTs: T0 + 700,
      users: [user('s1', 42, 'iOS'), user('s2', 630985881, 'Android')],
      series: [],
      archive: 'full',
      notes: [],
      detect: () => [issue],
      nowMs: 2,
    });
    store.writeDetails({
      appid: APP,
      callId: 'c4',
      fromTs: T0 + 300,
      toTs: T0 + 900,
      users: [user('s9', 7, 'Windows')],
      series: [],
      archive: 'full',
      notes: [],
      detect: () => [],
      nowMs: 2,
    });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds channel names by a substring of any length, CJK included', () => {
    expect(ids({ query: '三年级' })).toEqual(['c1']);
    expect(ids({ query: '数学' })).toEqual(['c1']);
    // One or two characters anywhere in the name, too short for the trigram index.
    expect(ids({ query: '三年' })).toEqual(['c1']);
    expect(ids({ query: '班' })).toEqual(['c1']);
    expect(ids({ query: 'g3' })).toEqual(['c4']);
    expect(ids({ query: 'RO' })).toEqual(['c3', 'c2']);
    // LIKE's wildcards in the text are plain characters.
    expect(ids({ query: '_' })).toEqual(['c4']);
    expect(ids({ query: '%' })).toEqual([]);
    expect(ids({ query: 'room' })).toEqual(['c3', 'c2']);
    expect(ids({ query: '1234' })).toEqual(['c2']);
  });

  it('finds calls by call id and by uid', () => {
    expect(ids({ query: 'c4' })).toEqual(['c4']);
    expect(ids({ query: '630985881' })).toEqual(['c2']);
    expect(ids({ query: '42' })).toEqual(['c2']);
  });

  it('treats FTS operators in the text as plain text', () => {
    expect(ids({ query: 'room" OR "x' })).toEqual([]);
    expect(ids({ query: 'NEAR(a b)' })).toEqual([]);
  });

  it('filters by time range, finished, platform, issues and archive state', () => {
    expect(ids({ fromTs: T0 + 100, toTs: T0 + 200 })).toEqual(['c3', 'c2']);
    expect(ids({ finished: false })).toEqual(['c3']);
    expect(ids({ platform: 'Android' })).toEqual(['c2']);
    expect(ids({ hasIssues: true })).toEqual(['c2']);
    expect(ids({ hasIssues: false })).toEqual(['c4', 'c3', 'c1']);
    expect(ids({ archive: 'listed' })).toEqual(['c3', 'c1']);
  });

  it('filters by exact channel name, alone and with the other filters', () => {
    expect(ids({ cname: 'room-1234-5' })).toEqual(['c2']);
    expect(ids({ cname: '数学课-三年级二班' })).toEqual(['c1']);
    // Exact: neither a prefix nor another case matches.
    expect(ids({ cname: 'room-1234' })).toEqual([]);
    expect(ids({ cname: 'room-9999' })).toEqual([]);
    expect(ids({ cname: 'Room-9999', finished: false })).toEqual(['c3']);
    expect(ids({ cname: 'room-1234-5', query: '数学' })).toEqual([]);
    const all = createCallSearch(db).search(CallSearchSchema.parse({ cname: 'room-1234-5' }));
    expect(all.calls.map((c) => `${c.appid}/${c.callId}`).sort()).toEqual(['app1/c2', 'other/x1']);
    expect(all.total).toBe(2);
  });

  it('filters by exact call id', () => {
    expect(ids({ callId: 'c2' })).toEqual(['c2']);
    expect(ids({ callId: 'c' })).toEqual([]);
    expect(ids({ callId: 'c2', finished: false })).toEqual([]);
  });

  it('filters by uid: calls having a user with that uid', () => {
    expect(ids({ uid: 42 })).toEqual(['c2']);
    expect(ids({ uid: 630985881 })).toEqual(['c2']);
    expect(ids({ uid: 7 })).toEqual(['c4']);
    expect(ids({ uid: 4 })).toEqual([]);
    expect(ids({ uid: 42, cname: 'room-1234-5' })).toEqual(['c2']);
    expect(ids({ uid: 42, cname: 'english_g3' })).toEqual([]);
    expect(ids({ uid: 7, platform: 'Windows', hasIssues: false })).toEqual(['c4']);
  });

  it('refuses a uid that is not a whole number in range', () => {
    expect(CallSearchSchema.safeParse({ uid: -1 }).success).toBe(false);
    expect(CallSearchSchema.safeParse({ uid: 1.5 }).success).toBe(false);
    expect(CallSearchSchema.safeParse({ uid: 2 ** 32 }).success).toBe(false);
    expect(CallSearchSchema.safeParse({ cname: '' }).success).toBe(false);
  });

  it('scopes by appid', () => {
    const all = createCallSearch(db).search(CallSearchSchema.parse({ query: 'room-1234' }));
    expect(all.calls.map((c) => c.appid).sort()).toEqual([APP, 'other']);
  });

  it('pages with a cursor, sorted either way, counting the total on the first page', () => {
    const search = createCallSearch(db);
    const first = search.search(CallSearchSchema.parse({ appid: APP, limit: 3 }));
    expect(first.total).toBe(4);
    expect(first.calls.map((c) => c.callId)).toEqual(['c4', 'c3', 'c2']);
    const second = search.search(
      CallSearchSchema.parse({ appid: APP, limit: 3, cursor: first.nextCursor ?? undefined }),
    );
    expect(second.calls.map((c) => c.callId)).toEqual(['c1']);
    expect(second.nextCursor).toBeNull();
    expect(ids({ sort: 'oldest', limit: 2 })).toEqual(['c1', 'c2']);
    expect(() => search.search(CallSearchSchema.parse({ cursor: 'nope' }))).toThrow(/cursor/);
  });

  it('jumps to any row by offset, in the same order as the cursor pages', () => {
    const search = createCallSearch(db);
    const jumped = search.search(CallSearchSchema.parse({ appid: APP, limit: 2, offset: 2 }));
    expect(jumped.calls.map((c) => c.callId)).toEqual(['c2', 'c1']);
    expect(jumped.total).toBeNull();
    expect(ids({ sort: 'oldest', limit: 1, offset: 3 })).toEqual(['c4']);
    expect(ids({ limit: 5, offset: 10 })).toEqual([]);
  });

  it('keeps a call finished when a later list answer still shows it running', () => {
    const store = createCallArchiveStore(db);
    store.recordListed(
      APP,
      [
        {
          call_id: 'c1',
          cname: '数学课-三年级二班',
          created_ts: T0,
          destroyed_ts: 0,
          finished: false,
        },
      ],
      3,
    );
    expect(store.getCall(APP, 'c1', false)?.finished).toBe(true);
    expect(store.getCall(APP, 'c1', false)?.destroyedTs).toBe(T0 + 600);
  });
});
