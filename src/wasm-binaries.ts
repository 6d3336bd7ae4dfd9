/**
 * Where the browser build finds tfjs-backend-wasm's binaries: the copies
 * the build puts in `dist/wasm/`, next to this module's output.
 *
 * Why `new URL('./wasm/…', import.meta.url)`, one literal per file: Vite and
 * webpack recognise exactly this form, emit the file with the bundle and
 * rewrite the URL to where they put it; esbuild keeps the expression, so the
 * files are looked for in `wasm/` beside the bundle (the error on a missing
 * file says so). The module sits at the root of src/ so that the same
 * relative URL holds for dist/browser.js and the prebuilt bundle beside it.
 */

/**
 * The script this module runs in, for a classic-script (IIFE) bundle, which
 * has no `import.meta.url`: only while the script runs does the page say
 * which script that is.
 */
const classicScript =
  typeof document === 'object' ? (document.currentScript as HTMLScriptElement | null)?.src : undefined;

function urls(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('./wasm/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./wasm/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./wasm/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url)
      .href,
  };
}

/** The URL of each binary by its name, or null where neither this module's nor its script's URL is known. */
export function shippedWasmBinaries(): Record<string, string> | null {
  try {
    return urls();
  } catch {
    // No import.meta.url: esbuild's IIFE output makes it undefined.
  }
  if (classicScript == null || classicScript === '') return null;
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  return Object.fromEntries(names.map((name) => [name, new URL(`./wasm/${name}`, classicScript).href]));
}
