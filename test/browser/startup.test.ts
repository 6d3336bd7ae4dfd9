/**
 * Start-up in a real browser: where the `.wasm` binaries come from and what
 * a page that does not serve them is told, threads only in a cross-origin
 * isolated page, settings given too late, and saving without a file system
 * (path calls refused with what to use instead; a download offered).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { bundleSuite, launchChromium, openPage, ROOT, type Server, serve } from './harness.js';
import type { Suite } from './page/suite.js';

let out: string;
let server: Server;
let browser: Browser;

before(async () => {
  out = await bundleSuite();
  // The binaries at /wasm/ beside the bundle, and again at /elsewhere/ for wasmPaths.
  const wasm = join(ROOT, 'dist/wasm');
  server = await serve({ '/': out, '/wasm/': wasm, '/elsewhere/': wasm, '/bare/': out });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (out != null) rmSync(out, { recursive: true, force: true });
});

type Suited = { suite: Suite };

/** Opens a fresh page at `path` with the suite loaded; collects its console errors and warnings. */
async function fresh(path: string): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
  const { page, errors } = await openPage(browser, `${server.url}${path}`);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warn') warnings.push(message.text());
  });
  await page.waitForFunction(() => 'suite' in globalThis);
  return { page, errors, warnings };
}

describe('the .wasm binaries', () => {
  it('a page without them: ready({ backend: "wasm" }) names the URL, the 404 and what to serve; ready() runs cpu and warns; wasmPaths then finds them', async () => {
    const { page, errors, warnings } = await fresh('/bare/');
    const explicit = await page.evaluate(() => {
      const { suite } = globalThis as never as Suited;
      return suite.errorOf(() => suite.backend.ready({ backend: 'wasm' }));
    });
    assert.equal(explicit?.name, 'ValueError');
    assert.equal(explicit?.argument, 'wasmPaths');
    const binary = `${server.url}/bare/wasm/tfjs-backend-wasm-simd.wasm`;
    assert.equal(
      explicit?.message,
      `Backend "wasm" failed to start. The wasm backend needs tfjs-backend-wasm-simd.wasm, and ${binary} answered HTTP 404. Serve the files of node_modules/keras-regularizers/dist/wasm/ (tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm) at ${server.url}/bare/wasm/, or say where they are: await backend.ready({ wasmPaths: '/path/to/wasm/' }). Or run on cpu: await backend.ready({ backend: 'cpu' }).`,
    );
    const fallback = await page.evaluate(() => (globalThis as never as Suited).suite.backend.ready());
    assert.equal(fallback, 'cpu');
    assert.ok(
      warnings.some((w) =>
        w.startsWith('keras-regularizers runs on cpu: The wasm backend needs tfjs-backend-wasm-simd.wasm'),
      ),
      warnings.join('\n'),
    );
    const found = await page.evaluate(() =>
      (globalThis as never as Suited).suite.backend.ready({ backend: 'wasm', wasmPaths: '/elsewhere/' }),
    );
    assert.equal(found, 'wasm');
    // The browser's own network log, one per attempt; nothing from Emscripten (we fetch the binary, it never sees a 404).
    assert.deepEqual(errors, [
      'console.error: Failed to load resource: the server responded with a status of 404 (Not Found)',
      'console.error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ]);
    await page.close();
  });
});

describe('wasm threads', () => {
  it('a page that is not cross-origin isolated runs the single-threaded build', async () => {
    const { page, errors } = await fresh('/');
    const info = await page.evaluate(async () => {
      const { suite } = globalThis as never as Suited;
      await suite.backend.ready({ backend: 'wasm' });
      return suite.wasmInfo();
    });
    assert.deepEqual(info, { threads: 1, shared: false, crossOriginIsolated: false });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('with COOP and COEP (cross-origin isolated), the threaded build with the threads asked for', async () => {
    const { page, errors } = await fresh('/isolated/');
    const info = await page.evaluate(async () => {
      const { suite } = globalThis as never as Suited;
      await suite.backend.ready({ backend: 'wasm', threads: 2 });
      const result = suite.pageExamples();
      return { ...suite.wasmInfo(), total: result.total, cores: navigator.hardwareConcurrency };
    });
    // tfjs caps XNNPACK's pool at half the logical cores (it assumes two hyperthreads per core): 1 on a 2-core machine.
    const threads = Math.max(1, Math.min(2, Math.floor(info.cores / 2)));
    assert.deepEqual(info, { threads, shared: true, crossOriginIsolated: true, total: [5.25], cores: info.cores });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('settings too late: refused while a tensor lives on wasm; with none, ready({ threads }) starts wasm anew', async () => {
    const { page, errors } = await fresh('/isolated/');
    const result = await page.evaluate(async () => {
      const { suite } = globalThis as never as Suited;
      await suite.backend.ready({ backend: 'wasm', threads: 2 });
      const kept = suite.tf.ones([2]);
      const viaReady = await suite.errorOf(() => suite.backend.ready({ threads: 1 }));
      const viaSetter = await suite.errorOf(() => suite.backend.setThreadsCount(1));
      const pathsViaSetter = await suite.errorOf(() => suite.backend.setWasmPaths('/elsewhere/'));
      kept.dispose();
      await suite.backend.ready({ threads: 1 });
      return { viaReady, viaSetter, pathsViaSetter, after: suite.wasmInfo(), total: suite.pageExamples().total };
    });
    assert.equal(result.viaReady?.argument, 'threads');
    assert.equal(
      result.viaReady?.message,
      'Too late to set threads: the wasm backend already started, and 1 tensor(s) live on it. Call backend.ready({ threads }) before making any tensor. Received: threads=1',
    );
    assert.equal(result.viaSetter?.argument, 'threads');
    assert.match(
      result.viaSetter?.message ?? '',
      /^Too late to set threads: the wasm backend has started, and tfjs would ignore it\./,
    );
    assert.equal(result.pathsViaSetter?.argument, 'wasmPaths');
    assert.deepEqual(result.after, { threads: 1, shared: true, crossOriginIsolated: true });
    assert.deepEqual(result.total, [5.25]);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('saving without a file system', () => {
  it('saveModel and loadModel with a path say what to use instead; downloadModel offers the .keras file', async () => {
    const { page, errors } = await fresh('/');
    const result = await page.evaluate(async () => {
      const { suite } = globalThis as never as Suited;
      await suite.backend.ready({ backend: 'cpu' });
      const model = suite.regularizedModel();
      const save = await suite.errorOf(() => suite.saving.saveModel(model, 'model.keras'));
      const load = await suite.errorOf(() => suite.saving.loadModel('model.keras'));
      const badName = await suite.errorOf(() => suite.saving.downloadModel(model, 'model.h5'));
      model.dispose();
      return { save, load, badName, download: await suite.downloaded() };
    });
    assert.equal(result.save?.argument, 'filepath');
    assert.equal(
      result.save?.message,
      'Saving to a file path needs a file system, which the browser does not have. Use saving.saveModelToBytes(model), or saving.downloadModel(model, "model.keras") instead.',
    );
    assert.equal(
      result.load?.message,
      'Loading from a file path needs a file system, which the browser does not have. Use the bytes variants, e.g. saving.loadModelFromBytes(bytes) with the bytes of a file input or a fetch() instead.',
    );
    assert.equal(
      result.badName?.message,
      'Invalid filename: expected a file name ending in .keras, without folders. Received: filename="model.h5"',
    );
    assert.deepEqual(result.download, { clicks: 1, name: 'regularized.keras', same: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
