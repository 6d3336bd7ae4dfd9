// Bundles the page (playground/src/main.ts) for the browser with esbuild, in
// memory, as a user's build would: `keras-regularizers` resolves through the
// package's `browser` export condition to its browser build in dist/ (run
// `npm run build` first), which has no Node built-in and starts nothing at
// import; the page starts the engine with `backend.ready()`.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '.bundle');

/** The page's scripts: URL path (e.g. `/main.js`) → bytes. */
export async function bundlePage() {
  const result = await esbuild.build({
    entryPoints: [join(here, 'src', 'main.ts')],
    outdir,
    bundle: true,
    // h5wasm (about 5 MB) is imported only when a model is exported: a chunk of its own.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    write: false,
    logLevel: 'error',
  });
  return new Map(
    result.outputFiles.map((file) => [`/${relative(outdir, file.path).split('\\').join('/')}`, file.contents]),
  );
}
