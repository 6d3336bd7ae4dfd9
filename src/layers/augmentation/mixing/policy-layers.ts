/**
 * The augmentation layers that RandAugment and AugMix choose from, made as
 * Keras makes them from one `factor` pair, `valueRange`, `interpolation`,
 * `seed` and data format (the color and geometric layers of their own
 * families, used as they are).
 */
import type { Layer } from '../../layer.js';
import type { DataFormat } from '../../preprocessing/arguments.js';
import { AutoContrast } from '../color/auto-contrast.js';
import { Equalization } from '../color/equalization.js';
import { RandomBrightness } from '../color/random-brightness.js';
import { RandomColorDegeneration } from '../color/random-color-degeneration.js';
import { RandomContrast } from '../color/random-contrast.js';
import { RandomPosterization } from '../color/random-posterization.js';
import { RandomSharpness } from '../color/random-sharpness.js';
import { Solarization } from '../color/solarization.js';
import type { GeometricInterpolation } from '../geometric/map-coordinates.js';
import { RandomRotation } from '../geometric/random-rotation.js';
import { RandomShear } from '../geometric/random-shear.js';
import { RandomTranslation } from '../geometric/random-translation.js';

/** What the policy layers are made from. */
export interface PolicySettings {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly interpolation: GeometricInterpolation;
  readonly seed: number | null;
  readonly dataFormat: DataFormat;
}

/** Keras's attribute name of each policy layer, with the layer made as Keras makes it. */
export type PolicyLayers = Record<PolicyName, Layer>;

/** The names of the layers, in Keras's `AUGMENT_LAYERS_ALL` order for AugMix. */
export const POLICY_NAMES = [
  'randomShear',
  'randomTranslation',
  'randomRotation',
  'randomPosterization',
  'solarization',
  'autoContrast',
  'equalization',
  'randomBrightness',
  'randomColorDegeneration',
  'randomContrast',
  'randomSharpness',
] as const;

/** One policy layer's name. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** The eleven layers, with Keras's arguments (RandomPosterization's bits: `max(1, int(8 * factor[1]))`). */
export function makePolicyLayers(s: PolicySettings): PolicyLayers {
  const { factor, valueRange, interpolation, seed, dataFormat } = s;
  const geometric = { interpolation, seed, dataFormat };
  const color = { factor, valueRange: [...valueRange] as [number, number], seed, dataFormat };
  return {
    randomShear: new RandomShear({ xFactor: factor, yFactor: factor, ...geometric }),
    randomTranslation: new RandomTranslation({ heightFactor: factor, widthFactor: factor, ...geometric }),
    randomRotation: new RandomRotation({ factor, ...geometric }),
    randomPosterization: new RandomPosterization({
      factor: Math.max(1, Math.trunc(8 * factor[1])),
      valueRange: [...valueRange] as [number, number],
      seed,
      dataFormat,
    }),
    solarization: new Solarization({
      additionFactor: factor,
      thresholdFactor: factor,
      valueRange: [...valueRange] as [number, number],
      seed,
      dataFormat,
    }),
    autoContrast: new AutoContrast({ valueRange: [...valueRange] as [number, number], dataFormat }),
    equalization: new Equalization({ valueRange: [...valueRange] as [number, number], dataFormat }),
    randomBrightness: new RandomBrightness(color),
    randomColorDegeneration: new RandomColorDegeneration(color),
    randomContrast: new RandomContrast(color),
    randomSharpness: new RandomSharpness(color),
  };
}
