import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedbackChanged, FeedbackList } from '../../shared/feedback.ts';
import { createAppCore, type AppCore } from '../core/app-core.ts';

describe('feedback through the contract', () => {
  let dir: string;
  let core: AppCore;
  const changes: FeedbackChanged[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-feedback-app-'));
    core = createAppCore({ dataDir: dir, host: 'test' });
    changes.length = 0;
    core.events.subscribe((event, payload) => {
      if (event === 'feedback.changed') changes.push(payload as FeedbackChanged);
    });
  });
  afterEach(() => {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = (method: string, args: unknown) => core.dispatcher.invoke(method, args);

  it('names each invalid field of the composer form', async () => {
    const outcome = await invoke('feedback.submit', {
      channel: '',
      teacherUid: 1.5,
      actingUid: 2 ** 32,
      type: 5,
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const { message, details } = (
      outcome as unknown as { error: { message: string; details: { fields: string[] } } }
    ).error;
    expect(details.fields).toEqual(['channel', 'teacherUid', 'actingUid', 'type']);
    expect(message).toMatch(/channel: channel is required/);
    expect(message).toMatch(/teacherUid: teacher uid must be a whole number/);
    expect(message).toMatch(/type: type must be 1, 2, 3 or 4/);
  });

  it('asks for a profile before filing, then delivers through the demo API', async () => {
    const form = { channel: 'physics, grade 10, section B', teacherUid: 100200, type: 2 };
    expect(await invoke('feedback.submit', form)).toMatchObject({
      ok: false,
      error: { code: 'AUTH_MISSING' },
    });
    expect(await invoke('profiles.createDemo', {})).toMatchObject({ ok: true });
    const filed = await invoke('feedback.submit', { ...form, comments: '=cmd|calc' });
    expect(filed).toMatchObject({ ok: true, value: { status: 'queued', channel: form.channel } });
    await vi.waitFor(
      async () => {
        const list = (await invoke('feedback.list', {})) as { ok: true; value: FeedbackList };
        expect(list.value.reports[0]?.status).toBe('sent');
        expect(list.value.counts.sent).toBe(1);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(changes.at(-1)).toMatchObject({ waiting: 0, counts: { sent: 1 } });
    const id = (filed as { value: { id: number } }).value.id;
    expect(await invoke('feedback.discard', { id })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await invoke('feedback.resend', { id })).toMatchObject({ ok: false });
  });
});
