/**
 * The console's build: a static single-page app served under `/console/` (by `npm start` locally, by
 * CloudFront on AWS). JSX is Preact's (automatic runtime); no inline scripts or styles, so the
 * content security policy can stay `script-src 'self'; style-src 'self'`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Vite's module preload polyfill is an inline script: the CSP forbids those, and every browser the
    // console supports preloads modules natively.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
