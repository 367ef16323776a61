// The renderer's only way to the app: Electron's preload bridge when present, else the same
// contract over the browser host's HTTP transport (installed as window.crystal too, so both
// hosts look alike to the page and to end-to-end tests).

import { createBridge, type CrystalApi } from '../../../shared/bridge.ts';
import { createHttpTransport } from './http-transport.ts';

declare global {
  interface Window {
    crystal?: CrystalApi;
  }
}

window.crystal ??= createBridge(createHttpTransport());

export const crystal: CrystalApi = window.crystal;
