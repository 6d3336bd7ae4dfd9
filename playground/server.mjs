// `npm run playground`: bundles the page and serves it on 127.0.0.1, with the
// headers that make it cross-origin isolated (so wasm runs threaded).
// Options: --port N (default 8080; 0 picks a free port), printed on start.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundlePage } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, '..', 'dist', 'wasm');
const HOST = '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  // The data files are gzip streams the page unzips itself: not a Content-Encoding.
  '.gz': 'application/octet-stream',
};

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535; got ${values.port}.`);
  process.exit(2);
}

if (!existsSync(wasmDir)) {
  console.error('The library is not built: run `npm run build` first (`npm run playground` does).');
  process.exit(1);
}
// Every file the page may ask for, read once: nothing outside this list is served.
const files = await bundlePage();
for (const name of ['index.html', 'style.css', 'data/train.u8.gz', 'data/validation.u8.gz']) {
  files.set(`/${name}`, readFileSync(join(here, name)));
}
// The wasm backend's binaries, which the library's browser build looks for in wasm/ beside the bundle.
for (const name of readdirSync(wasmDir).filter((file) => file.endsWith('.wasm'))) {
  files.set(`/wasm/${name}`, readFileSync(join(wasmDir, name)));
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', `http://${HOST}`).pathname;
  const body = files.get(path === '/' ? '/index.html' : path);
  if (body == null || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${path}\n`);
    return;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
    // Cross-origin isolation: the browser then gives SharedArrayBuffer, and the wasm backend runs threaded.
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
});
server.on('error', (error) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is in use; pick another with --port N.`
      : `Server error: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, HOST, () => {
  console.log(`Regularization playground: http://${HOST}:${server.address().port}/`);
});
