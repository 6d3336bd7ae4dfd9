/** ActivityRegularization: the identity, with an L1/L2 penalty on its output. */
import { L1L2 } from '../../regularizers/index.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import type { LayerInputs, LayerOptions, LayerOutputs, Shape } from '../layer-types.js';

/** The options of `ActivityRegularization`, Keras's `ActivityRegularization(l1=0.0, l2=0.0)`. */
export interface ActivityRegularizationOptions extends Omit<LayerOptions, 'activityRegularizer'> {
  /** L1 factor, a non-negative number; default 0. */
  l1?: number;
  /** L2 factor, a non-negative number; default 0. */
  l2?: number;
}

/**
 * Returns its inputs and adds `(l1 * sum(|y|) + l2 * sum(y^2)) / batch` to
 * `losses`: Keras's layer, which is a Layer whose `activityRegularizer` is
 * `L1L2(l1, l2)`, so the base layer's division by the batch size applies.
 * `l1` and `l2` read and write that regularizer's factors.
 *
 * @example new layers.ActivityRegularization({ l2: 0.01 }).apply(x) // x; losses [0.01 * sum(x^2) / batch]
 */
export class ActivityRegularization extends Layer {
  static override readonly className: string = 'ActivityRegularization';
  readonly #penalty: L1L2;

  constructor(options: ActivityRegularizationOptions = {}) {
    // Keras's constructor passes its own activity_regularizer: one more in the options is an error there too.
    const read = readOptions<ActivityRegularizationOptions>('ActivityRegularization', options, [
      'name',
      'trainable',
      'dtype',
      'l1',
      'l2',
    ]);
    const { l1, l2, ...base } = read;
    super({ ...base, activityRegularizer: new L1L2({ l1, l2 }) });
    this.#penalty = this.activityRegularizer as L1L2;
    this.supportsMasking = true;
  }

  get l1(): number {
    return this.#penalty.l1;
  }

  set l1(value: number) {
    this.#penalty.l1 = value;
  }

  get l2(): number {
    return this.#penalty.l2;
  }

  set l2(value: number) {
    this.#penalty.l2 = value;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape.map((d) => (Array.isArray(d) ? [...d] : d)) as Shape | Shape[];
  }

  override call(inputs: LayerInputs): LayerOutputs {
    return inputs;
  }

  /** Keras's config: `l1` and `l2`, without `activity_regularizer`, which the constructor rebuilds from them. */
  override getConfig(): Record<string, unknown> {
    const { activityRegularizer: _, ...base } = super.getConfig();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}
