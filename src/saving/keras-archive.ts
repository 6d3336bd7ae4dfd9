/**
 * `.keras` archives in memory (browser-safe): a zip holding `metadata.json`,
 * `config.json` (the model's Keras JSON) and `model.weights.h5`, as Keras 3
 * writes them. Loading checks everything before it returns a model, and
 * frees a model that fails half way; the archive is read by the bounded
 * reader of zip-reader.ts, the model built within a weight budget.
 */
import { strFromU8, strToU8, zipSync } from 'fflate';
import { invalidArgument, ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { modelFromJSON, modelToJSON } from '../models/serialization.js';
import { formatValue } from '../utils/format.js';
import { buildWithinBudget } from './build-within-budget.js';
import { withH5File } from './h5-reader.js';
import { wantedEntries, zipLimits } from './load-limits.js';
import { type LoadOptions, readLoadOptions } from './load-options.js';
import { readLayerWeights, storedElements, writeWeightsH5 } from './weights-h5.js';
import { readZip } from './zip-reader.js';

/** The Keras version whose format we write. */
export const KERAS_FORMAT_VERSION = '3.16.0';

/** Weight elements a loaded model may create beyond twice those its file holds. */
const STORED_SLACK = 2 ** 20;

function dateSaved(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

function requireSequential(model: unknown, action: string): Sequential {
  if (!(model instanceof Sequential)) {
    throw new ValueError(
      `Only Sequential models can be ${action} as .keras files for now. Received: ${formatValue(model)}`,
      { argument: 'model', expected: 'a Sequential model', received: formatValue(model) },
    );
  }
  if (!model.built) {
    throw new ValueError(`Model "${model.name}" is not built: give it an Input or call it once before saving.`, {
      argument: 'model',
      expected: 'a built model',
      received: 'a model that is not built',
    });
  }
  return model;
}

/** The model as the bytes of a `.keras` file. */
export async function saveModelToBytes(model: Model): Promise<Uint8Array> {
  const sequential = requireSequential(model, 'saved');
  const weights = await writeWeightsH5(sequential.name, sequential.layers);
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(new Date()) };
  return zipSync(
    {
      'metadata.json': strToU8(JSON.stringify(metadata)),
      'config.json': strToU8(JSON.stringify(modelToJSON(sequential))),
      'model.weights.h5': weights,
    },
    { level: 0 },
  );
}

/**
 * A model from the bytes of a `.keras` file: built from `config.json`,
 * compiled from its `compile_config`, with the weights of `model.weights.h5`.
 */
export async function loadModelFromBytes(bytes: Uint8Array, options: LoadOptions = {}): Promise<Model> {
  const { deserialize, maxWeights } = readLoadOptions('loadModelFromBytes', options);
  if (!(bytes instanceof Uint8Array)) {
    throw invalidArgument('bytes', 'a Uint8Array', bytes);
  }
  const entries = readZip(bytes, wantedEntries(maxWeights), zipLimits(maxWeights));
  for (const name of ['config.json', 'model.weights.h5']) {
    if (!entries.has(name)) {
      throw new ValueError(`The .keras file has no ${name}.`, {
        argument: name,
        expected: 'config.json and model.weights.h5',
        received: `entries without ${name}`,
      });
    }
  }
  let config: unknown;
  try {
    config = JSON.parse(strFromU8(entries.get('config.json') as Uint8Array));
  } catch (error) {
    throw new ValueError(`config.json is not valid JSON: ${(error as Error).message}`, {
      argument: 'config.json',
      expected: 'JSON text',
      received: (error as Error).message,
    });
  }
  return withH5File(entries.get('model.weights.h5') as Uint8Array, (file) => {
    const budget = weightBudget(storedElements(file), maxWeights);
    const model = buildWithinBudget(budget.limit, () => modelFromJSON(config, deserialize), budget.source);
    try {
      const sequential = requireSequential(model, 'loaded');
      sequential.setWeights(readLayerWeights(file, sequential.layers).flat());
      return sequential;
    } catch (error) {
      model.dispose();
      throw error;
    }
  });
}

/**
 * The weights a model loaded from a file may create: no more than the file
 * holds (twice that, and 2^20 elements more, so that a model slightly off
 * still gets to the error naming the weight that differs), nor than
 * `maxWeights`. A 2 KB config asking for gigabytes is so refused at its
 * first large weight, before the engine allocates it.
 */
function weightBudget(stored: number, maxWeights: number): { limit: number; source: string } {
  const fromFile = 2 * stored + STORED_SLACK;
  if (fromFile >= maxWeights) return { limit: maxWeights, source: 'maxWeights' };
  return { limit: fromFile, source: `model.weights.h5 holds ${stored} elements` };
}
