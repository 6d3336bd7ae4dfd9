/**
 * What the browser tests share: a headless Chromium (from the npm package
 * @sparticuz/chromium, so nothing is downloaded at run time), a static
 * server on 127.0.0.1, and an esbuild bundle of a page.
 */
import { once } from 'node:events';
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Chromium's flags. From @sparticuz/chromium's list, those that this
 * machine needs: no sandbox and no zygote (tests run as root, in a
 * container), and WebGL on SwiftShader (software, no GPU). Left out on
 * purpose: `--disable-web-security` and its
 * `--enable-features=SharedArrayBuffer`, which would give every page shared
 * memory, and `--single-process`, under which no page is cross-origin
 * isolated: threads must depend on COOP/COEP here as in a user's browser.
 */
const FLAGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-setuid-sandbox',
  '--no-default-browser-check',
  '--no-pings',
  '--disable-domain-reliability',
  '--ignore-gpu-blocklist',
  '--in-process-gpu',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-features=AudioServiceOutOfProcess',
];

/**
 * The flags of a Chromium for WebGPU, found by trying them (test/browser/webgpu
 * notes in COMPATIBILITY.md): `--enable-unsafe-webgpu` alone gives an adapter
 * (Dawn on SwiftShader's Vulkan: vendor "google", architecture "swiftshader";
 * without it `requestAdapter()` finds none in headless), but tfjs's
 * synchronous read (`dataSync`, which draws through an OffscreenCanvas
 * "webgpu" context) then returns zeros and destroys the device; with the GPU
 * process out of process and ANGLE and Vulkan both on SwiftShader, the
 * canvas path works too.
 */
const WEBGPU_FLAGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-setuid-sandbox',
  '--no-default-browser-check',
  '--no-pings',
  '--disable-domain-reliability',
  '--ignore-gpu-blocklist',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
  '--disable-features=AudioServiceOutOfProcess',
];

/**
 * Starts headless Chromium; `executablePath()` unpacks the binary into the
 * temporary folder on first use. `webgpu`: with the flags WebGPU needs here.
 */
export async function launchChromium({ webgpu = false }: { webgpu?: boolean } = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: webgpu ? WEBGPU_FLAGS : FLAGS,
    headless: 'shell',
    protocolTimeout: 120_000,
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.keras': 'application/octet-stream',
};

export interface Server {
  readonly url: string;
  /** Paths asked for, in order (e.g. to see when a chunk was loaded). */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves folders under URL prefixes (`{ '/': out, '/wasm/': dist/wasm }`),
 * on 127.0.0.1 at a free port. Paths under `/isolated/` are served from the
 * same folders with COOP and COEP headers, which make a page cross-origin
 * isolated (SharedArrayBuffer, so wasm threads).
 */
export async function serve(mounts: Record<string, string>): Promise<Server> {
  const requests: string[] = [];
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(path);
    const isolated = path.startsWith('/isolated/');
    if (isolated) {
      path = path.slice('/isolated'.length);
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (path.endsWith('/')) path += 'index.html';
    const prefix = prefixes.find((p) => path.startsWith(p));
    const folder = prefix == null ? undefined : mounts[prefix];
    const file = folder == null || prefix == null ? null : normalize(join(folder, path.slice(prefix.length)));
    if (
      file == null ||
      !file.startsWith(normalize(folder as string)) ||
      !statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Opens `url` in a new page and collects what the page reports: uncaught
 * errors and console errors, for the tests to assert there were none.
 */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${(error as Error).message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

/**
 * Bundles the test page (page/suite.ts) with esbuild for the browser, as a
 * user would (the package's `browser` condition picks its browser entry),
 * into a new temporary folder with an index.html; returns the folder.
 */
export async function bundleSuite(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'keras-regularizers-browser-'));
  await build({
    absWorkingDir: ROOT,
    entryPoints: { suite: join(ROOT, 'test/browser/page/suite.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: out,
    logLevel: 'error',
  });
  writeFileSync(
    join(out, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="./suite.js"></script>',
  );
  return out;
}
