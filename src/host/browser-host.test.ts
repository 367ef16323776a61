import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserHost } from './browser-host.ts';
import { startTestHost, type StartedHost } from './browser-host-test-fixture.ts';

describe('browser host', () => {
  let started: StartedHost;
  let host: BrowserHost;

  beforeEach(async () => {
    started = await startTestHost();
    host = started.host;
  });
  afterEach(() => started.close());

  const rpc = (method: string, body: unknown, token?: string) => started.rpc(method, body, token);

  it('listens on 127.0.0.1 only, on a free port, with the token in the printed URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('answers contract calls with the session token', async () => {
    const response = await rpc('app.info', {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, value: { host: 'browser' } });
  });

  it('refuses contract calls without the right token', async () => {
    expect((await rpc('app.info', {}, 'wrong-token')).status).toBe(401);
    const noAuth = await fetch(`${host.origin}/rpc/app.info`, { method: 'POST', body: '{}' });
    expect(noAuth.status).toBe(401);
    expect((await fetch(`${host.origin}/events?token=nope`)).status).toBe(401);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('turns a body that is not JSON into BAD_INPUT', async () => {
    const response = await fetch(`${host.origin}/rpc/settings.set`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: '{"theme":',
    });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('serves the renderer with a Content-Security-Policy', async () => {
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('Crystal Desk');
  });

  it('pushes contract events to SSE subscribers', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.origin}/events?token=${host.token}`, {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    await rpc('settings.set', { theme: 'dark' });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: settings.changed');
    controller.abort();
  });
});
