import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallArchiveStore, openDatabase, type Db } from './index.ts';

describe('call archive store', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
  });
  afterEach(() => db.close());

  it('ranks details candidates: asked for, then watched channels, then finished, newest first', () => {
    const store = createCallArchiveStore(db);
    const t = 1_780_000_000;
    const call = (id: string, cname: string, created: number, finished: boolean) => ({
      call_id: id,
      cname,
      created_ts: t + created,
      destroyed_ts: finished ? t + created + 600 : 0,
      finished,
    });
    store.recordListed(
      'app',
      [
        call('old-watched', 'math-101', 0, true),
        call('new-other', 'room-9', 500, true),
        call('running-watched', '英语口语', 300, false),
        call('running-other', 'room-7', 400, false),
        call('new-watched', 'math-101', 200, true),
        call('asked', 'room-3', 100, true),
      ],
      1000,
    );
    store.markWanted('app', 'asked', 2000);
    const ids = (watched?: string[]) =>
      store.detailsCandidates('app', t, t + 1000, undefined, watched).map((c) => c.callId);
    expect(ids(['math-101', '英语口语'])).toEqual([
      'asked',
      'new-watched',
      'old-watched',
      'running-watched',
      'new-other',
      'running-other',
    ]);
    expect(ids()).toEqual([
      'asked',
      'new-other',
      'new-watched',
      'old-watched',
      'running-other',
      'running-watched',
    ]);
  });
});
