/** The benchmark models of the performance issue, built with this library. */
import { L1, L1L2, L2, layers, models, OrthogonalRegularizer, optimizers } from 'keras-regularizers';

export type Variant = 'none' | 'L2 kernel' | 'L1 kernel' | 'L1L2 kernel' | 'L2 activity' | 'Orthogonal dense';
export const VARIANTS: Variant[] = ['none', 'L2 kernel', 'L1 kernel', 'L1L2 kernel', 'L2 activity', 'Orthogonal dense'];

function kernelRegularizer(variant: Variant, dense: boolean) {
  switch (variant) {
    case 'L2 kernel':
      return new L2(1e-4);
    case 'L1 kernel':
      return new L1(1e-5);
    case 'L1L2 kernel':
      return new L1L2(1e-5, 1e-4);
    case 'Orthogonal dense':
      return dense ? new OrthogonalRegularizer(0.01) : null;
    default:
      return null;
  }
}

function options(variant: Variant, dense: boolean) {
  return {
    kernelRegularizer: kernelRegularizer(variant, dense),
    activityRegularizer: variant === 'L2 activity' ? new L2(1e-5) : null,
  };
}

function compiled(model: models.Sequential): models.Sequential {
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

/** MLP 784-512-512-10, trained at batch 128. */
export function mlp(variant: Variant): models.Sequential {
  return compiled(
    new models.Sequential([
      layers.Input({ shape: [784] }),
      new layers.Dense({ units: 512, activation: 'relu', ...options(variant, true) }),
      new layers.Dense({ units: 512, activation: 'relu', ...options(variant, true) }),
      new layers.Dense({ units: 10, activation: 'softmax', ...options(variant, true) }),
    ]),
  );
}

/** Input 28x28x1 → Conv2D 32 3x3 relu → Conv2D 64 3x3 relu → MaxPooling2D 2 → Flatten → Dense 10 softmax, batch 32. */
export function cnn(variant: Variant): models.Sequential {
  return compiled(
    new models.Sequential([
      layers.Input({ shape: [28, 28, 1] }),
      new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', ...options(variant, false) }),
      new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', ...options(variant, false) }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dense({ units: 10, activation: 'softmax', ...options(variant, true) }),
    ]),
  );
}
