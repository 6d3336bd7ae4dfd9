/**
 * The smaller-model demo's networks and the five ways it trains them: no
 * regularization, L1 through the gradient (Keras's way), proximal L1, group
 * lasso with proximal steps, and an L2 model pruned by magnitude afterwards
 * (TF Model Optimization's baseline).
 */
import { L1, L2, layers, models, regularizers } from 'keras-regularizers';

/** The networks: Dense kernels and convolution kernels take their regularizer from the variant. */
export type Architecture = 'mlp' | 'cnn';

/** One way of training. */
export interface Variant {
  name: string;
  description: string;
  /** The kernel regularizer of a layer (its class, and whether it is the output layer). */
  regularizer: (layerClass: 'Dense' | 'Conv2D', output: boolean) => regularizers.Regularizer | null;
  /** Magnitude pruning after training, to the size group lasso reached (the TF-MOT baseline). */
  magnitude?: boolean;
}

/** Group lasso's factor: large enough to empty most groups within a few epochs, small enough to keep accuracy. */
const GROUP = { mlp: 7e-4, cnn: 3e-3 };

export function variantsFor(architecture: Architecture): Variant[] {
  const group = GROUP[architecture];
  return [
    { name: 'none', description: 'no regularization', regularizer: () => null },
    {
      name: 'L1 (gradient)',
      description: 'kernel L1(1e-4), through the gradient as in Keras',
      regularizer: () => new L1(1e-4),
    },
    {
      name: 'L1 (proximal)',
      description: 'kernel L1({ l1: 1e-4, proximal: true }): soft-thresholding after each step',
      regularizer: () => new L1({ l1: 1e-4, proximal: true }),
    },
    {
      name: 'group lasso',
      description:
        architecture === 'mlp'
          ? `GroupLasso(${group}, proximal) on each kernel's input rows: input pixels and hidden units`
          : `GroupLasso(${group}, proximal) on each convolution's filters`,
      regularizer: (layerClass, output) => {
        if (architecture === 'cnn' && (layerClass !== 'Conv2D' || output)) return null;
        return new regularizers.GroupLasso({
          factor: group,
          ...regularizers.groupAxis(layerClass, architecture === 'mlp' ? 'inputs' : 'units'),
          proximal: true,
        });
      },
    },
    {
      name: 'L2 + magnitude',
      description:
        "kernel L2(5e-4), then the smallest weights of each kernel zeroed to group lasso's size and masked fine-tuning (TF-MOT's prune_low_magnitude)",
      regularizer: () => new L2(5e-4),
      magnitude: true,
    },
  ];
}

/** MLP 784-256-128-10, or a small CNN (Conv 16 -> pool -> Conv 32 -> pool -> Dense 10). */
export function buildModel(architecture: Architecture, variant: Variant): models.Sequential {
  const dense = (units: number, activation: string, output = false) =>
    new layers.Dense({ units, activation, kernelRegularizer: variant.regularizer('Dense', output) });
  const conv = (filters: number) =>
    new layers.Conv2D({
      filters,
      kernelSize: 3,
      activation: 'relu',
      kernelRegularizer: variant.regularizer('Conv2D', false),
    });
  if (architecture === 'mlp') {
    return new models.Sequential([
      layers.Input({ shape: [784] }),
      dense(256, 'relu'),
      dense(128, 'relu'),
      dense(10, 'softmax', true),
    ]);
  }
  return new models.Sequential([
    layers.Input({ shape: [28, 28, 1] }),
    conv(16),
    new layers.MaxPooling2D({ poolSize: 2 }),
    conv(32),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Flatten(),
    dense(10, 'softmax', true),
  ]);
}
