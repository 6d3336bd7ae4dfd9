/**
 * `.keras` archives in memory (browser-safe): a zip holding `metadata.json`,
 * `config.json` (the model's Keras JSON) and `model.weights.h5`, as Keras 3
 * writes them, for Sequential and Functional models (nested ones included).
 * Loading checks everything before it returns a model, and frees a model
 * that fails half way; the archive is read by the bounded reader of
 * zip-reader.ts, the config's layers are counted before any is made, and
 * the model is built within a weight budget.
 */
import { strFromU8, strToU8, zipSync } from 'fflate';
import { invalidArgument, ValueError } from '../errors.js';
import { Functional } from '../models/functional/functional.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { modelFromJSON, modelToJSON } from '../models/serialization.js';
import { checkArity } from '../utils/arity.js';
import { formatValue } from '../utils/format.js';
import { assetsToSave, loadAssets } from './assets.js';
import { buildWithinBudget } from './build-within-budget.js';
import { withH5File } from './h5-reader.js';
import { kerasJsonText } from './keras-json-text.js';
import { isHdf5, LABEL as LEGACY_H5, loadLegacyH5 } from './legacy-h5/read.js';
import { archiveFileLimit, surveyBounds, surveyConfig, wantedEntries, zipLimits } from './load-limits.js';
import { type LoadOptions, readLoadOptions } from './load-options.js';
import { applyOptimizerState, optimizerStateToSave, readOptimizerState } from './optimizer-state.js';
import { assignWeights, readModelWeights, storedElements, writeWeightsH5 } from './weights-h5.js';
import { readZip } from './zip-reader.js';

/** The Keras version whose format we write. */
export const KERAS_FORMAT_VERSION = '3.16.0';

/** Weight elements a loaded model may create beyond twice those its file holds. */
const STORED_SLACK = 2 ** 20;

function dateSaved(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/** A model Keras can rebuild from its config: Sequential or Functional, built. */
export function requireSavable(model: unknown): Sequential | Functional {
  if (!(model instanceof Sequential || model instanceof Functional)) {
    throw new ValueError(
      `Only Sequential and Functional models can be saved as .keras files: Keras rebuilds a model from its config, and a subclassed model's code is not in it. Save its weights with model.saveWeights(). Received: ${formatValue(model)}`,
      { argument: 'model', expected: 'a Sequential or Functional model', received: formatValue(model) },
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
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.saveModelToBytes', arguments.length, ['model']);
  const savable = requireSavable(model);
  const weights = await writeWeightsH5(savable, optimizerStateToSave(savable));
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(new Date()) };
  return zipSync(
    {
      'metadata.json': strToU8(JSON.stringify(metadata)),
      'config.json': strToU8(kerasJsonText(modelToJSON(savable))),
      'model.weights.h5': weights,
      ...assetsToSave(savable),
    },
    { level: 0 },
  );
}

/**
 * A model from the bytes of a `.keras` file: built from `config.json`,
 * compiled from its `compile_config`, with the weights of `model.weights.h5`
 * and, when compiled, its optimizer built on the trainable weights with the
 * saved state (a state that does not fit is warned about and skipped).
 * Bytes starting with HDF5's signature are read as a legacy `.h5` model
 * file instead (legacy-h5/read.ts).
 */
export async function loadModelFromBytes(bytes: Uint8Array, options: LoadOptions = {}): Promise<Model> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.loadModelFromBytes', arguments.length, ['bytes', 'options']);
  const read = readLoadOptions('loadModelFromBytes', options);
  const { deserialize, maxWeights } = read;
  if (!(bytes instanceof Uint8Array)) {
    throw invalidArgument('bytes', 'a Uint8Array', bytes);
  }
  // A legacy whole-model .h5 file (Keras's model.save('m.h5')), told by HDF5's signature.
  if (isHdf5(bytes)) {
    const limit = archiveFileLimit(maxWeights);
    if (bytes.length > limit) {
      throw new ValueError(`The .h5 file is ${bytes.length} bytes, over the ${limit}-byte limit.`, {
        argument: LEGACY_H5,
        expected: `at most ${limit} bytes`,
        received: `${bytes.length} bytes`,
      });
    }
    return loadLegacyH5(bytes, read);
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
  const bounds = surveyBounds(surveyConfig(config));
  return withH5File(entries.get('model.weights.h5') as Uint8Array, (file) => {
    const budget = weightBudget(storedElements(file, bounds), maxWeights);
    const model = buildWithinBudget(budget.limit, () => modelFromJSON(config, deserialize), budget.source);
    try {
      assignWeights(readModelWeights(file, model));
      loadAssets(bytes, model);
      applyOptimizerState(readOptimizerState(file, model, { build: true }));
      return model;
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
