/**
 * One run of the smaller-model demo: train a variant from a seed, prune it,
 * fine-tune the pruned model (magnitude pruning: masked epochs before
 * pruning, as TF-MOT), measure it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { models, optimizers, utils } from 'keras-regularizers';
import type { Split } from '../mnist/data.js';
import { KeepMasked, magnitudeMasks, nonzeroParams } from './magnitude.js';
import { type Architecture, buildModel, type Variant } from './variants.js';

export interface Settings {
  epochs: number;
  /** Epochs after pruning (masked, for magnitude pruning, before it), for every variant alike. */
  fineTuneEpochs: number;
  batchSize: number;
  learningRate: number;
}

export interface PrunedRun {
  variant: string;
  seed: number;
  /** Test accuracy of the model as it would ship: pruned (or masked, for magnitude pruning). */
  accuracy: number;
  /** Parameters before pruning. */
  paramsBefore: number;
  /** Parameters of `models.prune`'s model: what a dense `.keras` file stores. */
  params: number;
  /** Nonzero weights (kernels' nonzeros plus every bias and other weight) of the model as it ships. */
  nonzero: number;
  /** Units (or filters) of each layer with weights after pruning, e.g. "784 -> 212-97-10". */
  shape: string;
  seconds: number;
}

const asInput = (architecture: Architecture, x: tf.Tensor) =>
  architecture === 'cnn' ? x.reshape([x.shape[0] as number, 28, 28, 1]) : x;

/** Trains, prunes and measures one variant; `targetParams` sizes the magnitude baseline. */
export async function prunedRun(
  architecture: Architecture,
  variant: Variant,
  seed: number,
  data: { train: Split; test: Split },
  settings: Settings,
  targetParams?: number,
): Promise<PrunedRun> {
  utils.setRandomSeed(seed);
  const model = buildModel(architecture, variant);
  const started = performance.now();
  const x = asInput(architecture, data.train.x);
  const xTest = asInput(architecture, data.test.x);
  try {
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: settings.learningRate }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    await model.fit(x, data.train.y, { epochs: settings.epochs, batchSize: settings.batchSize, verbose: 0 });
    const paramsBefore = model.countParams();
    if (variant.magnitude) {
      // TF-MOT's way: zero the smallest weights, then fine-tune with the mask held.
      const keep = Math.min(1, (targetParams ?? paramsBefore) / paramsBefore);
      const masks = magnitudeMasks(model, keep);
      await model.fit(x, data.train.y, {
        epochs: settings.fineTuneEpochs,
        batchSize: settings.batchSize,
        verbose: 0,
        callbacks: [new KeepMasked(model, masks)],
      });
      tf.dispose(masks);
    }
    const { model: pruned, report } = models.prune(model, { inputs: architecture === 'mlp' });
    const kept = report.inputs[0]?.kept ?? [];
    const select = (t: tf.Tensor) => (architecture === 'mlp' ? tf.gather(t, kept, 1) : t);
    const xPruned = select(x);
    const xTestPruned = select(xTest);
    try {
      pruned.compile({
        optimizer: new optimizers.Adam({ learningRate: settings.learningRate }),
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy'],
      });
      if (!variant.magnitude) {
        // Every variant trains as many more epochs: the pruned model (no regularizer left) fine-tunes.
        await pruned.fit(xPruned, data.train.y, {
          epochs: settings.fineTuneEpochs,
          batchSize: settings.batchSize,
          verbose: 0,
        });
      }
      const scores = pruned.evaluate(xTestPruned, data.test.y, { batchSize: 512 });
      const units = report.layers.filter((l) => l.paramsBefore > 0).map((l) => l.unitsAfter);
      return {
        variant: variant.name,
        seed,
        accuracy: scores.accuracy as number,
        paramsBefore,
        params: report.paramsAfter,
        nonzero: nonzeroParams(variant.magnitude ? model : pruned),
        shape: `${report.inputs[0]?.after} -> ${units.join('-')}`,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      pruned.dispose();
      if (xPruned !== x) xPruned.dispose();
      if (xTestPruned !== xTest) xTestPruned.dispose();
    }
  } finally {
    model.dispose();
    if (x !== data.train.x) x.dispose();
    if (xTest !== data.test.x) xTest.dispose();
  }
}
