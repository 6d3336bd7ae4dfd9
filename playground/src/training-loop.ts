/**
 * Runs training steps in chunks of about 50 ms, yielding to the browser
 * between chunks so that controls stay live: a change made during training
 * is applied before the next chunk, i.e. from the next step on.
 */
import type { Trainer } from './trainer.js';

const CHUNK_MS = 50;

export interface LoopEvents {
  /** After each chunk: cheap drawings. */
  onChunk(): void;
  /** When the loop stops, by reaching its target, a pause or an error. */
  onStop(error: unknown): void;
}

export class TrainingLoop {
  #target = 0;
  #running = false;
  /** Milliseconds per step (both runs), a moving average over chunks. */
  msPerStep = 0;

  constructor(
    private readonly trainer: Trainer,
    private readonly events: LoopEvents,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  /** Trains until step `target` (Infinity: until paused). */
  runUntil(target: number): void {
    this.#target = target;
    if (!this.#running) void this.#loop();
  }

  pause(): void {
    this.#target = this.trainer.step;
  }

  async #loop(): Promise<void> {
    this.#running = true;
    let failure: unknown = null;
    try {
      while (this.trainer.step < this.#target) {
        const began = performance.now();
        const first = this.trainer.step;
        do this.trainer.trainStep();
        while (this.trainer.step < this.#target && performance.now() - began < CHUNK_MS);
        const ms = (performance.now() - began) / (this.trainer.step - first);
        // Smoothed over chunks: one chunk's time jumps with whatever else the machine runs.
        this.msPerStep = this.msPerStep === 0 ? ms : 0.8 * this.msPerStep + 0.2 * ms;
        this.events.onChunk();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } catch (error) {
      failure = error;
    } finally {
      this.#running = false;
      this.events.onStop(failure);
    }
  }
}
