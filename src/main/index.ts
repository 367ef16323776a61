// Electron main-process entry: the thin shell around the Electron-free app core.

import { app, BrowserWindow, powerMonitor } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore, type AppCore } from './core/app-core.ts';
import { APP_ORIGIN, handleAppScheme, registerAppScheme } from './shell/app-protocol.ts';
import { bindIpc, forwardEvents } from './shell/ipc-bridge.ts';
import { createMainWindow } from './shell/main-window.ts';
import { chooseSavePath } from './shell/save-dialog.ts';
import { hardenApp } from './shell/security.ts';
import { defaultDataDir } from './core/data-dir.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const trustedOrigins = devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN];
// `npm start -- --data-dir DIR` and `--data-dir=DIR` both work; Chromium's own switches pass by.
const { values: flags } = parseArgs({
  args: process.argv.slice(1),
  options: { 'data-dir': { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const dataDirFlag = flags['data-dir'];
const dataDir = typeof dataDirFlag === 'string' ? dataDirFlag : defaultDataDir();

registerAppScheme();
hardenApp(trustedOrigins);

if (!app.requestSingleInstanceLock({})) {
  app.quit();
} else {
  let core: AppCore | undefined;

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    handleAppScheme(join(import.meta.dirname, '../renderer'));
    core = createAppCore({
      dataDir,
      host: 'electron',
      runtime: `Electron ${process.versions.electron}`,
      osLocale: app.getLocale(),
      // export.start with target 'file': the agent picks where the CSV goes.
      chooseExportFile: chooseSavePath,
    });
    bindIpc(core, trustedOrigins);
    // Waking from sleep usually brings the network back: send waiting reports now.
    powerMonitor.on('resume', () => core?.feedback.nudge());
    const window = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    });
    const stop = forwardEvents(core, window);
    window.on('closed', stop);
  });

  app.on('window-all-closed', () => {
    core?.close();
    app.quit();
  });
}
