// Bundles tfjs-core's gradient registrations (and its chained ops, `x.square()`)
// into one ESM file.
//
// Why: the CommonJS build of @tensorflow/tfjs-core that Node loads registers no
// gradients and no chained ops, and its ESM modules cannot be imported from
// Node (extensionless relative imports). tfjs-layers solves this by inlining
// the same modules into its own bundle; we do the same at build time. The
// registrations land in tfjs-core's global registries (gradients, the global
// Tensor class), so they serve whichever copy of tfjs-core the program uses.
//
// Usage: node scripts/bundle-tfjs-registrations.mjs [outDir ...]

import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDirs = process.argv.slice(2);
if (outDirs.length === 0) outDirs.push('src/backend/generated');

const declarations = join(root, 'src/backend/generated/tfjs-registrations.d.ts');

for (const outDir of outDirs) {
  const outfile = join(root, outDir, 'tfjs-registrations.js');
  mkdirSync(dirname(outfile), { recursive: true });
  const outDeclarations = join(root, outDir, 'tfjs-registrations.d.ts');
  if (outDeclarations !== declarations) copyFileSync(declarations, outDeclarations);
  await build({
    absWorkingDir: root,
    stdin: {
      contents: [
        "import '@tensorflow/tfjs-core/dist/register_all_gradients.js';",
        "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'tfjs-registrations.js',
    },
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
