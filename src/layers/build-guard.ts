/**
 * Keras wraps every `build` so that a build called by the user marks the
 * layer built too (else `apply` would build again, with new weights and the
 * penalties counted twice), and so that a built layer refuses a build for
 * another input shape. Also the error of a layer used after `dispose`.
 */
import { ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';
import { sameSampleShape } from './layer-checks.js';
import type { Shape } from './layer-types.js';

/** How the wrapper reads and sets the layer's private build state (closures of the layer's own). */
export interface BuildState {
  builtFor(): Shape | Shape[] | null;
  markBuilt(inputShape: Shape | Shape[]): void;
}

function formatShapes(shape: Shape | Shape[]): string {
  return Array.isArray(shape[0]) ? `[${(shape as Shape[]).map(formatShape).join(', ')}]` : formatShape(shape as Shape);
}

/**
 * Installs the wrapper as an own property of `layer`: subclasses override
 * `build` on the prototype, and the own property is what every caller reaches.
 */
export function guardBuild(
  layer: { readonly name: string; readonly built: boolean },
  subclassBuild: (inputShape: Shape | Shape[]) => void,
  state: BuildState,
): void {
  Object.defineProperty(layer, 'build', {
    configurable: true,
    writable: true,
    value: (inputShape: Shape | Shape[]): void => {
      if (layer.built) {
        const builtFor = state.builtFor();
        if (builtFor != null && !sameSampleShape(builtFor, inputShape)) {
          throw new ValueError(
            `Layer "${layer.name}" is already built for inputs of shape ${formatShapes(builtFor)}. Received: inputShape=${formatShapes(inputShape)}`,
            { argument: 'inputShape', expected: formatShapes(builtFor), received: formatShapes(inputShape) },
          );
        }
        return;
      }
      subclassBuild.call(layer, inputShape);
      state.markBuilt(inputShape);
    },
  });
}

/**
 * The error of a layer or model used after `dispose()`: its weights are
 * freed, and an answer (no weights, no losses) would be wrong without a word.
 */
export function disposedError(kind: 'Layer' | 'Model', name: string, method: string): ValueError {
  return new ValueError(
    `${kind} "${name}" was disposed; ${method}() needs its weights. Build or load the ${kind.toLowerCase()} again.`,
    {
      argument: 'this',
      expected: 'a layer or model that has not been disposed',
      received: `${name} (disposed)`,
    },
  );
}
