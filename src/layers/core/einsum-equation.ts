/**
 * Einsum equations for EinsumDense and the attention layers: Keras's
 * `_analyze_einsum_string` (the kernel, bias and output shapes an equation
 * asks for), and the two-operand contraction itself as transposes, reshapes
 * and one matMul.
 *
 * Why not `tf.einsum`: tfjs's Einsum has no gradient and no `wasm` kernel.
 * Transposes, reshapes and BatchMatMul have both, and the layouts Keras's
 * layers use need few or no transposes (a Dense-like projection is a plain
 * matMul of the flattened operands).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import type { Shape } from '../layer-types.js';

/** An equation `x,kernel->y` split as Keras reads it; `...` stands for the axes not named. */
export interface SplitEquation {
  input: string;
  weight: string;
  output: string;
  /** Where `...` stands in the input and output: before the named axes, after them, or nowhere. */
  elided: 'left' | 'right' | 'none';
}

/** What an equation asks for, given the input shape (Keras's `_analyze_split_string`). */
export interface EinsumAnalysis {
  kernelShape: number[];
  /** Aligned to the output's trailing axes; null without bias axes. */
  biasShape: number[] | null;
  /** The output shape, batch axis included (`null` where unknown). */
  outputShape: Shape;
  /** The kernel's axes that contract with the input, and those that reach the output (for fan computation). */
  inputAxes: number[];
  outputAxes: number[];
}

function invalidEquation(equation: string): ValueError {
  return new ValueError(
    `Invalid einsum equation '${equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....`,
    { argument: 'equation', expected: '[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...', received: equation },
  );
}

/** Splits `equation` in one of Keras's three forms, else throws Keras's error. */
export function splitEquation(equation: string): SplitEquation {
  if (typeof equation !== 'string') throw invalidEquation(String(equation));
  const dotted = equation.replace(/\.\.\./g, '0');
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(dotted);
  if (m) return { input: m[1] as string, weight: m[2] as string, output: m[3] as string, elided: 'none' };
  m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(dotted);
  if (m) return { input: m[1] as string, weight: m[2] as string, output: m[3] as string, elided: 'left' };
  m = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(dotted);
  if (m) return { input: m[1] as string, weight: m[2] as string, output: m[3] as string, elided: 'right' };
  throw invalidEquation(equation);
}

function shapeError(message: string, argument: string, expected: string, received: string): ValueError {
  return new ValueError(message, { argument, expected, received });
}

/**
 * Keras's `_analyze_einsum_string`: the kernel and bias shapes and the full
 * output shape for inputs of `inputShape` (batch axis first). `outputShape`
 * is the layer's partial output shape (without the batch axis and the axes
 * `...` stands for).
 */
