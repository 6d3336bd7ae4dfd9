/** The `layers` namespace: the Layer base, Dense, Conv1D/2D/3D, and layer JSON. */

export { Activation } from './activations/activation.js';
export type { DataFormat, Padding } from './arguments.js';
export { BaseConv, type ConvOptions } from './convolutional/base-conv.js';
export { Conv1D, Conv2D, Conv3D } from './convolutional/conv.js';
export { Dense, type DenseOptions } from './core/dense.js';
export { Identity } from './core/identity.js';
export { Input, InputLayer, type InputLayerOptions } from './core/input-layer.js';
export type { DTypeOption, DTypePolicyJson } from './dtype-policy.js';
export { KernelBiasLayer, type KernelBiasOptions } from './kernel-bias-layer.js';
export { Layer } from './layer.js';
export {
  type AddWeightOptions,
  type CallOptions,
  type LayerInputs,
  type LayerLoss,
  type LayerOptions,
  type LayerOutputs,
  type LayerWeight,
  layerOptionsOf,
  type Shape,
} from './layer-types.js';
export { Concatenate, type ConcatenateOptions } from './merging/concatenate.js';
export { Dot, type DotAxes, type DotOptions } from './merging/dot.js';
export { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
export { Merge } from './merging/merge.js';
export { GlobalAveragePooling2D, MaxPooling2D, type MaxPooling2DOptions } from './pooling/pooling.js';
export {
  ActivityRegularization,
  type ActivityRegularizationOptions,
} from './regularization/activity-regularization.js';
export { Dropout, type DropoutOptions } from './regularization/dropout.js';
export { Flatten } from './reshaping/flatten.js';
export { Permute, type PermuteOptions } from './reshaping/permute.js';
export { RepeatVector, type RepeatVectorOptions } from './reshaping/repeat-vector.js';
export { Reshape, type ReshapeOptions } from './reshaping/reshape.js';
export { deserialize, type LayerJson, serialize } from './serialization.js';
export { KerasTensor, Node } from './symbolic/keras-tensor.js';
