import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The console: built to dist/web, which the server serves at / (see src/http/console.ts). */
export default defineConfig(({ command }) => ({
  root: here('.'),
  base: '/',
  plugins: [react()],
  // A build is always production React, even when started from a process with another NODE_ENV (vitest sets "test",
  // which would otherwise ship React's development build and the development JSX transform).
  ...(command === 'build' ? {
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { runtime: 'automatic', development: false } },
  } : {}),
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite --config src/web/vite.config.ts` next to `npm start`: the API and the event socket are proxied.
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
}));