export function analyzeEinsum(
  equation: string,
  biasAxes: string | null,
  inputShape: Shape,
  partialOutputShape: readonly (number | null)[],
): EinsumAnalysis {
  const split = splitEquation(equation);
  const { input, weight, output } = split;
  const leftElided = split.elided === 'left';
  const elided = inputShape.length - input.length;
  if (elided < 0 || (elided > 0 && split.elided === 'none')) {
    throw shapeError(
      `Input of rank ${inputShape.length} does not fit the einsum equation '${equation}': its input part '${input}' names ${input.length} axes${split.elided === 'none' ? '' : ' (and "..." the others)'}. Received: input shape ${formatShape(inputShape)}`,
      'inputs',
      split.elided === 'none' ? `rank ${input.length}` : `rank >= ${input.length}`,
      formatShape(inputShape),
    );
  }
  const full: Shape = [inputShape[0] ?? null, ...partialOutputShape];
  if (elided > 0 && leftElided) full.splice(1, 0, ...inputShape.slice(1, elided));
  else if (elided > 0) full.push(...inputShape.slice(inputShape.length - elided));

  // Where each named axis sits in the input and in the full output.
  const inputAt = (i: number) => (leftElided ? i + elided : i);
  const outputAt = (i: number) => (leftElided ? i + elided : i);
  const inputIndex = new Map([...input].map((d, i) => [d, inputAt(i)]));
  const outputIndex = new Map([...output].map((d, i) => [d, outputAt(i)]));
  const expectedLength = leftElided ? output.length : output.length - 1;
  if (partialOutputShape.length !== expectedLength) {
    throw shapeError(
      `The output_shape of the einsum equation '${equation}' gives the sizes of the output axes '${output}'${leftElided ? '' : ' but the first (the batch axis)'}: expected ${expectedLength} entries. Received: output_shape=${formatShape(partialOutputShape)}`,
      'outputShape',
      `${expectedLength} entries`,
      formatShape(partialOutputShape),
    );
  }

  for (const dim of input) {
    const inputSize = inputShape[inputIndex.get(dim) as number] ?? null;
    const at = outputIndex.get(dim);
    if (at === undefined) continue;
    const outputSize = full[at] ?? null;
    if (outputSize !== null && outputSize !== inputSize) {
      throw shapeError(
        `Input shape and output shape do not match at shared dimension '${dim}'. Input shape is ${inputSize}, and output shape is ${outputSize}.`,
        'outputShape',
        `${inputSize} at '${dim}'`,
        String(outputSize),
      );
    }
  }
  for (const dim of output) {
    if (!input.includes(dim) && !weight.includes(dim)) {
      throw shapeError(
        `Dimension '${dim}' was specified in the output '${output}' but has no corresponding dim in the input spec '${input}' or weight spec '${weight}'`,
        'equation',
        `'${dim}' in the input or weight spec`,
        equation,
      );
    }
  }

  const kernelShape: number[] = [];
  const inputAxes: number[] = [];
  const outputAxes: number[] = [];
  [...weight].forEach((dim, i) => {
    let size: number | null;
    if (outputIndex.has(dim)) {
      size = full[outputIndex.get(dim) as number] ?? null;
      outputAxes.push(i);
    } else if (inputIndex.has(dim)) {
      size = inputShape[inputIndex.get(dim) as number] ?? null;
      inputAxes.push(i);
    } else {
      throw shapeError(
        `Weight dimension '${dim}' did not have a match in either the input spec '${input}' or the output spec '${output}'. For this layer, the weight must be fully specified.`,
        'equation',
        `'${dim}' in the input or output spec`,
        equation,
      );
    }
    if (size === null) {
      throw shapeError(
        `Weight dimension '${dim}' of the einsum equation '${equation}' has an unknown size: give it in output_shape or the input shape. Received: input shape ${formatShape(inputShape)}, output_shape=${formatShape(partialOutputShape)}`,
        'outputShape',
        `a known size for '${dim}'`,
        formatShape(partialOutputShape),
      );
    }
    kernelShape.push(size);
  });

  let biasShape: number[] | null = null;
  if (biasAxes != null) {
    for (const char of biasAxes) {
      if (!output.includes(char)) {
        throw shapeError(
          `Bias dimension '${char}' was requested, but is not part of the output spec '${output}'`,
          'biasAxes',
          `letters of '${output}'`,
          JSON.stringify(biasAxes),
        );
      }
    }
    const first = Math.min(...[...biasAxes].map((char) => output.indexOf(char)));
    biasShape = [...output.slice(first)].map((char) => {
      if (!biasAxes.includes(char)) return 1;
      const size = full[outputAt(output.indexOf(char))] ?? null;
      if (size === null) {
        throw shapeError(
          `Bias dimension '${char}' has an unknown size: give it in output_shape or the input shape. Received: output_shape=${formatShape(partialOutputShape)}`,
          'outputShape',
          `a known size for '${char}'`,
          formatShape(partialOutputShape),
        );
      }
      return size;
    });
    if (split.elided === 'right') biasShape.push(...new Array<number>(elided).fill(1));
  }
  return { kernelShape, biasShape, outputShape: full, inputAxes, outputAxes };
}

/** Labels of an operand: one per axis, any distinct values (letters, or numbers for the axes of `...`). */
export type Labels = readonly (string | number)[];

/** The labels of `...`'s axes for a tensor whose named part is `named`: numbers, never letters. */
export function withEllipsis(named: string, rank: number, elided: SplitEquation['elided']): Labels {
  const count = rank - named.length;
  const dots = Array.from({ length: Math.max(count, 0) }, (_, i) => i);
  if (elided === 'left') return [...dots, ...named];
  if (elided === 'right') return [...named, ...dots];
  return [...named];
}

function permutation(from: Labels, to: Labels): number[] {
  return to.map((label) => from.indexOf(label));
}

function isIdentity(perm: readonly number[]): boolean {
  return perm.every((axis, i) => axis === i);
}

function transposeTo(x: tf.Tensor, from: Labels, to: Labels): tf.Tensor {
  const perm = permutation(from, to);
  return isIdentity(perm) ? x : tf.transpose(x, perm);
}

function product(sizes: readonly number[]): number {
  return sizes.reduce((p, d) => p * d, 1);
}

