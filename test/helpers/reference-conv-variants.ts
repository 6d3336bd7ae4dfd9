/**
 * Float64 forward passes of the depthwise, separable and transposed
 * convolutions (channels-last, any rank), written from their definitions,
 * to check the float32 layers' gradients by finite differences.
 */

export interface WindowSpec {
  kernelSize: number[];
  strides: number[];
  dilations: number[];
  padding: 'valid' | 'same';
}

export interface Output {
  values: Float64Array;
  shape: number[];
}

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** Row-major offset of `index` in `shape`. */
function offsetOf(index: readonly number[], shape: readonly number[]): number {
  let offset = 0;
  for (let i = 0; i < shape.length; i++) offset = offset * (shape[i] as number) + (index[i] as number);
  return offset;
}

/** Every multi-index of `shape`, in row-major order (the same array, updated). */
function* indices(shape: readonly number[]): Generator<number[]> {
  const index = new Array<number>(shape.length).fill(0);
  const total = product(shape);
  for (let n = 0; n < total; n++) {
    yield index;
    for (let i = shape.length - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (shape[i] as number)) break;
      index[i] = 0;
    }
  }
}

const reachOf = (spec: WindowSpec, i: number) =>
  ((spec.kernelSize[i] as number) - 1) * (spec.dilations[i] as number) + 1;

/** TensorFlow's padding before each axis, and the output sizes. */
function forwardGeometry(spatial: number[], spec: WindowSpec): { before: number[]; out: number[] } {
  const before: number[] = [];
  const out: number[] = [];
  spatial.forEach((n, i) => {
    const s = spec.strides[i] as number;
    const reach = reachOf(spec, i);
    if (spec.padding === 'same') {
      const size = Math.ceil(n / s);
      before.push(Math.floor(Math.max((size - 1) * s + reach - n, 0) / 2));
      out.push(size);
    } else {
      before.push(0);
      out.push(Math.floor((n - reach) / s) + 1);
    }
  });
  return { before, out };
}

/** `y[b, ...o, c * m + j] = bias + sum_t x[b, ...o * s + t * d - pad, c] * kernel[...t, c, j]`. */
export function depthwise(
  x: Float64Array,
  xShape: number[],
  kernel: Float64Array,
  multiplier: number,
  bias: Float64Array | null,
  spec: WindowSpec,
): Output {
  const rank = xShape.length - 2;
  const [batch, ...rest] = xShape as [number, ...number[]];
  const spatial = rest.slice(0, rank);
  const channels = rest[rank] as number;
  const { before, out } = forwardGeometry(spatial, spec);
  const kernelShape = [...spec.kernelSize, channels, multiplier];
  const outShape = [batch, ...out, channels * multiplier];
  const y = new Float64Array(product(outShape));
  for (const index of indices([batch, ...out, channels, multiplier])) {
    const c = index[rank + 1] as number;
    const j = index[rank + 2] as number;
    let sum = bias?.[c * multiplier + j] ?? 0;
    for (const tap of indices(spec.kernelSize)) {
      const position = tap.map(
        (t, i) =>
          (index[i + 1] as number) * (spec.strides[i] as number) +
          t * (spec.dilations[i] as number) -
          (before[i] as number),
      );
      if (position.some((p, i) => p < 0 || p >= (spatial[i] as number))) continue;
      sum +=
        (x[offsetOf([index[0] as number, ...position, c], xShape)] as number) *
        (kernel[offsetOf([...tap, c, j], kernelShape)] as number);
    }
    y[offsetOf([...index.slice(0, rank + 1), c * multiplier + j], outShape)] = sum;
  }
  return { values: y, shape: outShape };
}

/** A 1x1 convolution: `y[..., f] = bias[f] + sum_j x[..., j] * kernel[j, f]`. */
export function pointwise(x: Output, kernel: Float64Array, filters: number, bias: Float64Array | null): Output {
  const inner = x.shape[x.shape.length - 1] as number;
  const rows = x.values.length / inner;
  const y = new Float64Array(rows * filters);
  for (let row = 0; row < rows; row++) {
    for (let f = 0; f < filters; f++) {
      let sum = bias?.[f] ?? 0;
      for (let j = 0; j < inner; j++)
        sum += (x.values[row * inner + j] as number) * (kernel[j * filters + f] as number);
      y[row * filters + f] = sum;
    }
  }
  return { values: y, shape: [...x.shape.slice(0, -1), filters] };
}

/**
 * Keras's transposed convolution (JAX's `conv_transpose`): the input spread
 * by the strides, padded by Keras's (left, right), correlated with the
 * flipped kernel `[...k, filters, in]`, plus bias.
 */
export function transpose(
  x: Float64Array,
  xShape: number[],
  kernel: Float64Array,
  filters: number,
  bias: Float64Array | null,
  spec: WindowSpec,
  outputPadding: number[] | null,
): Output {
  const rank = xShape.length - 2;
  const [batch, ...rest] = xShape as [number, ...number[]];
  const spatial = rest.slice(0, rank);
  const channels = rest[rank] as number;
  const left: number[] = [];
  const out: number[] = [];
  spatial.forEach((n, i) => {
    const s = spec.strides[i] as number;
    const reach = reachOf(spec, i);
    const extra = outputPadding?.[i];
    let pads: [number, number];
    if (spec.padding === 'valid') {
      pads = [reach - 1, reach - 1 + (extra ?? Math.max(reach, s) - reach)];
    } else {
      const total = extra == null ? s + reach - 2 : reach + (reach % 2) - 2 + extra;
      const first = Math.min(Math.ceil(total / 2), reach - 1);
      pads = [first, total - first];
    }
    left.push(pads[0]);
    out.push((n - 1) * s + 1 + pads[0] + pads[1] - reach + 1);
  });
  const kernelShape = [...spec.kernelSize, filters, channels];
  const outShape = [batch, ...out, filters];
  const y = new Float64Array(product(outShape));
  for (const index of indices(outShape)) {
    const f = index[rank + 1] as number;
    let sum = bias?.[f] ?? 0;
    for (const tap of indices(spec.kernelSize)) {
      // The spread input position this tap reads; only multiples of the stride hold input values.
      const source: number[] = [];
      let inside = true;
      for (let i = 0; i < rank; i++) {
        const q = (index[i + 1] as number) + (tap[i] as number) * (spec.dilations[i] as number) - (left[i] as number);
        const s = spec.strides[i] as number;
        if (q < 0 || q % s !== 0 || q / s >= (spatial[i] as number)) {
          inside = false;
          break;
        }
        source.push(q / s);
      }
      if (!inside) continue;
      const flipped = tap.map((t, i) => (spec.kernelSize[i] as number) - 1 - t);
      for (let c = 0; c < channels; c++) {
        sum +=
          (x[offsetOf([index[0] as number, ...source, c], xShape)] as number) *
          (kernel[offsetOf([...flipped, f, c], kernelShape)] as number);
      }
    }
    y[offsetOf(index, outShape)] = sum;
  }
  return { values: y, shape: outShape };
}
