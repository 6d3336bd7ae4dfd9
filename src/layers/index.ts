/** The `layers` namespace: the Layer base, Dense, Conv1D/2D/3D, and layer JSON. */
export { BaseConv, type ConvOptions } from './base-conv.js';
export { Conv1D, Conv2D, Conv3D } from './conv.js';
export type { DataFormat, Padding } from './conv-arguments.js';
export { Dense, type DenseOptions } from './dense.js';
export type { DTypeOption, DTypePolicyJson } from './dtype-policy.js';
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
export type { KernelBiasOptions } from './weight-options.js';
