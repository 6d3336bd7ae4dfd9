// Finishes the browser build after tsc: copies tfjs-backend-wasm's binaries
// to dist/wasm/ (where src/wasm-binaries.ts looks for them, and whence Vite
// and webpack emit them), and bundles the browser entry with its
// dependencies into dist/keras-regularizers.browser.js for a plain
// `<script type="module">` (tfjs-core's own ESM files cannot be loaded
// unbundled: their imports have no extensions). h5wasm stays a chunk of
// its own, loaded only when saving or loading runs.
//
// Usage: node scripts/build-browser.mjs

import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const binaries = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

mkdirSync(join(dist, 'wasm'), { recursive: true });
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(binaries, name), join(dist, 'wasm', name));
}

// Chunks of an earlier build would otherwise pile up under new hashes.
rmSync(join(dist, 'browser-chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'keras-regularizers.browser': join(dist, 'browser.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  minify: true,
  // The entry in dist/ itself, so that './wasm/…' from its import.meta.url names dist/wasm/, as from dist/browser.js.
  outdir: dist,
  chunkNames: 'browser-chunks/[hash]',
  legalComments: 'eof',
  logLevel: 'warning',
});
