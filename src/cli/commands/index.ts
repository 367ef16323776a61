// Registers every CLI command (lazily loaded, so `--help` stays fast).

import { registerCommand } from '../main.ts';

registerCommand('simulator', () =>
  import('./simulator-command.ts').then((m) => m.simulatorCommand),
);
registerCommand('sync', () => import('./sync-command.ts').then((m) => m.syncCommand));
registerCommand('calls', () => import('./calls-command.ts').then((m) => m.callsCommand));
registerCommand('export', () => import('./export-command.ts').then((m) => m.exportCommand));
