/** The `callbacks` namespace. */
export { Callback, CallbackList, type Logs } from './callback.js';
export { History } from './history.js';
export { ProgressBar, type TextSink } from './progress-bar.js';
export { RegularizerSchedule, type RegularizerScheduleOptions } from './regularizer-schedule.js';
export { RuntimeError, TerminateOnNaN, type TerminateOnNaNOptions } from './terminate-on-nan.js';
