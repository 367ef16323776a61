// Preload: exposes `window.crystal`, built by walking the contract over Electron IPC.
// Nothing else of Node or Electron reaches the page.

import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../shared/bridge.ts';
import type { EventName, Outcome } from '../shared/contract.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc-channels.ts';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: EventName, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const crystal = createBridge({
  invoke: (method, args) =>
    ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args) as Promise<Outcome<unknown>>,
  subscribe(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
});

contextBridge.exposeInMainWorld('crystal', crystal);
