/**
 * Float64 forward passes of Dense and ConvND (channels-last), written from
 * the definitions, to check the float32 layers' gradients by finite differences.
 */

export interface ConvSpec {
  strides: number[];
  dilations: number[];
  padding: 'valid' | 'same' | 'causal';
  groups: number;
}

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

/** Every multi-index of `shape`, in row-major order. */
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

/** `x @ kernel + bias` for x of shape [n, in] and kernel [in, units]. */
export function dense(
  x: Float64Array,
  n: number,
  kernel: Float64Array,
  bias: Float64Array,
  units: number,
): Float64Array {
  const inputDim = kernel.length / units;
  const y = new Float64Array(n * units);
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < units; u++) {
      let sum = bias[u] ?? 0;
      for (let i = 0; i < inputDim; i++) sum += (x[b * inputDim + i] as number) * (kernel[i * units + u] as number);
      y[b * units + u] = sum;
    }
  }
  return y;
}

/**
 * Convolution of x `[batch, ...spatial, in]` with kernel `[...k, in / groups, filters]`,
 * plus bias; padding as TensorFlow ("same": extra after) and Keras ("causal": all before).
 */
export function conv(
  x: Float64Array,
  xShape: number[],
  kernel: Float64Array,
  kernelShape: number[],
  bias: Float64Array | null,
  spec: ConvSpec,
): { values: Float64Array; shape: number[] } {
  const rank = kernelShape.length - 2;
  const [batch, ...rest] = xShape as [number, ...number[]];
  const spatial = rest.slice(0, rank);
  const inChannels = rest[rank] as number;
  const k = kernelShape.slice(0, rank);
  const groupIn = kernelShape[rank] as number;
  const filters = kernelShape[rank + 1] as number;
  const groupOut = filters / spec.groups;
  const padBefore: number[] = [];
  const outSize: number[] = [];
  spatial.forEach((n, i) => {
    const s = spec.strides[i] as number;
    const reach = ((k[i] as number) - 1) * (spec.dilations[i] as number) + 1;
    if (spec.padding === 'same') {
      const out = Math.ceil(n / s);
      const total = Math.max((out - 1) * s + reach - n, 0);
      padBefore.push(Math.floor(total / 2));
      outSize.push(out);
    } else if (spec.padding === 'causal') {
      padBefore.push(reach - 1);
      outSize.push(Math.floor((n + reach - 1 - reach) / s) + 1);
    } else {
      padBefore.push(0);
      outSize.push(Math.floor((n - reach) / s) + 1);
    }
  });
  const outShape = [batch, ...outSize, filters];
  const y = new Float64Array(product(outShape));
  const xStrides = stridesOf(xShape);
  const kStrides = stridesOf(kernelShape);
  const yStrides = stridesOf(outShape);
  for (const out of indices([batch, ...outSize, filters])) {
    const b = out[0] as number;
    const f = out[rank + 1] as number;
    const group = Math.floor(f / groupOut);
    let sum = bias?.[f] ?? 0;
    for (const tap of indices(k)) {
      let xOffset = b * (xStrides[0] as number);
      let inside = true;
      for (let i = 0; i < rank; i++) {
        const position =
          (out[i + 1] as number) * (spec.strides[i] as number) +
          (tap[i] as number) * (spec.dilations[i] as number) -
          (padBefore[i] as number);
        if (position < 0 || position >= (spatial[i] as number)) {
          inside = false;
          break;
        }
        xOffset += position * (xStrides[i + 1] as number);
      }
      if (!inside) continue;
      let kOffset = f;
      for (let i = 0; i < rank; i++) kOffset += (tap[i] as number) * (kStrides[i] as number);
      for (let c = 0; c < groupIn; c++) {
        sum +=
          (x[xOffset + group * groupIn + c] as number) * (kernel[kOffset + c * (kStrides[rank] as number)] as number);
      }
    }
    let yOffset = 0;
    for (let i = 0; i < out.length; i++) yOffset += (out[i] as number) * (yStrides[i] as number);
    y[yOffset] = sum;
  }
  void inChannels;
  return { values: y, shape: outShape };
}
