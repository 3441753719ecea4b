/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build as rolldownBuild } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA talks to `meshlens serve` on its default port; in dev, Vite forwards /api there so the
// browser sees one origin (no CORS setup needed on the server).
const apiTarget = process.env.MESHLENS_API ?? 'http://127.0.0.1:20080';

/**
 * src/boot.ts runs before everything else: bundled on its own as a classic script (an IIFE, ~1 KB) that index.html
 * loads first, so it starts the page's first requests (api/early.ts) within milliseconds of the HTML, while the
 * module graph of main.tsx (React, the router: ~330 KB to read, compile and evaluate) is still on its way. As a
 * module script it would wait behind the compilation of that graph on the main thread (measured: ~300 ms later).
 * It is a file under assets/ named by its content's hash, so CSP's script-src 'self' allows it and browsers cache it
 * for good. In dev (vite serve) there is no boot script: the app asks for its data itself.
 */
function bootScript(): Plugin {
  let code = '';
  let fileName = '';
  return {
    name: 'meshlens-boot-script',
    apply: 'build',
    async buildStart() {
      const out = await rolldownBuild({
        input: fileURLToPath(new URL('./src/boot.ts', import.meta.url)),
        write: false,
        output: { format: 'iife', minify: true },
      });
      code = out.output[0].code;
      fileName = `assets/boot-${createHash('sha256').update(code).digest('base64url').slice(0, 8)}.js`;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'script', attrs: { src: `/${fileName}` }, injectTo: 'head-prepend' }],
    },
  };
}

export default defineConfig({
  plugins: [react(), bootScript()],
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
