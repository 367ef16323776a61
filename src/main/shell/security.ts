// App-wide Electron hardening: deny navigation, new windows, webviews and permission requests,
// and accept IPC only from the app's own top-level frame.

import { app, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';

export function isTrustedOrigin(url: string, trustedOrigins: readonly string[]): boolean {
  try {
    return trustedOrigins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

export function isTrustedSender(
  event: IpcMainInvokeEvent,
  trustedOrigins: readonly string[],
): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isTrustedOrigin(frame.url, trustedOrigins);
}

export function hardenApp(trustedOrigins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedOrigin(url, trustedOrigins)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedOrigin(url, trustedOrigins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
      callback(false),
    );
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
