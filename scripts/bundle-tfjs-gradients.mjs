// Bundles tfjs-core's gradient registrations into one ESM file.
//
// Why: the CommonJS build of @tensorflow/tfjs-core that Node loads registers no
// gradients, and its ESM `dist/register_all_gradients.js` cannot be imported
// from Node (extensionless relative imports). tfjs-layers solves this by
// inlining the same module into its own bundle; we do the same at build time.
// The registrations land in tfjs-core's global gradient registry, so they
// serve whichever copy of tfjs-core the program uses.
//
// Usage: node scripts/bundle-tfjs-gradients.mjs [outDir ...]

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDirs = process.argv.slice(2);
if (outDirs.length === 0) outDirs.push('src/backend/generated');

for (const outDir of outDirs) {
  const outfile = join(root, outDir, 'tfjs-gradients.js');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['@tensorflow/tfjs-core/dist/register_all_gradients.js'],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'eof',
    outfile,
    logLevel: 'warning',
  });
}
