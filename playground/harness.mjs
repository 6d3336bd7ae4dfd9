// Drives the playground in headless Chromium (@sparticuz/chromium, run by
// puppeteer-core): for test/playground.test.ts and scripts/playground-screenshot.mjs.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';

const server = join(dirname(fileURLToPath(import.meta.url)), 'server.mjs');

/** The server `npm run playground` starts (after building), on a free port; resolves once it prints its address. */
export function startPlayground() {
  const child = spawn(process.execPath, [server, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test or script that fails before close() must not leave the server running.
  const stop = () => child.kill();
  process.once('exit', stop);
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk) => {
      output += String(chunk);
      const address = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (address != null) {
        resolve({
          url: address[0],
          close: () => {
            process.off('exit', stop);
            stop();
          },
        });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => reject(new Error(`The playground server exited (${code}) before serving:\n${output}`)));
  });
}

/**
 * @sparticuz/chromium's flags, less those that run every site in one process
 * without site isolation (made for serverless hosts): a page is cross-origin
 * isolated only with site isolation on, and the playground's wasm backend
 * runs threaded only in a cross-origin isolated page, as in a desktop browser.
 */
function chromiumArgs() {
  const oneProcess = new Set([
    '--single-process',
    '--no-zygote',
    '--disable-site-isolation-trials',
    '--disable-web-security',
  ]);
  return chromium.args
    .filter((arg) => !oneProcess.has(arg))
    .map((arg) =>
      arg.startsWith('--disable-features=') ? withoutFeatures(arg, ['IsolateOrigins', 'site-per-process']) : arg,
    );
}

function withoutFeatures(arg, features) {
  const kept = arg
    .slice('--disable-features='.length)
    .split(',')
    .filter((feature) => !features.includes(feature));
  return `--disable-features=${kept.join(',')}`;
}

export async function launchChromium({ width = 1400, height = 1000 } = {}) {
  return puppeteer.launch({
    args: puppeteer.defaultArgs({ args: chromiumArgs(), headless: 'shell' }),
    executablePath: await chromium.executablePath(),
    headless: 'shell',
    defaultViewport: { width, height },
  });
}

/** Opens the page and waits until it has its digits and both networks; page errors are collected in `errors`. */
export async function openPlayground(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready != null, { timeout: 60_000 });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== 'true') throw new Error(`The playground did not start: ${errors.join('\n')}`);
  return { page, errors };
}

/** A selector inside the regularizer row of run `run` ("A" or "B"), layer and slot. */
export function slotSelector(run, layer, slot, inner) {
  return `#run-${run.toLowerCase()} tr[data-layer="${layer}"][data-slot="${slot}"] ${inner}`;
}

/** Chooses a regularizer kind, then types each factor as a user would (the field commits on Enter). */
export async function chooseRegularizer(page, run, layer, slot, kind, factors = {}) {
  await page.select(slotSelector(run, layer, slot, 'select.kind'), kind);
  for (const [name, text] of Object.entries(factors)) await typeFactor(page, run, layer, slot, name, text);
}

export async function typeFactor(page, run, layer, slot, name, text) {
  const field = slotSelector(run, layer, slot, `input[type="text"][data-factor="${name}"]`);
  await page.click(field, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(field, text);
  await page.keyboard.press('Enter');
}

/** Trains `steps` steps with the toolbar's step count and button, and waits until they are done. */
export async function trainSteps(page, steps, timeout = 120_000) {
  const target = (await page.evaluate(() => window.playground.step())) + steps;
  await page.$eval(
    '#steps',
    (input, value) => {
      input.value = value;
    },
    String(steps),
  );
  await page.click('#train-steps');
  await page.waitForFunction(
    (t) => window.playground.step() >= t && !window.playground.running(),
    { timeout, polling: 50 },
    target,
  );
}

/** Clicks a run's "Export .keras" and returns the downloaded file's bytes. */
export async function exportKeras(page, run) {
  const folder = await mkdtemp(join(tmpdir(), 'playground-download-'));
  const session = await page.createCDPSession();
  try {
    await session.send('Browser.setDownloadBehavior', {
      behavior: 'allowAndName',
      downloadPath: folder,
      eventsEnabled: true,
    });
    const done = new Promise((resolve, reject) => {
      session.on('Browser.downloadProgress', (event) => {
        if (event.state === 'completed') resolve(event.guid);
        if (event.state === 'canceled') reject(new Error('The download was canceled.'));
      });
    });
    await page.click(`#run-${run.toLowerCase()} button.export`);
    const guid = await done;
    return new Uint8Array(await readFile(join(folder, guid)));
  } finally {
    await session.detach();
    await rm(folder, { recursive: true, force: true });
  }
}
