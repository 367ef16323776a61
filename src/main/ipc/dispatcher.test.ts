import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../core/app-core.ts';
import { METHOD_NAMES } from '../../shared/contract.ts';

describe('dispatcher over the app core', () => {
  let dir: string;
  let core: AppCore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-core-'));
    core = createAppCore({ dataDir: dir, host: 'test' });
  });
  afterEach(() => {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers app.info with the data dir and host', async () => {
    const outcome = await core.dispatcher.invoke('app.info', {});
    expect(outcome).toMatchObject({ ok: true, value: { dataDir: dir, host: 'test' } });
  });

  it('refuses a bad argument with BAD_INPUT naming the field', async () => {
    const outcome = await core.dispatcher.invoke('settings.set', { theme: 'purple' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('BAD_INPUT');
    expect(outcome.error.message).toMatch(/^Invalid arguments for settings\.set: theme: /);
    expect(outcome.error.details).toEqual({ fields: ['theme'] });
  });

  it('refuses arguments that are not an object', async () => {
    for (const args of ['x', 42, [1], true]) {
      const outcome = await core.dispatcher.invoke('settings.set', args);
      expect(outcome.ok ? 'ok' : outcome.error.code).toBe('BAD_INPUT');
    }
  });

  it('answers an unknown method with NOT_FOUND instead of throwing', async () => {
    for (const method of ['nope.nothing', '__proto__', 'toString', 42, null]) {
      const outcome = await core.dispatcher.invoke(method, {});
      expect(outcome.ok ? 'ok' : outcome.error.code).toBe('NOT_FOUND');
    }
  });

  it('has a handler for every contract method', async () => {
    for (const method of METHOD_NAMES) {
      const outcome = await core.dispatcher.invoke(method, {});
      expect(outcome.ok ? 'ok' : outcome.error.code, method).not.toBe('NOT_FOUND');
    }
  });

  it('keeps settings across a restart on the same data dir and emits a change event', async () => {
    const seen: unknown[] = [];
    core.events.subscribe((event, payload) => seen.push([event, payload]));
    await core.dispatcher.invoke('settings.set', { language: 'zh-CN' });
    expect(seen).toEqual([['settings.changed', { language: 'zh-CN', theme: 'system' }]]);
    core.close();
    core = createAppCore({ dataDir: dir, host: 'test' });
    expect(await core.dispatcher.invoke('settings.get', {})).toEqual({
      ok: true,
      value: { language: 'zh-CN', theme: 'system' },
    });
  });
});
