import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { Callback, type Logs } from './callback.js';

type Hook<A extends unknown[]> = ((...args: A) => void | Promise<void>) | null;

/** The options of `LambdaCallback`, Keras's `LambdaCallback(on_epoch_begin=None, ..., on_train_batch_end=None)` camelCased. */
export interface LambdaCallbackOptions {
  onEpochBegin?: Hook<[epoch: number, logs?: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs?: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs?: Logs]>;
  onTrainBegin?: Hook<[logs?: Logs]>;
  onTrainEnd?: Hook<[logs?: Logs]>;
}

const HOOKS = ['onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTrainBegin', 'onTrainEnd'] as const;

/**
 * Keras's `LambdaCallback`: a callback made of functions, each called at
 * its moment with Keras's arguments (`epoch`/`batch` and the logs); a
 * promise it returns is awaited.
 *
 * @example new callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  constructor(options: LambdaCallbackOptions = {}) {
    super();
    const read = readOptions<LambdaCallbackOptions>('LambdaCallback', options, HOOKS);
    for (const name of HOOKS) {
      const hook = read[name];
      if (hook == null) continue;
      if (typeof hook !== 'function') throw invalidArgument(name, 'a function or null', hook);
      // An own property over the base class's no-op method, as Keras sets the attribute.
      Object.defineProperty(this, name, { value: hook, writable: true, configurable: true });
    }
  }
}
