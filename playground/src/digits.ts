/**
 * The digits the page trains on: playground/data/*.u8.gz, written by
 * playground/make-data.mjs as gzipped records of 1 label byte + 784 pixels.
 */
import * as tf from '@tensorflow/tfjs-core';

export const PIXELS = 28 * 28;
const RECORD = 1 + PIXELS;

export interface Digits {
  count: number;
  /** `count` rows of 784 bytes, 0 (white) to 255 (black). */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** Splits the records of a data file. */
export function decodeDigits(bytes: Uint8Array): Digits {
  if (bytes.length % RECORD !== 0)
    throw new Error(`A digits file holds records of ${RECORD} bytes; got ${bytes.length}.`);
  const count = bytes.length / RECORD;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = bytes[i * RECORD] as number;
    pixels.set(bytes.subarray(i * RECORD + 1, (i + 1) * RECORD), i * PIXELS);
  }
  return { count, pixels, labels };
}

/** Fetches and unzips a data file with the browser's own gzip stream. */
export async function fetchDigits(url: string): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}.`);
  // Read whole before unzipping: the gzip stream ends on its footer and would cancel the download's last read.
  const zipped = new Blob([await response.arrayBuffer()]);
  const unzipped = zipped.stream().pipeThrough(new DecompressionStream('gzip'));
  return decodeDigits(new Uint8Array(await new Response(unzipped).arrayBuffer()));
}

/** The model's inputs (pixels scaled to 0..1) and sparse labels. */
export function digitTensors(digits: Digits): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return {
    x: tf.tensor2d(
      Float32Array.from(digits.pixels, (v) => v / 255),
      [digits.count, PIXELS],
    ),
    y: tf.tensor1d(Float32Array.from(digits.labels)),
  };
}
