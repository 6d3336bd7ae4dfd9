/**
 * The identifier unions that editors autocomplete (activations,
 * regularizers, initializers, optimizers, losses, metrics) list exactly the
 * names the library accepts at run time. Each record below must name every
 * member of its union and nothing else (`satisfies` fails the type check
 * otherwise); the test then resolves each name, and compares the lists the
 * library publishes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activations, initializers, losses, metrics, type models, optimizers, regularizers } from 'keras-regularizers';

const ACTIVATIONS = Object.fromEntries(activations.ACTIVATION_NAMES.map((n) => [n, true])) as Record<
  activations.ActivationName,
  true
>;
const REGULARIZERS = {
  l1: true,
  l2: true,
  l1l2: true,
  l1_l2: true,
  L1: true,
  L2: true,
  L1L2: true,
  OrthogonalRegularizer: true,
  orthogonal_regularizer: true,
  GroupLasso: true,
  group_lasso: true,
  SparseGroupLasso: true,
  sparse_group_lasso: true,
  Regularizer: true,
  regularizer: true,
} satisfies Record<regularizers.RegularizerName, true>;
const INITIALIZERS = {
  zeros: true,
  ones: true,
  constant: true,
  random_normal: true,
  random_uniform: true,
  truncated_normal: true,
  variance_scaling: true,
  glorot_uniform: true,
  glorot_normal: true,
  he_normal: true,
  he_uniform: true,
  lecun_normal: true,
  lecun_uniform: true,
  orthogonal: true,
  uniform: true,
  normal: true,
  zero: true,
  one: true,
  Zeros: true,
  Ones: true,
  Constant: true,
  RandomNormal: true,
  RandomUniform: true,
  TruncatedNormal: true,
  VarianceScaling: true,
  GlorotUniform: true,
  GlorotNormal: true,
  HeNormal: true,
  HeUniform: true,
  LecunNormal: true,
  LecunUniform: true,
  Orthogonal: true,
} satisfies Record<initializers.InitializerName, true>;
const OPTIMIZERS = {
  sgd: true,
  adam: true,
  adamw: true,
  rmsprop: true,
  adagrad: true,
  adadelta: true,
  adamax: true,
  nadam: true,
  lion: true,
  ftrl: true,
  adafactor: true,
  lamb: true,
} satisfies Record<optimizers.OptimizerName, true>;
const LOSSES = {
  mean_squared_error: true,
  mse: true,
  MSE: true,
  mean_absolute_error: true,
  mae: true,
  MAE: true,
  mean_absolute_percentage_error: true,
  mape: true,
  MAPE: true,
  mean_squared_logarithmic_error: true,
  msle: true,
  MSLE: true,
  cosine_similarity: true,
  huber: true,
  log_cosh: true,
  kl_divergence: true,
  kld: true,
  KLD: true,
  poisson: true,
  hinge: true,
  squared_hinge: true,
  categorical_hinge: true,
  binary_crossentropy: true,
  bce: true,
  BCE: true,
  binary_focal_crossentropy: true,
  categorical_crossentropy: true,
  categorical_focal_crossentropy: true,
  sparse_categorical_crossentropy: true,
  dice: true,
  tversky: true,
  circle: true,
  ctc: true,
} satisfies Record<losses.LossName, true>;
const METRICS = {
  ...LOSSES,
  accuracy: true,
  acc: true,
  binary_accuracy: true,
  categorical_accuracy: true,
  sparse_categorical_accuracy: true,
} satisfies Record<models.MetricName, true>;

const sorted = (names: Iterable<string>) => [...names].sort();

describe('identifier names offered to editors', () => {
  it('are exactly the names each family accepts', () => {
    assert.deepEqual(sorted(Object.keys(ACTIVATIONS)), sorted(activations.names()));
    assert.deepEqual(sorted(Object.keys(LOSSES)), sorted(losses.LOSS_NAMES));
    assert.deepEqual(sorted(Object.keys(METRICS)), sorted(metrics.METRIC_NAMES));
    for (const name of Object.keys(REGULARIZERS)) assert.ok(regularizers.get(name) != null, name);
    for (const name of Object.keys(INITIALIZERS)) assert.ok(initializers.get(name) != null, name);
    for (const name of Object.keys(OPTIMIZERS)) assert.ok(optimizers.get(name) instanceof optimizers.Optimizer, name);
  });
});
