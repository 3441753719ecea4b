/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA talks to `meshlens serve` on its default port; in dev, Vite forwards /api there so the
// browser sees one origin (no CORS setup needed on the server).
const apiTarget = process.env.MESHLENS_API ?? 'http://127.0.0.1:20080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: true } } },
  preview: { proxy: { '/api': { target: apiTarget, changeOrigin: true } } },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // Each page family is its own chunk (router/routes/*); the graph's (cytoscape, dagre, uPlot) is the largest.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // React, the router and the query cache: what every page needs, in one chunk with a name that says so.
        codeSplitting: {
          groups: [{ name: 'framework', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|@tanstack[\\/](react-router|router-core|history|react-store|store|react-query|query-core))[\\/]/ }],
        },
      },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
