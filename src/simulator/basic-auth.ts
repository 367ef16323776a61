// HTTP Basic authentication against the configured customers: 401 when the header is missing or
// malformed, 403 when it is well-formed but names unknown or wrong credentials.

import type { Credentials } from './simulator-options.ts';

export type AuthResult =
  | { ok: true; customerId: string }
  | { ok: false; status: 401 | 403; reason: 'auth_missing' | 'auth_rejected'; message: string };

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

export function authenticate(
  header: string | undefined,
  customers: readonly Credentials[],
): AuthResult {
  if (header === undefined || header.trim() === '') {
    return {
      ok: false,
      status: 401,
      reason: 'auth_missing',
      message: 'missing Authorization header',
    };
  }
  const match = BASIC.exec(header);
  const encoded = match?.[1];
  const malformed = {
    ok: false,
    status: 401,
    reason: 'auth_missing',
    message: 'malformed Authorization header: expected Basic base64(customer_id:customer_secret)',
  } as const;
  if (encoded === undefined || encoded.length % 4 !== 0) return malformed;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || decoded.includes('\uFFFD')) return malformed;
  const customerId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const customer = customers.find((c) => c.customerId === customerId);
  if (customer === undefined || customer.secret !== secret) {
    return {
      ok: false,
      status: 403,
      reason: 'auth_rejected',
      message: 'invalid customer id or secret',
    };
  }
  return { ok: true, customerId };
}
