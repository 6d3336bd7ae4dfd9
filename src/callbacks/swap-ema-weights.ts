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
      this.swap();
      this.#emaInModel = false;
    }
  }

  override onEpochEnd(epoch: number): void {
    if (this.swapOnEpoch && !this.#emaInModel) {
      this.swap();
      this.#emaInModel = true;
      // Keras's `params["epochs"]`: after the last epoch the averages stay (fit then writes them into the model).
      const epochs = (this as { params?: { epochs?: number } }).params?.epochs;
      if (epochs != null && epoch === epochs - 1) this.finalizeEma();
    }
  }

  /** Keras's `_finalize_ema_values`: the averages take the values now in the model. */
  private finalizeEma(): void {
    const optimizer = this.optimizer();
    // The averages become the model's values (the averages, swapped in), so that the optimizer's
    // end-of-fit finalize keeps them: swap back then forward leaves both holding the averages.
    const variables = this.variables();
    const kept = variables.map((v) => v.clone());
    optimizer.swapEmaWeights(variables);
    variables.forEach((v, i) => {
      v.assign(kept[i] as tf.Tensor);
      (kept[i] as tf.Tensor).dispose();
    });
  }

  onTestBegin(): void {
    if (!this.#emaInModel) {
      this.swap();
      this.#emaInModel = true;
    }
  }

  onTestEnd(): void {
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
