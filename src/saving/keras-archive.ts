/**
 * `.keras` archives in memory (browser-safe): a zip holding `metadata.json`,
 * `config.json` (the model's Keras JSON) and `model.weights.h5`, as Keras 3
 * writes them. Loading checks everything before it returns a model, and
 * frees a model that fails half way.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { invalidArgument, ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { modelFromJSON, modelToJSON } from '../models/serialization.js';
import type { DeserializeOptions } from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { readWeightsH5, writeWeightsH5 } from './weights-h5.js';

/** The Keras version whose format we write. */
export const KERAS_FORMAT_VERSION = '3.16.0';

const ENTRY_LIMITS: Readonly<Record<string, number>> = {
  'metadata.json': 1 << 20,
  'config.json': 64 << 20,
  // The largest typed array a JavaScript engine reliably allocates.
  'model.weights.h5': 2 ** 31 - 1,
};

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

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, {
      filter: (entry) => {
        const limit = ENTRY_LIMITS[entry.name];
        if (limit == null) return false;
        if (entry.originalSize > limit) {
          throw new ValueError(`${entry.name} is ${entry.originalSize} bytes, over the ${limit}-byte limit.`, {
            argument: entry.name,
            expected: `at most ${limit} bytes`,
            received: `${entry.originalSize} bytes`,
          });
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw new ValueError(`Not a readable .keras file (a zip archive): ${(error as Error).message}`, {
      argument: 'file',
      expected: 'a .keras zip archive',
    });
  }
}

/**
 * A model from the bytes of a `.keras` file: built from `config.json`,
 * compiled from its `compile_config`, with the weights of `model.weights.h5`.
 */
export async function loadModelFromBytes(
  bytes: Uint8Array,
  options: DeserializeOptions & { compile?: boolean } = {},
): Promise<Model> {
  if (!(bytes instanceof Uint8Array)) {
    throw invalidArgument('bytes', 'a Uint8Array', bytes);
  }
  const entries = unzip(bytes);
  for (const name of ['config.json', 'model.weights.h5']) {
    if (entries[name] == null) {
      throw new ValueError(`The .keras file has no ${name}.`, {
        argument: name,
        expected: 'config.json and model.weights.h5',
      });
    }
  }
  let config: unknown;
  try {
    config = JSON.parse(strFromU8(entries['config.json'] as Uint8Array));
  } catch (error) {
    throw new ValueError(`config.json is not valid JSON: ${(error as Error).message}`, { argument: 'config.json' });
  }
  const model = modelFromJSON(config, options);
  try {
    const sequential = requireSequential(model, 'loaded');
    const values = await readWeightsH5(entries['model.weights.h5'] as Uint8Array, sequential.layers);
    sequential.setWeights(values.flat());
    return sequential;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
