// `crystal-desk simulator [flags]`: runs the embedded API simulator (same flags as npm run simulator).

import type { CliCommand } from '../main.ts';

export const simulatorCommand: CliCommand = {
  summary: 'run the embedded Crystal Ball API simulator on loopback',
  async run(argv) {
    const { runSimulatorCli } = await import('../../simulator/cli.ts');
    return runSimulatorCli(argv);
  },
};
