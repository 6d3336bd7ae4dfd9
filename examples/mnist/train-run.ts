/** One training run: a variant from one seed, measured after training (and, when asked, its learning curves). */
import { optimizers, utils } from 'keras-regularizers';
import { type CurvePoint, CurveRecorder } from './curves.js';
import type { Split } from './data.js';
import { buildModel, type Variant } from './variants.js';
import { type WeightStats, weightStats } from './weight-stats.js';

export interface Settings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Learning-curve points per epoch, on the runs that record curves. */
  checkpointsPerEpoch: number;
}

export interface SeedRun {
  variant: string;
  seed: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Cross-entropy on the test split, without the penalties. */
  testDataLoss: number;
  /** `regularization_loss` over the training split after training. */
  penalty: number;
  /** Training time, without the learning curves' evaluations. */
  seconds: number;
  weights: WeightStats;
  curves: CurvePoint[] | null;
}

export async function trainRun(
  variant: Variant,
  seed: number,
  data: { train: Split; test: Split },
  settings: Settings,
  recordCurves: boolean,
): Promise<SeedRun> {
  const { train, test } = data;
  // The seed sets the initial weights and the shuffling order.
  utils.setRandomSeed(seed);
  const model = buildModel(variant);
  try {
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: settings.learningRate }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const samples = train.x.shape[0];
    const recorder = recordCurves
      ? new CurveRecorder([test.x, test.y], samples, settings.batchSize, settings.checkpointsPerEpoch)
      : null;
    const started = performance.now();
    await model.fit(train.x, train.y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      callbacks: recorder == null ? [] : [recorder],
      verbose: 0,
    });
    const seconds = (performance.now() - started) / 1000 - (recorder?.evaluationSeconds ?? 0);
    const onTrain = model.evaluate(train.x, train.y, { batchSize: 512 });
    const onTest = model.evaluate(test.x, test.y, { batchSize: 512 });
    return {
      variant: variant.name,
      seed,
      trainAccuracy: onTrain.accuracy as number,
      testAccuracy: onTest.accuracy as number,
      testDataLoss: (onTest.loss as number) - (onTest.regularization_loss ?? 0),
      penalty: onTrain.regularization_loss ?? 0,
      seconds,
      weights: weightStats(model),
      curves: recorder?.points ?? null,
    };
  } finally {
    model.dispose();
  }
}

/** A variant's runs, one per seed. */
export interface VariantResult {
  name: string;
  description: string;
  runs: SeedRun[];
}
