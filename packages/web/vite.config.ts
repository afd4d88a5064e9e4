/**
 * @module
 * Vite build of the web UI into `dist/` (or `REMEX_WEB_OUT_DIR`), served by the server at `/`.
 */
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The Vite configuration of `@remex/web`. */
export const config = defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // `@remex/common` from its TypeScript sources (the `source` export condition), not its dist/.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: process.env.REMEX_WEB_OUT_DIR ?? `${root}dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});

// Vite requires a default export from its config file.
// eslint-disable-next-line no-restricted-syntax
export default config;
