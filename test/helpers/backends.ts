import { before, describe } from 'node:test';
import { backend } from 'keras-regularizers';

/** Every test of numbers runs on each of these. */
export const BACKENDS = ['cpu', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Declares `body`'s tests once per backend, switching the engine before each group. */
export function describeEachBackend(title: string, body: (name: BackendName) => void): void {
  for (const name of BACKENDS) {
    describe(`${title} [${name}]`, () => {
      before(async () => {
        await backend.setBackend(name);
      });
      body(name);
    });
  }
}
