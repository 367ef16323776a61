// The two Electron IPC channels the contract travels on (shared by main and preload).

export const IPC_INVOKE_CHANNEL = 'crystal:invoke';
export const IPC_EVENT_CHANNEL = 'crystal:event';
