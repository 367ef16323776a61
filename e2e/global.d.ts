import type { CrystalApi } from '../src/shared/bridge.ts';

declare global {
  interface Window {
    crystal?: CrystalApi;
  }
}
