/**
 * A user's page (app/index.js) built with esbuild, Vite and webpack as
 * their users run them, each from a project that installed this package
 * (node_modules/keras-regularizers): each build succeeds with no Node
 * built-in in it, runs the Keras page example in Chromium on wasm, and
 * loads h5wasm only when saving runs. The sizes are printed for the README.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { launchChromium, openPage, ROOT, serve } from './harness.js';

const APP = join(ROOT, 'test/browser/app');
const BIN = join(ROOT, 'node_modules/.bin');

/** h5wasm's code is over 4 MB minified; our own and tfjs's together are about 1 MB. */
const H5WASM_AT_LEAST = 4_000_000;
/**
 * What a page may load before saving runs: tfjs-core with its cpu and wasm
 * backends, and this library (all 136 Keras layer classes since issue 23:
 * 1.32 MB with esbuild; h5wasm and dagre stay in chunks of their own).
 */
const INITIAL_AT_MOST = 1_400_000;

let project: string;
let browser: Browser;

/** Runs a command in `cwd`; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`)),
    );
  });
}

/** Every file under `folder`, relative, with its size. */
function filesOf(folder: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const name of readdirSync(folder, { recursive: true })) {
    const path = join(folder, String(name));
    const info = statSync(path);
    if (info.isFile()) files.set(relative(folder, path).replaceAll('\\', '/'), info.size);
  }
  return files;
}

