/**
 * The `datasets` namespace, Keras's `keras.datasets`: each dataset's
 * `loadData(options)` takes Keras's `load_data()` arguments camelCased and
 * returns Keras's `[[xTrain, yTrain], [xTest, yTest]]` with Keras's shapes,
 * as flat typed arrays (DatasetArray) or, for imdb and reuters, arrays of
 * word-index sequences. Files are fetched from Keras's URLs once into
 * `~/.keras/datasets` (or `$KERAS_HOME`, or `cacheDir`) and checked against
 * Keras's hashes. Node only.
 *
 * @packageDocumentation
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
 */
export * as bostonHousing from './boston-housing.js';
export * as californiaHousing from './california-housing.js';
export * as cifar10 from './cifar10.js';
export * as cifar100 from './cifar100.js';
export * as fashionMnist from './fashion-mnist.js';
export type { FetchOptions } from './get-file.js';
export * as imdb from './imdb.js';
export * as mnist from './mnist.js';
export type { DatasetArray, DatasetDtype, Splits } from './ndarray.js';
export * as reuters from './reuters.js';
