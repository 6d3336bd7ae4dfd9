import type * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { Callback } from './callback.js';

/** The options of `SwapEMAWeights`, Keras's `SwapEMAWeights(swap_on_epoch=False)`. */
export interface SwapEMAWeightsOptions {
  /** Also hold the averages in the model at each epoch's end (for the callbacks after this one, e.g. a checkpoint); default false. */
  swapOnEpoch?: boolean;
}

/** What this callback needs of the optimizer (the optimizer protocol's EMA methods). */
interface EmaOptimizer {
  useEma?: boolean;
  swapEmaWeights(variables: readonly tf.Variable[]): void;
  finalizeVariableValues(variables: readonly tf.Variable[]): void;
}

/**
 * Keras's `SwapEMAWeights`: with an optimizer made with `useEma: true`, the
 * model holds the exponential moving averages of its weights during
 * evaluation and prediction (and, with `swapOnEpoch`, at each epoch's end,
 * for the callbacks that follow it), its own weights otherwise. Keras's
 * `on_test_begin`/`on_test_end` and predict hooks are `onTestBegin`,
 * `onTestEnd`, `onPredictBegin`, `onPredictEnd`.
 *
 * @example
 * model.compile({ optimizer: new optimizers.SGD({ useEma: true }), loss: 'mse' });
 * await model.fit(x, y, { epochs: 5, callbacks: [new callbacks.SwapEMAWeights({ swapOnEpoch: true }), new callbacks.ModelCheckpoint({ filepath: 'ema.keras' })] });
 */
export class SwapEMAWeights extends Callback {
  readonly swapOnEpoch: boolean;
  #emaInModel = false;
  /** The model's own weights while it holds the averages between an epoch's end and the next one's start. */
  #ownWeights: tf.Tensor[] | null = null;

  constructor(options: SwapEMAWeightsOptions = {}) {
    super();
    const read = readOptions<SwapEMAWeightsOptions>('SwapEMAWeights', options, ['swapOnEpoch']);
    const swapOnEpoch = read.swapOnEpoch ?? false;
    if (typeof swapOnEpoch !== 'boolean') throw invalidArgument('swapOnEpoch', 'a boolean', swapOnEpoch);
    this.swapOnEpoch = swapOnEpoch;
  }

  /** The optimizer, checked to keep averages (Keras's error otherwise). */
  private optimizer(): EmaOptimizer {
    const optimizer = this.model?.optimizer as unknown as EmaOptimizer | null | undefined;
    if (optimizer == null || optimizer.useEma !== true || typeof optimizer.swapEmaWeights !== 'function') {
      throw new ValueError(
        `SwapEMAWeights must be used when \`useEma=true\` is set on the optimizer. Received: useEma=${optimizer?.useEma ?? false}`,
        {
          argument: 'optimizer',
          expected: 'an optimizer with useEma: true',
          received: `useEma=${optimizer?.useEma ?? false}`,
        },
      );
    }
    return optimizer;
  }

  private variables(): tf.Variable[] {
    return (this.model?.trainableWeights ?? []) as tf.Variable[];
  }

  private swap(): void {
    this.optimizer().swapEmaWeights(this.variables());
  }

  override onEpochBegin(): void {
    if (this.swapOnEpoch && this.#emaInModel) {
      // Keras swaps back: the model its own weights, the optimizer the averages (which it holds already).
      const variables = this.variables();
      for (const [i, v] of variables.entries()) v.assign(this.#ownWeights?.[i] as tf.Tensor);
      this.disposeOwnWeights();
      this.#emaInModel = false;
    }
  }

  override onEpochEnd(): void {
    if (this.swapOnEpoch && !this.#emaInModel) {
      // Keras swaps (model: the averages; optimizer: the model's weights), and after the last
      // epoch also sets the averages to the model's values, so that fit's final
      // `finalizeVariableValues` keeps them. We do the latter at every epoch's end, keeping the
      // model's own weights here for the next epoch: the same states, without knowing which
      // epoch is the last (and a run stopped early also ends with the averages).
      const variables = this.variables();
      const optimizer = this.optimizer();
      this.disposeOwnWeights();
      this.#ownWeights = variables.map((v) => v.clone());
      optimizer.finalizeVariableValues(variables);
      this.#emaInModel = true;
    }
  }

  override onTrainEnd(): void {
    // Model and averages now hold the same values (fit writes the averages into the model): nothing to swap back.
    this.disposeOwnWeights();
    this.#emaInModel = false;
  }

  private disposeOwnWeights(): void {
    for (const t of this.#ownWeights ?? []) t.dispose();
    this.#ownWeights = null;
  }

  override onTestBegin(): void {
    if (!this.#emaInModel) {
      this.swap();
      this.#emaInModel = true;
    }
  }

  override onTestEnd(): void {
    if (this.#emaInModel) {
      this.swap();
      this.#emaInModel = false;
    }
  }

  onPredictBegin(): void {
    this.onTestBegin();
  }

  onPredictEnd(): void {
    this.onTestEnd();
  }
}
