// Where the app keeps its data when no --data-dir is given: the OS's per-user app data folder
// (the same folder Electron's app.getPath('userData') gives for this app name).

import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'crystal-desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRYSTAL_DESK_DATA_DIR) return env.CRYSTAL_DESK_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
  }
}
