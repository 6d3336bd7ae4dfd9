/**
 * The `callbacks` namespace, Keras's `keras.callbacks`: hooks that `fit`
 * calls at the start and end of training, of each epoch and of each batch.
 * Pass them as `fit`'s `callbacks` option.
 *
 * @packageDocumentation
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new callbacks.TerminateOnNaN()] });
 */
export { Callback, CallbackList, type Logs } from './callback.js';
export { History } from './history.js';
export { ProgressBar, type TextSink } from './progress-bar.js';
export { RegularizerSchedule, type RegularizerScheduleOptions } from './regularizer-schedule.js';
export { RuntimeError, TerminateOnNaN, type TerminateOnNaNOptions } from './terminate-on-nan.js';
