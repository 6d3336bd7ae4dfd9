/** The `layers` namespace: the Layer base, Dense, Conv1D/2D/3D, and layer JSON. */

export type { DataFormat, Padding } from './arguments.js';
export { BaseConv, type ConvOptions } from './base-conv.js';
export { Conv1D, Conv2D, Conv3D } from './conv.js';
export { Dense, type DenseOptions } from './dense.js';
export type { DTypeOption, DTypePolicyJson } from './dtype-policy.js';
export { KernelBiasLayer, type KernelBiasOptions } from './kernel-bias-layer.js';
export {
  type AddWeightOptions,
  Layer,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  type LayerWeight,
  layerOptionsOf,
} from './layer.js';
export { deserialize, type LayerJson, serialize } from './serialization.js';
