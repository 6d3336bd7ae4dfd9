/** The `layers` namespace: the Layer base, Dense, Conv1D/2D/3D, and layer JSON. */

export type { DataFormat, Padding } from './arguments.js';
export { BaseConv, type ConvOptions } from './base-conv.js';
export { Conv1D, Conv2D, Conv3D } from './conv.js';
export { Dense, type DenseOptions } from './dense.js';
export type { DTypeOption, DTypePolicyJson } from './dtype-policy.js';
export { Input, InputLayer, type InputLayerOptions } from './input-layer.js';
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
} from './layer-types.js';
export { GlobalAveragePooling2D, MaxPooling2D, type MaxPooling2DOptions } from './pooling.js';
export { deserialize, type LayerJson, serialize } from './serialization.js';
export { Activation, Dropout, type DropoutOptions, Flatten } from './simple-layers.js';
