/**
 * The gradients this library puts in place of tfjs's stock ones, kept so
 * they can be put back. tfjs's registries are global (shared through
 * `globalThis`), and a second copy of tfjs-core registers every stock
 * gradient again when it loads: importing `@tensorflow/tfjs-layers` does
 * (its CommonJS build loads tfjs-core's own), and a CNN's training step
 * then ran 40% slower. Training steps call `reassertOwnGradients()`, so
 * the order in which packages load does not matter.
 */
import * as tf from '@tensorflow/tfjs-core';

const own = new Map<string, tf.GradConfig>();

/** Registers `config` over the stock gradient of its kernel, and remembers it. */
export function registerOwnGradient(config: tf.GradConfig): void {
  own.set(config.kernelName, config);
  tf.registerGradient(config);
}

/** Puts back each of our gradients that something registered over since (a few map lookups when none was). */
export function reassertOwnGradients(): void {
  for (const [kernelName, config] of own) {
    if (tf.getGradient(kernelName) !== config) tf.registerGradient(config);
  }
}
