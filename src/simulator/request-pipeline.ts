// One HTTP request from arrival to answer: routing (404), injected faults, Basic auth (401/403),
// rate limits and quotas (429 + Retry-After), the endpoint handler (400/403/200), then faults that
// spoil the answer. Also serves the loopback-only /__sim/* control routes.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { endpointForPath, type EndpointName } from '../shared/api-limits.ts';
import { errorResponse, jsonResponse, type ApiResponse } from './api-response.ts';
import { authenticate } from './basic-auth.ts';
import { handleCallDetails } from './call-details-endpoint.ts';
import { handleCallLists } from './call-lists-endpoint.ts';
import { AppidRejectedError, type EndpointHandler } from './endpoint-context.ts';
import type { FaultDecision } from './fault-injector.ts';
import { handleFeedbackReport } from './feedback-endpoint.ts';
import { truthCalls } from './ground-truth.ts';
import { BadRequestError, readQuery } from './query-params.ts';
import type { RejectReason } from './request-stats.ts';
import type { SimulatorState } from './simulator-state.ts';
import { handleUsageByTime } from './usage-endpoint.ts';

const HANDLERS: Record<EndpointName, EndpointHandler> = {
  callLists: handleCallLists,
  callDetails: handleCallDetails,
  usageByTime: handleUsageByTime,
  feedbackReport: handleFeedbackReport,
};

export const MAX_BODY_BYTES = 64 * 1024;

/** The body a `malformed` fault sends instead of the real one: what a broken proxy might. */
export const MALFORMED_TAIL = '\n<html><head><title>502 Bad Gateway</title></head></html>\n';

function write(res: ServerResponse, response: ApiResponse): void {
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    ...response.headers,
  });
  res.end(body);
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'))
  );
}

/** Reads the body up to `limit` bytes; undefined when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createRequestListener(state: SimulatorState): RequestListener {
  const { options, stats } = state;

  async function deliver(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: EndpointName,
    response: ApiResponse,
    fault: FaultDecision,
  ): Promise<void> {
    if (fault.slow) {
      stats.fault(endpoint, 'slow');
      await sleep(options.faults.slowMs);
      if (res.destroyed) return;
    }
    if (fault.dropAfterProcessing) {
      stats.fault(endpoint, 'drop_after_processing');
      req.socket.destroy();
      return;
    }
    if (fault.truncated) {
      stats.fault(endpoint, 'truncated');
      const body = Buffer.from(response.body, 'utf8');
      res.writeHead(response.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
        ...response.headers,
      });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (fault.malformed) {
      stats.fault(endpoint, 'malformed');
      const cut = response.body.slice(0, Math.floor(response.body.length / 2));
      write(res, { ...response, body: cut + MALFORMED_TAIL });
      return;
    }
    write(res, response);
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    endpoint: EndpointName,
  ): Promise<void> {
    const fault = state.faults.next();
    if (fault.dropBeforeBody) {
      stats.rejected(endpoint, 'fault_drop_before_body');
      req.socket.destroy();
      return;
    }
    const reject = (reason: RejectReason, response: ApiResponse): Promise<void> => {
      stats.rejected(endpoint, reason);
      req.resume();
      return deliver(req, res, endpoint, response, fault);
    };

    const auth = authenticate(req.headers.authorization, options.customers);
    if (!auth.ok) {
      const headers: Record<string, string> =
        auth.status === 401 ? { 'www-authenticate': 'Basic realm="api.agora.io"' } : {};
      return reject(auth.reason, errorResponse(auth.status, auth.message, headers));
    }
    const nowMs = options.clock();
    const verdict = state.limiter.admit(auth.customerId, endpoint, nowMs);
    if (!verdict.ok) {
      return reject(
        verdict.reason,
        errorResponse(429, verdict.message, { 'retry-after': String(verdict.retryAfterSec) }),
      );
    }
    if (fault.error500) {
      return reject('fault_500', errorResponse(500, 'internal server error'));
    }
    const body = req.method === 'POST' ? await readBody(req, MAX_BODY_BYTES) : (req.resume(), '');
    if (body === undefined) {
      return reject('bad_request', errorResponse(400, `body exceeds ${MAX_BODY_BYTES} bytes`));
    }

    let response: ApiResponse;
    try {
      response = HANDLERS[endpoint](
        { query: url.searchParams, body },
        {
          world: state.world,
          usage: state.usage,
          plan: options.plan,
          nowMs,
          appid: options.appid,
          customerId: auth.customerId,
          vendorQuirks: options.vendorQuirks,
          recordFeedback: (report) => state.feedback.push(report),
        },
      );
    } catch (error) {
      if (error instanceof BadRequestError) {
        return reject('bad_request', errorResponse(400, error.message));
      }
      if (error instanceof AppidRejectedError) {
        return reject('appid_rejected', errorResponse(403, error.message));
      }
      throw error;
    }
    stats.accepted(endpoint);
    return deliver(req, res, endpoint, response, fault);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): void {
    req.resume();
    if (!isLoopback(req.socket.remoteAddress) || req.method !== 'GET') {
      write(res, errorResponse(404, 'not found'));
      return;
    }
    if (url.pathname === '/__sim/stats') {
      write(res, jsonResponse(200, stats.snapshot(state.feedback.length)));
    } else if (url.pathname === '/__sim/feedback') {
      write(res, jsonResponse(200, { code: 200, message: '', reports: state.feedback }));
    } else if (url.pathname === '/__sim/truth') {
      try {
        const q = readQuery(url.searchParams);
        const calls = truthCalls(state.world, options.plan, options.clock(), {
          startTs: q.timestamp('start_ts'),
          endTs: q.timestamp('end_ts'),
          cname: q.optionalString('cname'),
          includeSessions: q.optionalBoolean('sessions', false),
        });
        write(res, jsonResponse(200, { code: 200, message: '', calls }));
      } catch (error) {
        if (!(error instanceof BadRequestError || error instanceof RangeError)) throw error;
        write(res, errorResponse(400, error.message));
      }
    } else {
      write(res, errorResponse(404, 'not found'));
    }
  }

  return (req, res) => {
    const done = (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      if (url.pathname.startsWith('/__sim/')) return handleControl(req, res, url);
      const endpoint = endpointForPath(url.pathname);
      if (endpoint === undefined || req.method !== options.plan.endpoints[endpoint].method) {
        stats.notFound();
        req.resume();
        write(res, errorResponse(404, `no such API: ${req.method ?? '?'} ${url.pathname}`));
        return;
      }
      return handleApi(req, res, url, endpoint);
    })();
    done.catch((error: unknown) => {
      // A bug here must not take the process down; answer 500 like a real server would.
      console.error('[simulator] request failed:', error);
      if (!res.headersSent && !res.destroyed)
        write(res, errorResponse(500, 'internal server error'));
      else res.destroy();
    });
  };
}
