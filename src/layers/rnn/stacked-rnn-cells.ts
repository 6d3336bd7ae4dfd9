/** Keras's `StackedRNNCells`: several cells run as one, each step through all of them. */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { DeserializeOptions } from '../../serialization/serialization.js';
import { formatValue } from '../../utils/format.js';
import { inNameScope } from '../call-context.js';
import { Layer } from '../layer.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { deserializeUnbuilt, layerCodec } from './layer-codec.js';

/** A cell as a stack holds it: a layer with `stateSize` (and maybe `outputSize`). */
type Cell = Layer & { readonly stateSize: number | number[]; readonly outputSize?: number };

/** Options of `StackedRNNCells` (Keras: `StackedRNNCells(cells)`). */
export interface StackedRNNCellsOptions extends LayerOptions {
  /** The cells, first to last: each step's input goes through them in order. */
  cells: Layer[];
}

const sizesOf = (cell: Cell): number[] => (Array.isArray(cell.stateSize) ? [...cell.stateSize] : [cell.stateSize]);

/**
 * Several RNN cells as one cell (Keras's `StackedRNNCells`): at each step
 * the input runs through the cells in order, each with its own states; the
 * stack's states are the cells' states, first cell first, and its output is
 * the last cell's. `new layers.RNN({ cell: [cellA, cellB] })` makes one.
 *
 * @example new layers.RNN({ cell: new layers.StackedRNNCells({ cells: [new layers.LSTMCell({ units: 8 }), new layers.GRUCell({ units: 4 })] }) })
 */
export class StackedRNNCells extends Layer {
  static override readonly className: string = 'StackedRNNCells';
  /** One tensor in gives `[output, ...states]` (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  readonly cells: Cell[];

  constructor(options: StackedRNNCellsOptions) {
    super(layerOptionsOf('StackedRNNCells', options, ['cells']));
    const cells = options.cells as unknown;
    if (!Array.isArray(cells) || cells.length === 0) {
      throw new ValueError(`StackedRNNCells expects a non-empty list of cells. Received: cells=${formatValue(cells)}`, {
        argument: 'cells',
        expected: 'a non-empty array of cells',
        received: formatValue(cells),
      });
    }
    cells.forEach((cell, i) => {
      const size = (cell as { stateSize?: unknown })?.stateSize;
      const sizes = Array.isArray(size) ? size : [size];
      if (!(cell instanceof Layer) || !sizes.every((s) => Number.isInteger(s) && (s as number) > 0)) {
        throw new ValueError(
          `All cells must be layers with a \`stateSize\` attribute. Received: cells[${i}]=${formatValue(cell)}`,
          { argument: `cells[${i}]`, expected: 'a layer with stateSize', received: formatValue(cell) },
        );
      }
    });
    this.cells = cells as Cell[];
  }

  /** Every cell's state sizes, first cell first. */
  get stateSize(): number[] {
    return this.cells.flatMap(sizesOf);
  }

  get outputSize(): number {
    const last = this.cells[this.cells.length - 1] as Cell;
    return last.outputSize ?? (sizesOf(last)[0] as number);
  }

  /** Each cell built for the output of the one before it, in this stack's name scope (Keras's weight paths). */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    let features: Shape = shape;
    inNameScope(this.name, () => {
      for (const cell of this.cells) {
        cell.ensureBuilt(features);
        const last = cell.outputSize ?? (sizesOf(cell)[0] as number);
        features = [shape[0] ?? null, last];
      }
    });
  }

  /** `[x, ...states]` → `[output, ...newStates]`, one step through every cell. */
  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor[] {
    const [x, ...states] = inputs as tf.Tensor[];
    let input = x as tf.Tensor;
    let offset = 0;
    const next: tf.Tensor[] = [];
    for (const cell of this.cells) {
      const count = sizesOf(cell).length;
      const own = states.slice(offset, offset + count);
      offset += count;
      const [output, ...updated] = cell.apply([input, ...own], {
        training: options.training,
        mask: null,
      }) as tf.Tensor[];
      input = output as tf.Tensor;
      next.push(...updated);
    }
    return [input, ...next];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((cell) => layerCodec().serialize(cell)) };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    const { cells, ...rest } = config;
    const list = Array.isArray(cells) ? cells.map((cell) => deserializeUnbuilt(cell, options)) : cells;
    return new StackedRNNCells({ ...(rest as LayerOptions), cells: list as Layer[] }) as unknown as T;
  }
}
