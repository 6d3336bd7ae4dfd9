/**
 * The `layers` namespace, Keras's `keras.layers`: the Layer base class and
 * Keras's layers (core, convolution, pooling, recurrent, attention,
 * normalization, merging, reshaping, regularization), each with Keras's
 * options camelCased, and layer JSON.
 *
 * @packageDocumentation
 * @example const y = new layers.Dense({ units: 10, activation: 'softmax' }).apply(x);
 */

export { Activation } from './activations/activation.js';
export { ELU } from './activations/elu.js';
export { LeakyReLU, type LeakyReLUOptions } from './activations/leaky-relu.js';
export { PReLU, type PReLUOptions } from './activations/prelu.js';
export { ReLU, type ReLUOptions } from './activations/relu.js';
export { Softmax } from './activations/softmax.js';
export {
  CustomScaleLayer,
  type CustomScaleLayerOptions,
  LayerScale,
  type LayerScaleOptions,
} from './applications/index.js';
export type { DataFormat, Padding } from './arguments.js';
export { AdditiveAttention, type AdditiveAttentionOptions } from './attention/additive-attention.js';
export { Attention, type AttentionLayerOptions, type ScoreMode } from './attention/attention.js';
export type { AttentionOptions } from './attention/attention-options.js';
export { DenseAttention, type DenseAttentionOptions } from './attention/dense-attention.js';
export {
  GroupedQueryAttention,
  GroupedQueryAttention as GroupQueryAttention,
  type GroupedQueryAttentionOptions,
} from './attention/grouped-query-attention.js';
export { MultiHeadAttention, type MultiHeadAttentionOptions } from './attention/multi-head-attention.js';
export * from './augmentation/color/index.js';
export * from './augmentation/geometric/index.js';
export * from './augmentation/mixing/index.js';
export { BaseConv, type ConvOptions } from './convolutional/base-conv.js';
export { BaseConvTranspose, type ConvTransposeOptions } from './convolutional/base-conv-transpose.js';
export { BaseDepthwiseConv, type DepthwiseConvOptions } from './convolutional/base-depthwise-conv.js';
export { BaseSeparableConv, type SeparableConvOptions } from './convolutional/base-separable-conv.js';
export {
  Conv1D,
  Conv1D as Convolution1D,
  Conv2D,
  Conv2D as Convolution2D,
  Conv3D,
  Conv3D as Convolution3D,
} from './convolutional/conv.js';
export {
  Conv1DTranspose,
  Conv1DTranspose as Convolution1DTranspose,
  Conv2DTranspose,
  Conv2DTranspose as Convolution2DTranspose,
  Conv3DTranspose,
  Conv3DTranspose as Convolution3DTranspose,
} from './convolutional/conv-transpose.js';
export { DepthwiseConv1D, DepthwiseConv2D } from './convolutional/depthwise-conv.js';
export {
  SeparableConv1D,
  SeparableConv1D as SeparableConvolution1D,
  SeparableConv2D,
  SeparableConv2D as SeparableConvolution2D,
} from './convolutional/separable-conv.js';
export { Dense, type DenseOptions } from './core/dense.js';
export { EinsumDense, type EinsumDenseOptions } from './core/einsum-dense.js';
export { Embedding, type EmbeddingOptions } from './core/embedding.js';
export { Identity } from './core/identity.js';
export { Input, type InputDtype, InputLayer, type InputLayerOptions } from './core/input-layer.js';
export { Masking, type MaskingOptions } from './core/masking.js';
export {
  FlaxLayer,
  JaxLayer,
  Lambda,
  PythonCodeLayer,
  pythonLayerError,
  TFSMLayer,
  TorchModuleWrapper,
} from './core/python-layers.js';
export { ReversibleEmbedding, type ReversibleEmbeddingOptions } from './core/reversible-embedding.js';
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
  type Mask,
  type Masks,
  type Shape,
} from './layer-types.js';
export { Concatenate, type ConcatenateOptions } from './merging/concatenate.js';
export { Dot, type DotAxes, type DotOptions } from './merging/dot.js';
export { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
export { Merge } from './merging/merge.js';
export { BatchNormalization, type BatchNormalizationOptions } from './normalization/batch-normalization.js';
export { GammaBetaLayer, type GammaBetaOptions } from './normalization/gamma-beta.js';
export { GroupNormalization, type GroupNormalizationOptions } from './normalization/group-normalization.js';
export { LayerNormalization, type LayerNormalizationOptions } from './normalization/layer-normalization.js';
export { RMSNormalization, type RMSNormalizationOptions } from './normalization/rms-normalization.js';
export {
  SpectralNormalization,
  type SpectralNormalizationOptions,
} from './normalization/spectral-normalization.js';
export { UnitNormalization } from './normalization/unit-normalization.js';
export {
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
  type AdaptivePoolingOptions,
  adaptiveBins,
  BaseAdaptivePooling,
} from './pooling/adaptive-pooling.js';
export { BaseGlobalPooling, type GlobalPoolingOptions } from './pooling/base-global-pooling.js';
export { type AveragePoolingOptions, BasePooling, type PoolingOptions } from './pooling/base-pooling.js';
export {
  GlobalAveragePooling1D,
  GlobalAveragePooling1D as GlobalAvgPool1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling2D as GlobalAvgPool2D,
  GlobalAveragePooling3D,
  GlobalAveragePooling3D as GlobalAvgPool3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling1D as GlobalMaxPool1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling2D as GlobalMaxPool2D,
  GlobalMaxPooling3D,
  GlobalMaxPooling3D as GlobalMaxPool3D,
} from './pooling/global-pooling.js';
export {
  AveragePooling1D,
  AveragePooling1D as AvgPool1D,
  AveragePooling2D,
  AveragePooling2D as AvgPool2D,
  AveragePooling3D,
  AveragePooling3D as AvgPool3D,
  MaxPooling1D,
  MaxPooling1D as MaxPool1D,
  MaxPooling2D,
  MaxPooling2D as MaxPool2D,
  type MaxPooling2DOptions,
  MaxPooling3D,
  MaxPooling3D as MaxPool3D,
} from './pooling/pooling.js';
export { CategoryEncoding, type CategoryEncodingOptions } from './preprocessing/category-encoding.js';
export { CenterCrop, type CenterCropOptions } from './preprocessing/center-crop.js';
export { Discretization, type DiscretizationOptions } from './preprocessing/discretization.js';
export { HashedCrossing, type HashedCrossingOptions } from './preprocessing/hashed-crossing.js';
export { Hashing, type HashingOptions } from './preprocessing/hashing.js';
export { IndexLookup } from './preprocessing/index-lookup.js';
export type { IndexLookupOptions, LookupOutputMode } from './preprocessing/index-lookup-options.js';
export { IntegerLookup, type IntegerLookupOptions } from './preprocessing/integer-lookup.js';
export { MelSpectrogram, type MelSpectrogramOptions } from './preprocessing/mel-spectrogram.js';
export { type NestedNumbers, Normalization, type NormalizationOptions } from './preprocessing/normalization.js';
export { Rescaling, type RescalingOptions, type ScaleValue } from './preprocessing/rescaling.js';
export { Resizing, type ResizingOptions } from './preprocessing/resizing.js';
export type { StftScaling } from './preprocessing/stft-kernels.js';
export { STFTSpectrogram, type STFTSpectrogramOptions, type StftMode } from './preprocessing/stft-spectrogram.js';
export { StringLookup, type StringLookupOptions } from './preprocessing/string-lookup.js';
export type { Split, Standardize } from './preprocessing/text-tokens.js';
export {
  type TextOutputMode,
  TextVectorization,
  type TextVectorizationOptions,
} from './preprocessing/text-vectorization.js';
export type { WindowOption } from './preprocessing/windows.js';
export {
  ActivityRegularization,
  type ActivityRegularizationOptions,
} from './regularization/activity-regularization.js';
export { AlphaDropout, type AlphaDropoutOptions } from './regularization/alpha-dropout.js';
export { Dropout, type DropoutOptions } from './regularization/dropout.js';
export { GaussianDropout, type GaussianDropoutOptions } from './regularization/gaussian-dropout.js';
export { GaussianNoise, type GaussianNoiseOptions } from './regularization/gaussian-noise.js';
export {
  BaseSpatialDropout,
  SpatialDropout1D,
  type SpatialDropout1DOptions,
  SpatialDropout2D,
  SpatialDropout3D,
  type SpatialDropoutOptions,
} from './regularization/spatial-dropout.js';
export { BaseUpSampling } from './reshaping/base-up-sampling.js';
export {
  BaseCropping,
  Cropping1D,
  type Cropping1DOptions,
  Cropping2D,
  type Cropping2DOptions,
  Cropping3D,
  type Cropping3DOptions,
} from './reshaping/cropping.js';
export { Flatten } from './reshaping/flatten.js';
export { Permute, type PermuteOptions } from './reshaping/permute.js';
export { RepeatVector, type RepeatVectorOptions } from './reshaping/repeat-vector.js';
export { Reshape, type ReshapeOptions } from './reshaping/reshape.js';
export {
  UpSampling1D,
  type UpSampling1DOptions,
  UpSampling2D,
  type UpSampling2DOptions,
  UpSampling3D,
  type UpSampling3DOptions,
} from './reshaping/up-sampling.js';
export {
  BaseZeroPadding,
  ZeroPadding1D,
  type ZeroPadding1DOptions,
  ZeroPadding2D,
  type ZeroPadding2DOptions,
  ZeroPadding3D,
  type ZeroPadding3DOptions,
  type ZeroPaddingOptions,
} from './reshaping/zero-padding.js';
export { Bidirectional, type BidirectionalOptions, type MergeMode } from './rnn/bidirectional.js';
export { GRUCell, type GRUCellOptions, LSTMCell, type LSTMCellOptions, SimpleRNNCell } from './rnn/cells.js';
export { ConvLSTM, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, type ConvLSTMOptions } from './rnn/conv-lstm.js';
export { ConvLSTMCell } from './rnn/conv-lstm-cell.js';
export type { ConvLSTMCellOptions } from './rnn/conv-lstm-options.js';
export {
  GRU,
  type GRUOptions,
  LSTM,
  type LSTMOptions,
  SimpleRNN,
  type SimpleRNNOptions,
} from './rnn/recurrent-layers.js';
export { RNN, type RNNCell, type RNNOptions, type RNNSettings } from './rnn/rnn.js';
export { RNNCellBase, type RNNCellOptions } from './rnn/rnn-cell.js';
export { StackedRNNCells, type StackedRNNCellsOptions } from './rnn/stacked-rnn-cells.js';
export { TimeDistributed, type TimeDistributedOptions } from './rnn/time-distributed.js';
export { deserialize, type LayerJson, serialize } from './serialization.js';
export { KerasTensor, Node } from './symbolic/keras-tensor.js';
