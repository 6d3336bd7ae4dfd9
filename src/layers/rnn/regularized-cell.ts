/**
 * The three regularizers of a recurrent cell (kernel, recurrent kernel,
 * bias), shared by the dense cells and ConvLSTM's: Keras's argument names,
 * and setters that take effect at once, also on a built cell.
 */
import * as regularizers from '../../regularizers/index.js';
import { Layer } from '../layer.js';

export type RegularizedWeight = 'kernel' | 'recurrent_kernel' | 'bias';

/** The cell options that name the three regularizers. */
export interface CellRegularizerOptions {
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  recurrentRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
}

/** A layer with a recurrent cell's three regularizers. */
export abstract class RegularizedCell extends Layer {
  readonly #regularizers: Record<RegularizedWeight, regularizers.RegularizerLike | null> = {
    kernel: null,
    recurrent_kernel: null,
    bias: null,
  };

  /** Resolves the three from a subclass's options (before its weights exist). */
  protected setRegularizers(options: CellRegularizerOptions): void {
    this.#regularizers.kernel = regularizers.get(options.kernelRegularizer);
    this.#regularizers.recurrent_kernel = regularizers.get(options.recurrentRegularizer);
    this.#regularizers.bias = regularizers.get(options.biasRegularizer);
  }

  /** The regularizer of weight `name`, for `addWeight` and the config. */
  protected regularizerOf(name: RegularizedWeight): regularizers.RegularizerLike | null {
    return this.#regularizers[name];
  }

  get kernelRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.kernel;
  }

  /** Takes effect at once, also on a built cell. */
  set kernelRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.kernel = this.replaceWeightRegularizer('kernel', identifier);
  }

  get recurrentRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.recurrent_kernel;
  }

  /** Takes effect at once, also on a built cell. */
  set recurrentRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.recurrent_kernel = this.replaceWeightRegularizer('recurrent_kernel', identifier);
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.bias;
  }

  /** Takes effect at once, also on a built cell. */
  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.bias = this.replaceWeightRegularizer('bias', identifier);
  }
}
