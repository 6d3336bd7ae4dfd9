/**
 * Saving and loading where there are no file paths (the browser; Node too):
 * a model from what a page has at hand, the `File` of a file input, a
 * `Blob`, a `fetch()` `Response`, an `ArrayBuffer` or bytes; and a model or
 * its weights offered as a download. The bytes go through
 * `loadModelFromBytes` / `loadWeightsFromBytes`, with their checks; a source
 * larger than the limit those would apply is refused before it is read.
 */
import { invalidArgument, ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { platform } from '../platform/platform.js';
import { formatValue } from '../utils/format.js';
import { loadModelFromBytes, saveModelToBytes } from './keras-archive.js';
import { archiveFileLimit, DEFAULT_MAX_WEIGHTS, weightsFileLimit } from './load-limits.js';
import { type LoadOptions, readLoadOptions } from './load-options.js';
import { loadWeightsFromBytes, saveWeightsToBytes } from './weights-file.js';

/** What `loadModelFrom` and `loadWeightsFrom` read. */
export type ByteSource = Uint8Array | ArrayBuffer | Blob | Response;

const SOURCE = 'a Uint8Array, an ArrayBuffer, a Blob or File, or a fetch() Response';

function tooLarge(argument: string, size: number, limit: number): ValueError {
  return new ValueError(`${argument} is ${size} bytes, over the ${limit}-byte limit.`, {
    argument,
    expected: `at most ${limit} bytes`,
    received: `${size} bytes`,
  });
}

/** The bytes of `source`, refusing one over `limit` bytes before reading it where its size is known. */
export async function bytesOf(source: unknown, limit: number, argument = 'source'): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob === 'function' && source instanceof Blob) {
    if (source.size > limit) throw tooLarge(argument, source.size, limit);
    return new Uint8Array(await source.arrayBuffer());
  }
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) {
      throw new ValueError(`${argument}: the request for ${source.url || 'the file'} answered HTTP ${source.status}.`, {
        argument,
        expected: 'a response with status 200-299',
        received: `HTTP ${source.status}`,
      });
    }
    const declared = Number(source.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(argument, declared, limit);
    const bytes = new Uint8Array(await source.arrayBuffer());
    if (bytes.length > limit) throw tooLarge(argument, bytes.length, limit);
    return bytes;
  }
  throw invalidArgument(argument, SOURCE, source);
}

/**
 * Loads a `.keras` file (or a legacy `.h5` model file) from `source`: the
 * `File` of an `<input type="file">`, a `Blob`, a `fetch()` `Response`, an
 * `ArrayBuffer` or a `Uint8Array`. Options as `loadModelFromBytes`.
 *
 * @example const model = await saving.loadModelFrom(await fetch('/models/mnist.keras'));
 */
export async function loadModelFrom(source: ByteSource, options: LoadOptions = {}): Promise<Model> {
  const { maxWeights } = readLoadOptions('loadModelFrom', options);
  return loadModelFromBytes(await bytesOf(source, archiveFileLimit(maxWeights)), options);
}

/** Loads the weights of a `.weights.h5` file from `source` (as `loadModelFrom` takes it) into `model`. */
export async function loadWeightsFrom(model: Model, source: ByteSource): Promise<void> {
  await loadWeightsFromBytes(model, await bytesOf(source, weightsFileLimit(DEFAULT_MAX_WEIGHTS)));
}

function checkFilename(filename: unknown, suffix: string): string {
  if (typeof filename !== 'string' || !filename.endsWith(suffix) || filename === suffix || /[\\/]/.test(filename)) {
    throw new ValueError(
      `Invalid filename: expected a file name ending in ${suffix}, without folders. Received: filename=${formatValue(filename)}`,
      { argument: 'filename', expected: `a file name ending in ${suffix}`, received: formatValue(filename) },
    );
  }
  return filename;
}

/** The platform, where it can offer a download: checked before the model is saved. */
function downloader(save: string): (bytes: Uint8Array, filename: string, mimeType: string) => void {
  const target = platform();
  if (target.name !== 'browser') {
    throw new ValueError(`A download needs a browser. In Node, save to a file: saving.${save}.`, {
      argument: 'filename',
      expected: 'a browser page',
      received: target.name,
    });
  }
  return target.download;
}

/**
 * Offers `model` as a `.keras` file download (the browser's "save as"),
 * named `filename`. In Node it refuses: save to a path with `saveModel`.
 */
export async function downloadModel(model: Model, filename = 'model.keras'): Promise<void> {
  const name = checkFilename(filename, '.keras');
  const download = downloader('saveModel(model, "model.keras")');
  download(await saveModelToBytes(model), name, 'application/octet-stream');
}

/** Offers the model's weights as a `.weights.h5` file download, named `filename`. */
export async function downloadWeights(model: Model, filename = 'model.weights.h5'): Promise<void> {
  const name = checkFilename(filename, '.weights.h5');
  const download = downloader('saveWeights(model, "model.weights.h5")');
  download(await saveWeightsToBytes(model), name, 'application/x-hdf5');
}
