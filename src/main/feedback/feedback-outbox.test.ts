import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { FeedbackChanged, FeedbackReport } from '../../shared/feedback.ts';
import {
  startSimulator,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../simulator/index.ts';
import { builtInAccount, connectToApi } from '../api/api-connection.ts';
import { createFeedbackOutboxStore, openDatabase, type Db } from '../store/index.ts';
import {
  createFeedbackOutbox,
  type FeedbackOutbox,
  type FeedbackOutboxDeps,
} from './feedback-outbox.ts';

const PROFILE = { id: 'profile-1', appid: '' };
const FAST_BACKOFF = { baseMs: 40, capMs: 200 };

let dir: string;
let sim: SimulatorHandle | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crystal-feedback-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  sim = await startSimulator({ seed: 'feedback-tests', ...options });
  return sim;
}

/** One app instance: its own DB connection, limiter, client and outbox on the shared DB file. */
function openApp(
  api: SimulatorHandle,
  extra: Partial<FeedbackOutboxDeps> & {
    timeoutMs?: number;
    /** Runs before the client is handed out; throws to play a profile that cannot send. */
    gate?: () => void;
  } = {},
): { outbox: FeedbackOutbox; db: Db; changes: FeedbackChanged[]; close(): Promise<void> } {
  const db = openDatabase({ file: join(dir, 'crystal-desk.sqlite') });
  const { client, close: closeApi } = connectToApi({
    ...builtInAccount(api),
    plan: api.plan,
    db,
    timeoutMs: extra.timeoutMs ?? 5_000,
  });
  const changes: FeedbackChanged[] = [];
  const { gate, timeoutMs: _timeoutMs, ...deps } = extra;
  const outbox = createFeedbackOutbox({
    store: createFeedbackOutboxStore(db),
    clientFor: () => {
      gate?.();
      return client;
    },
    activeProfile: () => ({ ...PROFILE, appid: api.appid }),
    backoff: FAST_BACKOFF,
    onChange: (change) => changes.push(change),
    ...deps,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await outbox.close();
    closeApi();
    db.close();
  };
  cleanups.push(close);
  return { outbox, db, changes, close };
}

const form = (comments: string, extra: Record<string, unknown> = {}) => ({
  channel: '数学课-三年级二班',
  teacherUid: 100123,
  actingUid: 100123,
  problemTs: Math.floor(Date.now() / 1000) - 600,
  comments,
  type: 3,
  ...extra,
});

const statusOf = (outbox: FeedbackOutbox, id: number): FeedbackReport | undefined =>
  outbox.list().reports.find((r) => r.id === id);

const recordedComments = (api: SimulatorHandle) =>
  api.feedbackReports().map((r) => r.report.comments);

describe('feedback outbox', () => {
  it('delivers reports filed while the API refuses connections once it is back, across a restart', async () => {
    const api = await simulator();
    await api.stop();
    const first = openApp(api);
    first.outbox.start();
    const a = first.outbox.submit(form('report A'));
    const b = first.outbox.submit(form('report B', { type: 4, actingUid: undefined }));
    expect(a.status).toBe('queued');

    // It tries, learns the API is unreachable, and keeps both queued.
    await vi.waitFor(
      () => {
        const report = statusOf(first.outbox, a.id);
        expect(report?.attempts).toBeGreaterThanOrEqual(1);
        expect(report?.status).toBe('queued');
        expect(report?.lastError?.code).toBe('NETWORK');
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(first.changes.at(-1)?.waiting).toBe(2);
    await first.close();

    await api.start();
    const second = openApp(api);
    second.outbox.start();
    await vi.waitFor(
      () => {
        expect(statusOf(second.outbox, a.id)?.status).toBe('sent');
        expect(statusOf(second.outbox, b.id)?.status).toBe('sent');
      },
      { timeout: 10_000, interval: 20 },
    );
    const recorded = api.feedbackReports().map((r) => r.report);
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({
      cname: '数学课-三年级二班',
      teacher_uid: 100123,
      action_uid: 100123,
      comments: 'report A',
      type: 3,
    });
    expect(recorded[1]).not.toHaveProperty('action_uid');
    expect(second.outbox.counts()).toMatchObject({ sent: 2, queued: 0, sending: 0 });
    expect(second.changes.at(-1)?.waiting).toBe(0);
  });

  it('retries at once when nudged after the network returns, without waiting out its backoff', async () => {
    const api = await simulator();
    await api.stop();
    const app = openApp(api, { backoff: { baseMs: 60 * 60_000, capMs: 60 * 60_000 } });
    app.outbox.start();
    const report = app.outbox.submit(form('nudged'));
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.attempts).toBe(1), {
      timeout: 10_000,
      interval: 20,
    });
    expect(statusOf(app.outbox, report.id)?.nextAttemptAt).toBeGreaterThan(Date.now() + 60_000);

    await api.start();
    app.outbox.nudge();
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.status).toBe('sent'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(recordedComments(api)).toEqual(['nudged']);
  });

  it('never sends a report twice by an automatic retry while the API comes and goes', async () => {
    const api = await simulator();
    const app = openApp(api);
    app.outbox.start();
    const ids: number[] = [];
    for (let round = 0; round < 4; round++) {
      await api.stop();
      const batch = [0, 1, 2].map((i) => app.outbox.submit(form(`round ${round} #${i}`)).id);
      ids.push(...batch);
      await vi.waitFor(
        () => expect(statusOf(app.outbox, batch[0]!)?.lastError?.code).toBe('NETWORK'),
        { timeout: 10_000, interval: 10 },
      );
      await api.start();
      app.outbox.nudge();
      await vi.waitFor(() => expect(app.outbox.counts().sent).toBe(ids.length), {
        timeout: 10_000,
        interval: 10,
      });
    }
    const comments = recordedComments(api);
    expect(comments).toHaveLength(ids.length);
    expect(new Set(comments).size).toBe(ids.length);
  });

  it('sends nothing twice when the API vanishes mid-request: what may have arrived waits unconfirmed', async () => {
    const api = await simulator();
    const app = openApp(api);
    app.outbox.start();
    for (let i = 0; i < 12; i++) {
      app.outbox.submit(form(`flap #${i}`));
      if (i % 3 === 1) await api.stop();
      if (i % 3 === 2) await api.start();
      app.outbox.nudge();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await api.start();
    app.outbox.nudge();
    await vi.waitFor(
      () => {
        const counts = app.outbox.counts();
        expect(counts.sent + counts.unconfirmed).toBe(12);
      },
      { timeout: 10_000, interval: 10 },
    );
    const comments = recordedComments(api);
    expect(new Set(comments).size).toBe(comments.length);
    const sent = app.outbox.list({ statuses: ['sent'] }).reports.map((r) => r.comments);
    for (const comment of sent) expect(comments).toContain(comment);
    // Settled: nothing goes out any more on its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(recordedComments(api)).toHaveLength(comments.length);
  });

  it('marks a report unconfirmed when the connection drops after the API processed it, and does not resend it by itself', async () => {
    const api = await simulator({ faults: { dropAfterProcessing: 1 } });
    const app = openApp(api);
    app.outbox.start();
    const report = app.outbox.submit(form('dropped after processing'));
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.status).toBe('unconfirmed'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(recordedComments(api)).toEqual(['dropped after processing']);

    // Neither a nudge nor a restart sends it again.
    app.outbox.nudge();
    await app.outbox.idle();
    await app.close();
    const again = openApp(api);
    again.outbox.start();
    await again.outbox.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statusOf(again.outbox, report.id)).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    expect(recordedComments(api)).toHaveLength(1);
    expect(again.outbox.counts()).toMatchObject({ unconfirmed: 1, sent: 0 });

    // The agent decides to send it again: that is a second request, on purpose.
    again.outbox.resend(report.id);
    await vi.waitFor(() => expect(recordedComments(api)).toHaveLength(2), {
      timeout: 10_000,
      interval: 20,
    });
  });

  it('marks a report unconfirmed when the API answers too slowly', async () => {
    const api = await simulator({ faults: { slow: 1, slowMs: 1_500 } });
    const app = openApp(api, { timeoutMs: 200 });
    app.outbox.start();
    const report = app.outbox.submit(form('slow'));
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.status).toBe('unconfirmed'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(statusOf(app.outbox, report.id)?.lastError?.code).toBe('TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statusOf(app.outbox, report.id)?.attempts).toBe(1);
  });

  it('turns a report left "sending" by a crash into "unconfirmed" on start, without sending it', async () => {
    const api = await simulator();
    const db = openDatabase({ file: join(dir, 'crystal-desk.sqlite') });
    const store = createFeedbackOutboxStore(db);
    const row = store.insert({
      profileId: PROFILE.id,
      appid: api.appid,
      channel: 'crashed',
      teacherUid: 1,
      actingUid: null,
      problemTs: null,
      comments: null,
      type: 2,
      callId: null,
      nowMs: Date.now(),
    });
    expect(store.markSending(row.id, Date.now())).toBe(true);
    db.close();

    const app = openApp(api);
    app.outbox.start();
    await app.outbox.idle();
    expect(statusOf(app.outbox, row.id)).toMatchObject({
      status: 'unconfirmed',
      lastError: { code: 'INTERRUPTED' },
    });
    expect(app.changes[0]?.ids).toEqual([row.id]);
    expect(api.feedbackReports()).toHaveLength(0);
  });

  it('marks a report the API refuses as failed, and lets the agent discard it', async () => {
    const api = await simulator();
    const app = openApp(api, {
      gate: () => {
        throw new AppError('AUTH_REJECTED', 'The API rejected the credentials.');
      },
    });
    app.outbox.start();
    const report = app.outbox.submit(form('refused'));
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.status).toBe('failed'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(() => app.outbox.discard(999)).toThrow(/999/);
    expect(app.outbox.discard(report.id)).toMatchObject({ failed: 0 });
    expect(app.outbox.list().reports).toHaveLength(0);
  });

  it('keeps a report queued without spending retries while its profile has no credentials', async () => {
    const api = await simulator();
    let credentials = false;
    const app = openApp(api, {
      gate: () => {
        if (!credentials) throw new AppError('AUTH_MISSING', 'No secret is set.');
      },
    });
    app.outbox.start();
    const report = app.outbox.submit(form('waits for credentials'));
    await vi.waitFor(
      () => expect(statusOf(app.outbox, report.id)?.lastError?.code).toBe('AUTH_MISSING'),
      { timeout: 10_000, interval: 20 },
    );
    expect(statusOf(app.outbox, report.id)).toMatchObject({ status: 'queued', attempts: 1 });
    credentials = true;
    app.outbox.nudge();
    await vi.waitFor(() => expect(statusOf(app.outbox, report.id)?.status).toBe('sent'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(recordedComments(api)).toEqual(['waits for credentials']);
  });

  it('refuses an invalid form naming each field, and a report without a profile', async () => {
    const api = await simulator();
    const app = openApp(api);
    const future = Math.floor(Date.now() / 1000) + 3600;
    let error: unknown;
    try {
      app.outbox.submit({ channel: '  ', teacherUid: -1, problemTs: future, type: 7 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_INPUT');
    expect((error as AppError).details?.['fields']).toEqual([
      'channel',
      'teacherUid',
      'problemTs',
      'type',
    ]);
    expect((error as AppError).message).toMatch(
      /problemTs: time of the problem cannot be in the future/,
    );

    const none = openApp(api, { activeProfile: () => undefined });
    expect(() => none.outbox.submit(form('x'))).toThrow(/profile/);
    expect(app.outbox.list().reports).toHaveLength(0);
  });
});
