// Shared test settings; each project runs `vitest run --config ../../config/vitest.base.ts` from its
// own root, so tests execute against TypeScript sources via the "@hft/source" export condition.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@hft/source'] },
  ssr: { resolve: { conditions: ['@hft/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts', 'docs/**/*.test.ts'],
    // Native addons, sockets and child processes: isolate each file in its own process.
    pool: 'forks',
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
