// Test fixture: a loopback HTTP server answering every request with one hand-written status, body
// and headers (malformed on purpose where a test needs it), or never answering. Used by tests only.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixedAnswer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the client's timeout is what ends the request). */
  hold?: boolean;
}

export interface FixedAnswerServer {
  url: string;
  /** Requests that reached the server. */
  requests(): number;
  close(): Promise<void>;
}

export async function startFixedAnswerServer(answer: FixedAnswer): Promise<FixedAnswerServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    if (answer.hold) return;
    res.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      ...answer.headers,
    });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
