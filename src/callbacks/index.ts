/**
 * The `callbacks` namespace, Keras's `keras.callbacks`: hooks that `fit`
 * calls at the start and end of training, of each epoch and of each batch.
 * Pass them as `fit`'s `callbacks` option.
 *
 * @packageDocumentation
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new callbacks.TerminateOnNaN()] });
 */
export { BackupAndRestore, type BackupAndRestoreOptions, type TrainingMetadata } from './backup-and-restore.js';
export { Callback, CallbackList, type Logs } from './callback.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { History } from './history.js';
export { LambdaCallback, type LambdaCallbackOptions } from './lambda-callback.js';
export { LearningRateScheduler, type LearningRateSchedulerOptions } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { MonitorCallback, type MonitorMode } from './monitor.js';
export { ProgressBar, type TextSink } from './progress-bar.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { RegularizerSchedule, type RegularizerScheduleOptions } from './regularizer-schedule.js';
export { SwapEMAWeights, type SwapEMAWeightsOptions } from './swap-ema-weights.js';
export { RuntimeError, TerminateOnNaN, type TerminateOnNaNOptions } from './terminate-on-nan.js';
