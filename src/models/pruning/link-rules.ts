/**
 * The layers that carry features through without choosing them: each output
 * feature is tied to input features (the same channel after
 * BatchNormalization, an activation, pooling, a merge; a channel's every
 * position after Flatten; an offset after Concatenate). A feature is dropped
 * on one side of such a layer only with all the features tied to it.
 */
import type { Layer } from '../../layers/layer.js';
import type { Shape } from '../../layers/layer-types.js';
import { type HostArray, hostArray, take } from './arrays.js';
import type { RewrittenLayer } from './weight-rules.js';

/** What the analysis asks of a layer that ties features. */
export interface LinkRule {
  readonly kind: 'link';
  /** `[input index, input feature, output feature]` triples. */
  ties(inputs: readonly Shape[], output: Shape): [number, number, number][];
  /** The config and weights of the layer for the kept features (of its first input: channel-wise layers). */
  rewrite(keepIn: readonly number[]): RewrittenLayer;
}

const last = (shape: Shape) => shape[shape.length - 1] as number;

/** Layers that act on each channel alone, the last axis in and out the same. */
const CHANNELWISE = new Set([
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'ActivityRegularization',
  'Identity',
  'UpSampling1D',
  'UpSampling2D',
  'UpSampling3D',
  'ZeroPadding1D',
  'ZeroPadding2D',
  'ZeroPadding3D',
  'Cropping1D',
  'Cropping2D',
  'Cropping3D',
]);
const CHANNELS_LAST = /^(Max|Average|GlobalMax|GlobalAverage)Pooling[123]D$/;
const ELEMENTWISE = new Set(['Add', 'Subtract', 'Average', 'Maximum', 'Minimum', 'Multiply']);
/** Activations that mix the last axis: not channel-wise. */
const MIXING = new Set(['softmax', 'log_softmax', 'logSoftmax']);

const sameChannels = (inputs: readonly Shape[]): [number, number, number][] =>
  inputs.flatMap((shape, i) => Array.from({ length: last(shape) }, (_, f): [number, number, number] => [i, f, f]));

function plain(layer: Layer): RewrittenLayer {
  return { config: layer.getConfig(), weights: [] };
}

/** Channel-wise layers with per-channel weights (BatchNormalization, DepthwiseConv with one filter per channel): sliced. */
function slicedChannels(layer: Layer, axisOf: (w: HostArray) => number): LinkRule {
  const weights = layer.weightRecords().map((w) => hostArray(w.variable));
  return {
    kind: 'link',
    ties: sameChannels,
    rewrite: (keepIn) => ({ config: layer.getConfig(), weights: weights.map((w) => take(w, axisOf(w), keepIn)) }),
  };
}

/** The link rule of `layer`, or a reason why it has none. */
export function linkRule(layer: Layer, className: string): LinkRule | string {
  const config = layer.getConfig();
  const plainRule = (ties: LinkRule['ties']): LinkRule => ({ kind: 'link', ties, rewrite: () => plain(layer) });
  if (CHANNELWISE.has(className)) return plainRule(sameChannels);
  if (className === 'Activation') {
    return MIXING.has(String(config.activation))
      ? `its activation "${String(config.activation)}" mixes the features`
      : plainRule(sameChannels);
  }
  if (CHANNELS_LAST.test(className)) {
    return config.dataFormat === 'channelsLast' ? plainRule(sameChannels) : 'it pools channels-first data';
  }
  if (ELEMENTWISE.has(className)) return plainRule(sameChannels);
  if (className === 'BatchNormalization') {
    const axis = config.axis;
    return axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1)
      ? slicedChannels(layer, () => 0)
      : 'it normalizes an axis other than the last';
  }
  if (/^DepthwiseConv[12]D$/.test(className)) {
    if (config.depthMultiplier !== 1 || config.dataFormat !== 'channelsLast') {
      return 'its depth multiplier is not 1 (or its data is channels-first)';
    }
    return slicedChannels(layer, (w) => (w.shape.length === 1 ? 0 : w.shape.length - 2));
  }
  if (className === 'Flatten') {
    return plainRule((inputs) => {
      const channels = last(inputs[0] as Shape);
      const positions = (inputs[0] as Shape).slice(1, -1).reduce<number>((a, d) => a * (d ?? 1), 1);
      const ties: [number, number, number][] = [];
      for (let p = 0; p < positions; p++) for (let c = 0; c < channels; c++) ties.push([0, c, p * channels + c]);
      return ties;
    });
  }
  if (className === 'Concatenate') {
    if (config.axis !== -1) return 'it concatenates along an axis other than the last';
    return plainRule((inputs) => {
      let offset = 0;
      return inputs.flatMap((shape, i) => {
        const n = last(shape);
        const start = offset;
        offset += n;
        return Array.from({ length: n }, (_, f): [number, number, number] => [i, f, start + f]);
      });
    });
  }
  return `prune does not rewrite ${className} layers`;
}
