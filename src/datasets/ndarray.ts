/**
 * What a dataset loader returns: Keras's numpy arrays as flat typed arrays
 * with their shape and dtype, so that 47 MB of MNIST pixels stay 47 MB of
 * bytes (tfjs has no uint8 tensors) until the user makes tensors of them.
 */

/** A dtype a dataset array holds: numpy's name for it. */
export type DatasetDtype = 'uint8' | 'int32' | 'float32' | 'float64';

/** The typed array of each dtype. */
export interface DatasetData {
  uint8: Uint8Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * One array of a dataset, row-major (C order) as numpy holds it: `data`
 * has `shape`'s product of elements. Make a tensor of it with
 * `tf.tensor(array.data, array.shape, 'int32')` (or `'float32'`).
 *
 * @example
 * const pixels: datasets.DatasetArray = { data: new Uint8Array(4), shape: [1, 2, 2], dtype: 'uint8' };
 */
export interface DatasetArray<D extends DatasetDtype = DatasetDtype> {
  readonly data: DatasetData[D];
  readonly shape: number[];
  readonly dtype: D;
}

/** Keras's `(x_train, y_train), (x_test, y_test)`. */
export type Splits<X, Y> = [[X, Y], [X, Y]];

/** Rows `indices` of `array` (along its first axis), in that order. */
export function takeRows<D extends DatasetDtype>(array: DatasetArray<D>, indices: ArrayLike<number>): DatasetArray<D> {
  const rowSize = array.shape.slice(1).reduce((a, b) => a * b, 1);
  const Ctor = array.data.constructor as new (n: number) => DatasetData[D];
  const out = new Ctor(indices.length * rowSize);
  for (let i = 0; i < indices.length; i++) {
    const start = (indices[i] as number) * rowSize;
    (out as Uint8Array).set((array.data as Uint8Array).subarray(start, start + rowSize), i * rowSize);
  }
  return { data: out, shape: [indices.length, ...array.shape.slice(1)], dtype: array.dtype };
}

/** Rows `start` to `end` (exclusive) of `array`, copied. */
export function sliceRows<D extends DatasetDtype>(array: DatasetArray<D>, start: number, end: number): DatasetArray<D> {
  const rowSize = array.shape.slice(1).reduce((a, b) => a * b, 1);
  const data = (array.data as Uint8Array).slice(start * rowSize, end * rowSize) as unknown as DatasetData[D];
  return { data, shape: [end - start, ...array.shape.slice(1)], dtype: array.dtype };
}
