/** The five ways the demo trains the same network: no regularization, L2, L1, L1L2 with an activity L2, Orthogonal. */
import { L1, L1L2, L2, layers, models, OrthogonalRegularizer } from 'keras-regularizers';

export interface Variant {
  name: string;
  description: string;
  /** Regularizer options for each Dense layer (hidden or not). */
  options: (hidden: boolean) => Partial<layers.DenseOptions>;
}

export const VARIANTS: Variant[] = [
  { name: 'none', description: 'no regularization', options: () => ({}) },
  { name: 'L2', description: 'kernel L2(5e-4) on every layer', options: () => ({ kernelRegularizer: new L2(5e-4) }) },
  { name: 'L1', description: 'kernel L1(1e-4) on every layer', options: () => ({ kernelRegularizer: new L1(1e-4) }) },
  {
    name: 'L1L2+act',
    description: 'kernel L1L2(1e-5, 5e-4) on every layer, activity L2(1e-4) on the hidden layers',
    options: (hidden) => ({
      kernelRegularizer: new L1L2(1e-5, 5e-4),
      activityRegularizer: hidden ? new L2(1e-4) : null,
    }),
  },
  {
    name: 'Orthogonal',
    description: 'kernel OrthogonalRegularizer(0.1, "columns") on the hidden layers',
    options: (hidden) => ({ kernelRegularizer: hidden ? new OrthogonalRegularizer(0.1, 'columns') : null }),
  },
];

/** MLP 784-128-64-10 with the variant's regularizers. */
export function buildModel(variant: Variant): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [784] }),
    new layers.Dense({ units: 128, activation: 'relu', ...variant.options(true) }),
    new layers.Dense({ units: 64, activation: 'relu', ...variant.options(true) }),
    new layers.Dense({ units: 10, activation: 'softmax', ...variant.options(false) }),
  ]);
}
