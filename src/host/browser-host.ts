// The browser host: serves the built renderer and answers the IPC contract over loopback HTTP
// (POST /rpc/<method>, events over SSE), guarded by a per-run token and a loopback-only Host check.
// It is a transport only; every answer comes from the same dispatcher the Electron shell uses.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';
import type { AppCore } from '../main/core/app-core.ts';
import { DOWNLOAD_PATH_PREFIX, serveExportDownload } from '../main/export/index.ts';
import { encodeWire, decodeWire } from '../shared/wire-codec.ts';

export interface BrowserHostOptions {
  core: AppCore;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
}

export interface BrowserHost {
  /** The address to open: carries the token in its fragment-free query. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost']);

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const serveStatic = sirv(options.rendererDir, { dev: false, etag: true, single: true });
  const sseClients = new Set<ServerResponse>();
  let port = 0;

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const unsubscribe = options.core.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${encodeWire(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(encodeWire(body));
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          reject(new Error('body too large'));
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS-rebinding guard: only loopback names with our port are ours.
    const hostHeader = req.headers.host ?? '';
    const [hostname, hostPort] = hostHeader.split(':');
    if (!hostname || !LOOPBACK_HOSTNAMES.has(hostname) || Number(hostPort) !== port) {
      return sendJson(res, 421, { error: 'Misdirected request' });
    }
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'Use POST' });
      const auth = req.headers.authorization;
      if (!tokenMatches(auth?.startsWith('Bearer ') ? auth.slice(7) : null)) {
        return sendJson(res, 401, { error: 'Missing or wrong session token' });
      }
      let args: unknown;
      try {
        const text = await readBody(req);
        args = text ? decodeWire(text) : {};
      } catch {
        return sendJson(res, 200, {
          ok: false,
          error: { code: 'BAD_INPUT', message: 'The request body is not valid JSON.' },
        });
      }
      const method = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      return sendJson(res, 200, await options.core.dispatcher.invoke(method, args));
    }

    // CSV downloads started by export.start with target 'download' (one GET each).
    if (url.pathname.startsWith(DOWNLOAD_PATH_PREFIX)) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET' });
      if (!tokenMatches(url.searchParams.get('token'))) {
        return sendJson(res, 401, { error: 'Missing or wrong session token' });
      }
      const id = decodeURIComponent(url.pathname.slice(DOWNLOAD_PATH_PREFIX.length));
      if (await serveExportDownload(options.core.exports, id, req, res)) return;
      return sendJson(res, 404, {
        error: 'No such download (it is served once, shortly after export.start)',
      });
    }

    if (url.pathname === '/events') {
      if (!tokenMatches(url.searchParams.get('token'))) {
        return sendJson(res, 401, { error: 'Missing or wrong session token' });
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    serveStatic(req, res, () => sendJson(res, 404, { error: 'Not found' }));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const client of sseClients) client.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
