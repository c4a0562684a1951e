import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup } from '@testing-library/svelte';

// jsdom lacks WebCrypto's randomValues on some Node versions; mockIPC needs it.
if (!globalThis.crypto?.getRandomValues) {
  Object.defineProperty(globalThis, 'crypto', {
    value: { getRandomValues: <T extends ArrayBufferView>(buf: T) => buf },
  });
}

afterEach(() => {
  cleanup();
  clearMocks();
});