/** The imports and requires of Node built-ins in the JavaScript files of `folder`, and Vite's stand-in for them. */
function nodeBuiltinsIn(folder: string): string[] {
  const found: string[] = [];
  for (const name of filesOf(folder).keys()) {
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(join(folder, name), 'utf8');
    for (const match of text.matchAll(/(?:from|import\(|require\()\s*["'](node:[\w/]+)["']|__vite-browser-external/g)) {
      found.push(`${name}: ${match[1] ?? match[0]}`);
    }
  }
  return found;
}

interface PageRun {
  example: { backend: string; total: number };
  roundTrip: { bytes: number; before: number[]; after: number[] };
  /** Bytes of JavaScript the page fetched before saving ran, and the paths it fetched after. */
  initialJs: number;
  loadedBySaving: string[];
  errors: string[];
}

/** Serves `folder`, opens `page` in Chromium, runs the example, then the round trip; reports what was fetched when. */
async function runPage(folder: string, page = '/index.html'): Promise<PageRun> {
  const server = await serve({ '/': folder });
  try {
    const { page: tab, errors } = await openPage(browser, `${server.url}${page}`);
    await tab.waitForFunction(() => 'app' in globalThis);
    const example = await tab.evaluate(
      () => (globalThis as never as { app: { example: Promise<PageRun['example']> } }).app.example,
    );
    const sizes = filesOf(folder);
    const fetchedBefore = new Set(server.requests);
    const initialJs = [...fetchedBefore]
      .filter((p) => p.endsWith('.js'))
      .reduce((sum, p) => sum + (sizes.get(p.slice(1)) ?? 0), 0);
    const roundTrip = await tab.evaluate(() =>
      (globalThis as never as { app: { roundTrip(): Promise<PageRun['roundTrip']> } }).app.roundTrip(),
    );
    const loadedBySaving = server.requests.filter((p) => !fetchedBefore.has(p));
    await tab.close();
    return { example, roundTrip, initialJs, loadedBySaving, errors };
  } finally {
    await server.close();
  }
}

/** A new project folder: the app's page and script, and this package installed as a link. */
function newProject(name: string, script = 'src/index.js'): string {
  const folder = join(project, name);
  mkdirSync(join(folder, 'src'), { recursive: true });
  mkdirSync(join(folder, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(folder, 'node_modules/keras-regularizers'), 'dir');
  cpSync(join(APP, 'index.js'), join(folder, 'src/index.js'));
  writeFileSync(
    join(folder, 'index.html'),
    readFileSync(join(APP, 'index.html'), 'utf8').replace('./index.js', `./${script}`),
  );
  return folder;
}

function assertRan(name: string, result: PageRun, lazy: boolean): void {
  assert.deepEqual(result.example, { backend: 'wasm', total: 5.25 }, `${name}: the Keras page example`);
  assert.deepEqual(result.roundTrip.after, result.roundTrip.before, `${name}: a .keras round trip`);
  assert.ok(result.roundTrip.bytes > 1000);
  assert.deepEqual(result.errors, [], `${name}: the page reported errors`);
  if (lazy) {
    assert.ok(result.initialJs <= INITIAL_AT_MOST, `${name}: ${result.initialJs} bytes of JavaScript before saving`);
    assert.ok(
      result.loadedBySaving.some((p) => p.endsWith('.js')),
      `${name}: saving loaded a chunk: ${result.loadedBySaving}`,
    );
  }
}

function report(name: string, files: Map<string, number>, result: PageRun): void {
  const js = [...files].filter(([file]) => file.endsWith('.js'));
  const largest = Math.max(...js.map(([, size]) => size));
  console.log(
    `${name}: ${js.length} JavaScript files, ${js.reduce((s, [, size]) => s + size, 0)} bytes in all; ${result.initialJs} bytes loaded at start; largest file ${largest} bytes; loaded by saving: ${result.loadedBySaving.join(', ') || 'nothing'}`,
  );
}

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'keras-regularizers-bundlers-'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project != null) rmSync(project, { recursive: true, force: true });
});

describe('bundlers with their default settings', () => {
  it('esbuild --bundle --format=esm --splitting --minify: 5.25 in Chromium, h5wasm in a chunk loaded only by saving', async () => {
    const folder = newProject('esbuild-esm', 'out/index.js');
    await run(
      join(BIN, 'esbuild'),
      ['src/index.js', '--bundle', '--format=esm', '--splitting', '--minify', '--outdir=out'],
      folder,
    );
    // esbuild does not copy files named by `new URL(…, import.meta.url)`: the README's step.
    cpSync(join(ROOT, 'dist/wasm'), join(folder, 'out/wasm'), { recursive: true });
    assert.deepEqual(nodeBuiltinsIn(join(folder, 'out')), []);
    const files = filesOf(join(folder, 'out'));
    const result = await runPage(folder);
    report('esbuild (esm, splitting)', files, result);
    assertRan('esbuild', result, true);
    const h5 = result.loadedBySaving.filter((p) => (files.get(p.slice('/out/'.length)) ?? 0) >= H5WASM_AT_LEAST);
    assert.equal(h5.length, 1, `h5wasm's chunk loaded by saving: ${result.loadedBySaving}`);
  });

  it('esbuild --bundle --minify (one IIFE file, no top-level await): runs, the .wasm files found beside the script', async () => {
    const folder = newProject('esbuild-iife', 'out/index.js');
    await run(
      join(BIN, 'esbuild'),
      ['src/index.js', '--bundle', '--minify', '--outdir=out', '--log-level=error'],
      folder,
    );
    cpSync(join(ROOT, 'dist/wasm'), join(folder, 'out/wasm'), { recursive: true });
    // A classic script: no type="module".
    writeFileSync(
      join(folder, 'index.html'),
      '<!doctype html><meta charset="utf-8"><script src="./out/index.js"></script>',
    );
    assert.deepEqual(nodeBuiltinsIn(join(folder, 'out')), []);
    const files = filesOf(join(folder, 'out'));
    const result = await runPage(folder);
    report('esbuild (iife, one file)', files, result);
    // One file: h5wasm is inside it (esbuild splits only ESM); the README says to use --splitting for a lazy h5wasm.
    assertRan('esbuild iife', result, false);
    assert.ok((files.get('index.js') ?? 0) >= H5WASM_AT_LEAST);
  });

  it('vite build: 5.25 in Chromium, the .wasm files emitted by Vite, h5wasm loaded only by saving', async () => {
    const folder = newProject('vite');
    await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], folder);
    const dist = join(folder, 'dist');
    assert.deepEqual(nodeBuiltinsIn(dist), []);
    const files = filesOf(dist);
    assert.equal([...files.keys()].filter((f) => f.endsWith('.wasm')).length, 3, 'the three .wasm binaries emitted');
    const result = await runPage(dist);
    report('vite', files, result);
    assertRan('vite', result, true);
  });

  it('webpack --mode production: 5.25 in Chromium, the .wasm files emitted by webpack, h5wasm loaded only by saving', async () => {
    const folder = newProject('webpack', 'dist/main.js');
    // A classic script, as webpack's default output is.
    writeFileSync(
      join(folder, 'index.html'),
      '<!doctype html><meta charset="utf-8"><script src="./dist/main.js"></script>',
    );
    await run(process.execPath, [join(ROOT, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'], folder);
    const dist = join(folder, 'dist');
    assert.deepEqual(nodeBuiltinsIn(dist), []);
    const files = filesOf(dist);
    assert.equal([...files.keys()].filter((f) => f.endsWith('.wasm')).length, 3, 'the three .wasm binaries emitted');
    const result = await runPage(folder);
    report('webpack', files, result);
    assertRan('webpack', result, true);
  });

  it('for comparison: tfjs-core with its cpu and wasm backends alone, esbuild --bundle --minify', async () => {
    const result = await build({
      stdin: {
        contents:
          "import * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu'; import '@tensorflow/tfjs-backend-wasm'; globalThis.tf = tf;",
        resolveDir: ROOT,
      },
      bundle: true,
      minify: true,
      platform: 'browser',
      write: false,
      logLevel: 'error',
    });
    const size = result.outputFiles[0]?.contents.length ?? 0;
    console.log(`tfjs-core + tfjs-backend-cpu + tfjs-backend-wasm alone: ${size} bytes`);
    assert.ok(size > 500_000 && size < INITIAL_AT_MOST, `${size} bytes`);
  });
});
