/** Identity: a placeholder layer that returns its inputs. */
import { Layer } from '../layer.js';
import { type LayerInputs, type LayerOptions, type LayerOutputs, layerOptionsOf, type Shape } from '../layer-types.js';

/**
 * Returns its inputs unchanged (the same tensor objects, a list as a list).
 *
 * @example new layers.Identity().apply(x) === x
 */
export class Identity extends Layer {
  static override readonly className: string = 'Identity';

  constructor(options: LayerOptions = {}) {
    super(layerOptionsOf('Identity', options, []));
    this.supportsMasking = true;
  }

  /** A copy, so that the caller may change it without changing the input's. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape.map((d) => (Array.isArray(d) ? [...d] : d)) as Shape | Shape[];
  }

  override call(inputs: LayerInputs): LayerOutputs {
    return inputs;
  }
}