/**
 * `einsum` of two operands as transposes, reshapes and one matMul: labels in
 * both operands and the output are batch axes, labels in both operands only
 * are contracted, labels of one operand only that the output lacks are
 * summed first. Each label appears at most once per operand.
 */
export function contract(a: tf.Tensor, aLabels: Labels, b: tf.Tensor, bLabels: Labels, outLabels: Labels): tf.Tensor {
  const unique = (labels: Labels) => new Set(labels).size === labels.length;
  if (
    !unique(aLabels) ||
    !unique(bLabels) ||
    !unique(outLabels) ||
    aLabels.length !== a.rank ||
    bLabels.length !== b.rank
  ) {
    throw new ValueError(
      `einsum: each operand needs one distinct label per axis. Received labels ${JSON.stringify(aLabels)} for shape ${formatShape(a.shape)}, ${JSON.stringify(bLabels)} for shape ${formatShape(b.shape)}`,
      { argument: 'equation', expected: 'one distinct label per axis', received: JSON.stringify([aLabels, bLabels]) },
    );
  }
  return tf.tidy(() => {
    let [x, xl, y, yl] = [a, [...aLabels], b, [...bLabels]];
    // Labels of one operand only that the output drops: summed out first.
    const dropped = (own: Labels, other: Labels) =>
      own.map((l, i) => (other.includes(l) || outLabels.includes(l) ? -1 : i)).filter((i) => i >= 0);
    const xDrop = dropped(xl, yl);
    if (xDrop.length > 0) {
      x = tf.sum(x, xDrop);
      xl = xl.filter((_, i) => !xDrop.includes(i));
    }
    const yDrop = dropped(yl, xl);
    if (yDrop.length > 0) {
      y = tf.sum(y, yDrop);
      yl = yl.filter((_, i) => !yDrop.includes(i));
    }
    const sizeOf = (label: string | number) => {
      const i = xl.indexOf(label);
      return i >= 0 ? (x.shape[i] as number) : (y.shape[yl.indexOf(label)] as number);
    };
    for (const label of outLabels) {
      if (!xl.includes(label) && !yl.includes(label)) {
        throw new ValueError(`einsum: output label ${JSON.stringify(label)} is in neither operand.`, {
          argument: 'equation',
          expected: 'output labels taken from the operands',
          received: String(label),
        });
      }
    }
    for (const label of xl) {
      const j = yl.indexOf(label);
      if (j >= 0 && y.shape[j] !== x.shape[xl.indexOf(label)]) {
        throw new ValueError(
          `einsum: axis ${JSON.stringify(label)} has size ${x.shape[xl.indexOf(label)]} in one operand and ${y.shape[j]} in the other. Received shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}`,
          {
            argument: 'inputs',
            expected: 'equal sizes for a shared axis',
            received: `${formatShape(x.shape)} and ${formatShape(y.shape)}`,
          },
        );
      }
    }
    const batch = outLabels.filter((l) => xl.includes(l) && yl.includes(l));
    let xFree = outLabels.filter((l) => xl.includes(l) && !yl.includes(l));
    let yFree = outLabels.filter((l) => yl.includes(l) && !xl.includes(l));
    // The operand whose free axes come first in the output goes on the left: no transpose of the result then.
    const firstFree = outLabels.find((l) => !batch.includes(l));
    if (firstFree !== undefined && yFree.includes(firstFree)) {
      [x, xl, y, yl] = [y, yl, x, xl];
      [xFree, yFree] = [yFree, xFree];
    }
    // Contracted axes in the left operand's order; batch axes in the output's.
    const contracted = xl.filter((l) => yl.includes(l) && !outLabels.includes(l));
    const [batchSize, m, k, n] = [batch, xFree, contracted, yFree].map((ls) => product(ls.map(sizeOf))) as [
      number,
      number,
      number,
      number,
    ];
    const left = transposeTo(x, xl, [...batch, ...xFree, ...contracted]);
    const right = transposeTo(y, yl, [...batch, ...contracted, ...yFree]);
    const result =
      batchSize === 1
        ? tf.matMul(tf.reshape(left, [m, k]), tf.reshape(right, [k, n]))
        : tf.matMul(tf.reshape(left, [batchSize, m, k]), tf.reshape(right, [batchSize, k, n]));
    const resultLabels = [...batch, ...xFree, ...yFree];
    const shaped = tf.reshape(result, resultLabels.map(sizeOf));
    return transposeTo(shaped, resultLabels, outLabels);
  });
}
