// Electron's save dialog for exports (export.start with target 'file'): the agent picks where the
// CSV goes, starting in Downloads with the export's own file name. Writing the file is not here.

import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';

/** The path the agent chose, or undefined when the dialog was dismissed. */
export async function chooseSavePath(suggestedName: string): Promise<string | undefined> {
  const options: SaveDialogOptions = {
    defaultPath: join(app.getPath('downloads'), suggestedName),
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const chosen = parent
    ? await dialog.showSaveDialog(parent, options)
    : await dialog.showSaveDialog(options);
  return chosen.canceled || !chosen.filePath ? undefined : chosen.filePath;
}
