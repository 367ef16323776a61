// Registers every CLI command (lazily loaded, so `--help` stays fast).

import { registerCommand } from '../main.ts';

registerCommand('simulator', () =>
  import('./simulator-command.ts').then((m) => m.simulatorCommand),
);
