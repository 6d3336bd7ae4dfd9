// Full-page screenshot of the demo's report (reports/mnist/index.html, written
// by `npm run demo`) in headless Chromium: reports/mnist/report.png.
// `node scripts/demo-report-screenshot.mjs [report.html] [out.png]`
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// The playground's launcher: @sparticuz/chromium's binary with flags for a desktop-like page, not Lambda's.
import { launchChromium } from '../playground/harness.mjs';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports', 'mnist');
const report = resolve(process.argv[2] ?? join(folder, 'index.html'));
const output = resolve(process.argv[3] ?? join(folder, 'report.png'));
if (!existsSync(report)) {
  console.error(`No report at ${report}: run \`npm run demo\` first.`);
  process.exit(1);
}

const browser = await launchChromium({ width: 1200, height: 900 });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('requestfailed', (request) => errors.push(`${request.url().slice(0, 80)}: ${request.failure()?.errorText}`));
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  // Every weight image decoded (a broken data URL would show as an empty box).
  const images = await page.$$eval('img', (all) =>
    all.map((img) => ({ alt: img.alt, ok: img.complete && img.naturalWidth > 0 })),
  );
  for (const image of images) if (!image.ok) errors.push(`image not decoded: ${image.alt}`);
  const size = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    tables: document.querySelectorAll('table').length,
    charts: document.querySelectorAll('svg.chart').length,
  }));
  await page.screenshot({ path: output, fullPage: true });
  console.log(
    `Wrote ${output}: ${size.width}x${size.height} px, ${size.tables} tables, ${size.charts} charts, ${images.length} weight images.`,
  );
  if (errors.length > 0) {
    console.error(`Page errors:\n${errors.join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
}
