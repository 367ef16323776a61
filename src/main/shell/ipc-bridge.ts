// Wires the contract's dispatcher and events to ipcMain/webContents: one invoke channel, one
// event channel, each checked against the trusted origins.

import { ipcMain, type BrowserWindow } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc-channels.ts';
import type { AppCore } from '../core/app-core.ts';
import { isTrustedSender } from './security.ts';

export function bindIpc(core: AppCore, trustedOrigins: readonly string[]): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, args: unknown) => {
    if (!isTrustedSender(event, trustedOrigins)) {
      return { ok: false, error: { code: 'AUTH_REJECTED', message: 'Untrusted sender' } };
    }
    return core.dispatcher.invoke(method, args);
  });
}

export function forwardEvents(core: AppCore, window: BrowserWindow): () => void {
  return core.events.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  });
}
