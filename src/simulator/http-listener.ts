// The listening socket: binds a request listener to host:port and can stop refusing connections
// (stop) and listen again on the same port (start), so clients see "connection refused" on demand.

import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpListener {
  readonly host: string;
  /** The bound port (fixed after the first start, even when 0 was asked for). */
  readonly port: number;
  readonly listening: boolean;
  /** Listen again on the same port. */
  start(): Promise<void>;
  /** Stop listening and drop open connections; new connections are refused. */
  stop(): Promise<void>;
  /** stop() for good; start() then fails. */
  close(): Promise<void>;
}

export async function listen(
  handler: RequestListener,
  host: string,
  port: number,
): Promise<HttpListener> {
  let server: Server | undefined;
  let boundPort = port;
  let closed = false;

  const start = async (): Promise<void> => {
    if (closed) throw new Error('the simulator is closed');
    if (server !== undefined) return;
    const s = createServer(handler);
    s.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(boundPort, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    const address = s.address();
    if (address !== null && typeof address === 'object') boundPort = address.port;
    server = s;
  };

  const stop = async (): Promise<void> => {
    const s = server;
    if (s === undefined) return;
    server = undefined;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  await start();
  return {
    host,
    get port() {
      return boundPort;
    },
    get listening() {
      return server !== undefined;
    },
    start,
    stop,
    async close() {
      closed = true;
      await stop();
    },
  };
}
