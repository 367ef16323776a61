// The app's version, read from package.json at build/load time.

import pkg from '../../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
