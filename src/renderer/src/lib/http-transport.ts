// The browser host's transport: contract calls as POST /rpc/<method>, events over one EventSource.
// The per-run token arrives in the page's URL once and is kept in sessionStorage.

import type { BridgeTransport } from '../../../shared/bridge.ts';
import type { EventName, Outcome } from '../../../shared/contract.ts';
import { decodeWire, encodeWire } from '../../../shared/wire-codec.ts';

const TOKEN_KEY = 'crystal-desk-token';

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * The browser host's session token (for URLs the page opens itself, e.g. an export's download);
 * empty in Electron, where there is none.
 */
export function sessionToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createHttpTransport(): BridgeTransport {
  const token = takeToken();
  let source: EventSource | undefined;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const ensureSource = (event: EventName) => {
    source ??= new EventSource(`/events?token=${encodeURIComponent(token)}`);
    if (!listeners.has(event)) {
      listeners.set(event, new Set());
      source.addEventListener(event, (message) => {
        const payload = decodeWire((message as MessageEvent<string>).data);
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
    return listeners.get(event)!;
  };

  return {
    async invoke(method, args) {
      try {
        const response = await fetch(`/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: encodeWire(args),
        });
        if (response.status === 401) {
          return {
            ok: false,
            error: {
              code: 'AUTH_REJECTED',
              message:
                'This page lost its session with Crystal Desk. Open the address printed by npm start again.',
            },
          };
        }
        return decodeWire(await response.text()) as Outcome<unknown>;
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'NETWORK',
            message: `Crystal Desk is not answering (${String(error)}). Is npm start still running?`,
          },
        };
      }
    },
    subscribe(event, listener) {
      const set = ensureSource(event);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
