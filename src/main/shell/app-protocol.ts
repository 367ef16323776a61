// Serves the built renderer from the privileged app:// scheme (not file://), so pages get a real
// origin, a CSP header on every response, and no access to the rest of the file system.

import { net, protocol } from 'electron';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://crystal-desk`;

/** Must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.origin !== APP_ORIGIN) return new Response('Not found', { status: 404 });
    const path = decodeURIComponent(url.pathname);
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
    const rel = relative(rendererDir, file);
    if (rel.startsWith('..') || isAbsolute(rel)) return new Response('Forbidden', { status: 403 });
    const target = extname(file) ? file : join(rendererDir, 'index.html');
    const response = await net.fetch(pathToFileURL(target).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
