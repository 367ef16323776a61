// Test support: a raw loopback HTTP client for the simulator tests (no keep-alive, no retries),
// which reports socket failures instead of hiding them. Not used by the simulator itself.

import { request } from 'node:http';
import type { SimulatorHandle } from './start-simulator.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (throws when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Authorization header; default: the simulator's first customer. null sends none. */
  authorization?: string | null;
  body?: string;
  headers?: Record<string, string>;
}

/** GET/POST `path` with `params` (appid defaults to the simulator's) and resolves the answer. */
export function call(
  sim: SimulatorHandle,
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
  options: CallOptions = {},
): Promise<RawResponse> {
  const url = new URL(path, sim.url);
  const withAppid = path.startsWith('/__sim/') ? params : { appid: sim.appid, ...params };
  for (const [k, v] of Object.entries(withAppid))
    if (v !== undefined) url.searchParams.set(k, String(v));
  return rawRequest(url, sim.authorization(), options);
}

export function rawRequest(
  url: URL,
  defaultAuth: string,
  options: CallOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const auth = options.authorization === undefined ? defaultAuth : options.authorization;
  if (auth !== null) headers['authorization'] = auth;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error('connection closed before the body ended'));
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const expected = Number(res.headers['content-length'] ?? NaN);
        if (Number.isFinite(expected) && Buffer.byteLength(text) < expected) {
          reject(new Error(`truncated body: ${Buffer.byteLength(text)} of ${expected} bytes`));
          return;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
