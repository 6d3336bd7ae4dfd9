import * as tf from '@tensorflow/tfjs-core';
import type { ConstraintLike } from '../constraints/constraint.js';
import { type ConstraintIdentifier, constraintOption } from '../constraints/identifiers.js';
import { attachConstraint } from '../constraints/weight-constraint.js';
import { invalidArgument, NotImplementedError, ValueError } from '../errors.js';
import {
  computePenalty,
  get as getRegularizer,
  type RegularizerIdentifier,
  type RegularizerLike,
  serialize as serializeRegularizer,
} from '../regularizers/index.js';
import { checkArity } from '../utils/arity.js';
import { classNameOf, classNameOfInstance } from '../utils/class-name.js';
import { formatShape, formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { assignWeights } from './assign-weights.js';
import { disposedError, guardBuild } from './build-guard.js';
import { inLayerCall, isEnclosingMask, weightPath } from './call-context.js';
import { declaredBatchShape } from './declared-input-shape.js';
import { dtypePolicyJson, parseDtype } from './dtype-policy.js';
import { activityPenalty, checkBoolean, checkInputs } from './layer-checks.js';
import {
  type ActivityCall,
  type AddWeightOptions,
  type CallOptions,
  LAYER_OPTION_NAMES,
  type LayerInputs,
  type LayerLoss,
  type LayerOptions,
  type LayerOutputs,
  type LayerWeight,
  type Masks,
  type Shape,
} from './layer-types.js';
import { allFloat32, attachForCall, attachOutputMasks, floatInputs, masksOf } from './masks.js';
import { uniqueLayerName } from './naming.js';
import { directSublayers, lossOrder, nestedSublayers } from './sublayers.js';
import { isSymbolic, type KerasTensor, type Node } from './symbolic/keras-tensor.js';
import { applySymbolically } from './symbolic/symbolic-call.js';
import { makeWeight } from './weight-options.js';

/**
 * What `apply` gives for one input tensor (or one symbolic tensor) `T`: `T`,
 * as for most layers, or `T | T[]` for a layer that declares it may return
 * several (`outputArity: 'one' | 'many'`: an RNN with `returnState`,
 * attention with `returnAttentionScores`, a graph with several outputs).
 */
export type OneInputResult<L, T> = L extends { readonly outputArity: infer A } ? ('many' extends A ? T | T[] : T) : T;

/**
 * Base class of every layer: Keras's `Layer`. Subclasses override `build`
 * (create weights with `addWeight`) and `call` (the forward pass); users call
 * `apply`, which builds on first use, runs `call`, and records the activity
 * penalty.
 *
 * Tensors returned by `losses` and `getWeights` belong to the caller; those
 * the layer keeps (weights, the latest call's losses) are freed by `dispose`.
 *
 * @example class Scale extends layers.Layer { override call(x: layers.LayerInputs) { return tf.mul(x as tf.Tensor, 2); } }
 */
export class Layer {
  static readonly className: string = 'Layer';

  readonly name: string;
  readonly dtype: 'float32';
  built = false;
  #trainable: boolean;
  #activityRegularizer: RegularizerLike | null = null;
  #weights: LayerWeight[] = [];
  #buildInputShape: Shape | Shape[] | null = null;
  /** Losses recorded by the latest call (`addLoss` and activity penalties). */
  #callLosses: tf.Scalar[] = [];
  #disposed = false;
  #batchInputShape: Shape | null;
  /** The calls of this layer on symbolic tensors, in order (Keras's `_inbound_nodes`). */
  readonly inboundNodes: Node[] = [];

  constructor(options: LayerOptions = {}) {
    const read = readOptions<LayerOptions>(classNameOfInstance(this), options, LAYER_OPTION_NAMES);
    const name = read.name ?? uniqueLayerName(classNameOfInstance(this));
    if (typeof name !== 'string' || name === '' || name.includes('/')) {
      throw invalidArgument('name', 'a non-empty string without "/"', name);
    }
    this.name = name;
    this.dtype = parseDtype(read.dtype);
    this.#trainable = checkBoolean(read.trainable ?? true, 'trainable');
    this.activityRegularizer = read.activityRegularizer ?? null;
    this.#batchInputShape = declaredBatchShape(read);
    // Keras's build wrapper (build-guard.ts): a build the user calls marks the layer built too.
    guardBuild(this, this.build, {
      builtFor: () => this.#buildInputShape,
      markBuilt: (inputShape) => {
        this.#buildInputShape = inputShape;
        this.built = true;
      },
    });
  }

  /**
   * The input shape, batch axis first, that this layer's options declared
   * (`inputShape`, `inputDim`, `batchInputShape`), or null.
   */
  get batchInputShape(): Shape | null {
    return this.#batchInputShape;
  }

  /** The penalty on this layer's outputs. Assigning a name, JSON, instance, function or null goes through `regularizers.get`. */
  get activityRegularizer(): RegularizerLike | null {
    return this.#activityRegularizer;
  }

  set activityRegularizer(identifier: RegularizerIdentifier) {
    this.#activityRegularizer = getRegularizer(identifier);
  }

  /** Setting it sets every nested layer too, as in Keras. */
  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(value: boolean) {
    this.#trainable = checkBoolean(value, 'trainable');
    for (const layer of this.nestedLayers()) layer.#trainable = value;
  }

  /**
   * Creates the weights for inputs of `inputShape` (batch axis included).
   * Subclasses override it; calling it (directly or through `apply`) marks
   * the layer built, and a built layer ignores further calls.
   */
  build(_inputShape: Shape | Shape[]): void {}

  /**
   * The output shape for inputs of `inputShape`, without computing anything;
   * `null` when the layer cannot tell (then a Sequential runs it on zeros).
   */
  computeOutputShape(_inputShape: Shape | Shape[], _options?: CallOptions): Shape | Shape[] | null {
    return null;
  }

  /**
   * `call` when an activity regularizer is set: a layer that can compute the
   * penalty of its (single) output together with it returns it here, with
   * its gradient; `apply` computes it from the outputs otherwise (null).
   */
  protected callWithActivityPenalty(
    inputs: LayerInputs,
    options: CallOptions,
    _regularizer: RegularizerLike,
  ): ActivityCall {
    return { outputs: this.call(inputs, options), activityPenalty: null };
  }

  /** The forward pass. */
  call(_inputs: LayerInputs, _options?: CallOptions): LayerOutputs {
    throw new NotImplementedError(`Layer ${classNameOfInstance(this)} does not implement call()`);
  }

  /** Builds the layer for inputs of `inputShape` unless it is built already. */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    // A built layer checks its inputs in `call`, with its own words.
    if (!this.built) this.build(inputShape);
  }

  /** The input shape the layer was built for (Keras's `build_config.input_shape`), or `null`. */
  get buildInputShape(): Shape | Shape[] | null {
    return this.#buildInputShape;
  }

  /**
   * Keras's `layer(inputs)`: builds on first use, runs `call`, then adds
   * `activityRegularizer(y) / y.shape[0]` for each output `y` (no division
   * for a scalar output; 0 for a batch of 0). An outermost call first drops
   * the losses of the previous one, in this layer and all nested layers.
   */
  apply<L extends Layer>(this: L, inputs: tf.Tensor, options?: CallOptions): OneInputResult<L, tf.Tensor>;
  apply<L extends Layer>(this: L, inputs: KerasTensor, options?: CallOptions): OneInputResult<L, KerasTensor>;
  apply(inputs: LayerInputs, options?: CallOptions): LayerOutputs;
  apply(inputs: KerasTensor | KerasTensor[], options?: CallOptions): KerasTensor | KerasTensor[];
  apply(
    inputs: LayerInputs | KerasTensor | KerasTensor[],
    options: CallOptions = {},
  ): LayerOutputs | KerasTensor | KerasTensor[] {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('layer.apply', arguments.length, ['inputs', 'options']);
    this.checkNotDisposed('apply');
    if (isSymbolic(inputs)) return applySymbolically(this, inputs, options);
    checkInputs(inputs, this.name);
    // The mask: the one given for this call, else the one the inputs carry; a
    // mask passed on with the enclosing call's options was that call's own.
    const given = options.mask !== undefined && !isEnclosingMask(options.mask) ? options.mask : undefined;
    const mask = given !== undefined ? given : masksOf(inputs);
    const { inputs: x, copies } =
      allFloat32(inputs) || this.keepsInputDtypes() ? { inputs, copies: [] } : floatInputs(inputs);
    return inLayerCall(options.training, mask, ({ outermost, training }) => {
      if (outermost) this.clearLosses();
      this.ensureBuilt(Array.isArray(x) ? x.map((t) => [...t.shape]) : [...x.shape]);
      // A given mask rides on the inputs during the call, for a model's first layers to find.
      const detach = given != null ? attachForCall(x, given) : null;
      let outputs: LayerOutputs | undefined;
      try {
        outputs = this.#callRecordingActivity(x, { ...options, training, mask });
      } finally {
        detach?.();
        const kept = new Set(outputs == null ? [] : Array.isArray(outputs) ? outputs : [outputs]);
        for (const copy of copies) if (!kept.has(copy)) copy.dispose();
      }
      // Without a mask, only a layer that makes masks (Embedding, Masking) has one to attach.
      if (mask != null || this.computeMask !== Layer.prototype.computeMask) attachOutputMasks(this, x, outputs, mask);
      return outputs;
    });
  }

  /** `call`, then the activity penalty of its outputs (computed with them where the layer can). */
  #callRecordingActivity(inputs: LayerInputs, callOptions: CallOptions): LayerOutputs {
    const regularizer = this.#activityRegularizer;
    // The call's other options (an attention mask) reach `call` as given.
    if (regularizer == null) return this.call(inputs, callOptions);
    const { outputs, activityPenalty: computed } = this.callWithActivityPenalty(inputs, callOptions, regularizer);
    if (computed != null) {
      this.addLoss(computed);
      return outputs;
    }
    for (const output of Array.isArray(outputs) ? outputs : [outputs]) {
      this.addLoss(tf.tidy(() => activityPenalty(regularizer, output)));
    }
    return outputs;
  }

  /**
   * Whether `apply` hands int32 and bool inputs to `call` as they are:
   * layers that take indices (Embedding, InputLayer) and layers that pass
   * their inputs on to nested layers (models, wrappers). Other layers get
   * them cast to float32, as Keras's float layers promote them.
   */
  protected keepsInputDtypes(): boolean {
    return this.nestedLayers().length > 0;
  }

  /**
   * Whether the layer passes masks on (Keras's `supports_masking`): when
   * true, `apply` attaches `computeMask(inputs, mask)` to the outputs; when
   * false, a mask that reaches the layer stops there.
   */
  supportsMasking = false;

  /**
   * The outputs' mask for inputs carrying `mask` (Keras's `compute_mask`):
   * by default the inputs' mask, unchanged. A list of masks for several outputs.
   */
  computeMask(_inputs: LayerInputs, mask: Masks): Masks {
    return mask;
  }

  /**
   * Creates a weight (a `tf.Variable`) and tracks it with its regularizer
   * and its constraint (applied after each optimizer update, as Keras's
   * `variable.constraint`).
   *
   * @example
   * class Linear extends layers.Layer {
   *   kernel?: tf.Variable;
   *   override build() { this.kernel = this.addWeight({ name: 'kernel', shape: [3, 4], regularizer: 'l2' }); }
   * }
   */
  addWeight(options: AddWeightOptions): tf.Variable {
    const { name, variable, regularizer, trainable } = makeWeight(this.name, options);
    this.#weights.push({ layer: this, name, path: weightPath(this.name, name), variable, regularizer, trainable });
    return variable;
  }

  /** The tracked record of this layer's own weight `name`. */
  protected weightRecord(name: string): LayerWeight | undefined {
    return this.#weights.find((w) => w.name === name);
  }

  /**
   * Resolves the regularizer for weight `name` and, once the weight exists,
   * puts it there: a regularizer set on a built layer counts from the next
   * call. Returns it, for the layer's own field.
   */
  protected replaceWeightRegularizer(name: string, identifier: RegularizerIdentifier): RegularizerLike | null {
    const regularizer = getRegularizer(identifier);
    const record = this.weightRecord(name);
    if (record != null) record.regularizer = regularizer;
    return regularizer;
  }

  /**
   * Resolves the constraint for weight `name` and, once the weight exists,
   * records it for the weight's variable: a constraint set on a built layer
   * applies from the next update. `option` names the argument in errors.
   * Returns it, for the layer's own field.
   */
  protected replaceWeightConstraint(
    name: string,
    identifier: ConstraintIdentifier,
    option: string,
  ): ConstraintLike | null {
    const constraint = constraintOption(option, identifier);
    const record = this.weightRecord(name);
    if (record != null) attachConstraint(record.variable, constraint, `${name} of layer "${this.name}"`);
    return constraint;
  }

  /**
   * Records a scalar loss for the current call; it appears in `losses` until
   * the next outermost call. The layer takes ownership of the tensor.
   */
  addLoss(loss: tf.Tensor): void {
    if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
      const received = loss instanceof tf.Tensor ? `a tensor of shape ${formatShape(loss.shape)}` : formatValue(loss);
      throw new ValueError(`addLoss() accepts scalar tensors only. Received: ${received}`, {
        argument: 'loss',
        expected: 'a scalar tensor',
        received,
      });
    }
    const scalar = (loss.dtype === 'float32' ? loss : tf.tidy(() => tf.cast(loss, 'float32'))) as tf.Scalar;
    this.#callLosses.push(tf.keep(scalar));
  }

  /** Drops (and frees) the losses recorded by the latest call, here and in nested layers. */
  clearLosses(): void {
    for (const layer of [this, ...this.nestedLayers()]) {
      tf.dispose(layer.#callLosses);
      layer.#callLosses = [];
    }
  }

  /**
   * Keras's `layer.losses`: this layer's call losses, then those of nested
   * layers (depth first), then the penalty of every trainable weight that has
   * a regularizer, computed now from the current values. Each weight counts
   * once. The returned tensors are new: dispose them (or read inside `tf.tidy`).
   */
  get losses(): tf.Scalar[] {
    return this.lossesByLayer().map((entry) => entry.loss);
  }

  /**
   * `losses`, each with the layer it comes from: for per-layer reports. The
   * tensors are new, as in `losses`. Penalties of weights in `skipWeights`
   * are left out (a training step that computes them itself passes these).
   */
  lossesByLayer(skipWeights?: ReadonlySet<tf.Variable>): LayerLoss[] {
    const result: LayerLoss[] = [];
    for (const layer of lossOrder<Layer>(this, Layer)) {
      for (const loss of layer.#callLosses) result.push({ layer, kind: 'call', loss: tf.clone(loss) });
    }
    for (const weight of this.trainableWeightRecords()) {
      const regularizer = weight.regularizer;
      if (regularizer == null || skipWeights?.has(weight.variable)) continue;
      const loss = tf.tidy(() => computePenalty(regularizer, weight.variable));
      result.push({ layer: weight.layer, kind: 'weight', loss });
    }
    return result;
  }

  /** The layers held in this layer's own fields (not their sublayers), in field order. */
  protected directSublayers(): Layer[] {
    return directSublayers(this, Layer);
  }

  /** Layers held in this layer's fields (or arrays in its fields), depth first, each once, without this one. */
  nestedLayers(): Layer[] {
    return nestedSublayers<Layer>(this, Layer);
  }

  /**
   * The weights this layer holds as its own, in Keras's order: those it
   * created, and for a wrapper that tracks a weight of the layer it wraps
   * (SpectralNormalization's kernel, as Keras's `self.kernel = layer.kernel`)
   * that one too.
   */
  protected ownWeightRecords(): readonly LayerWeight[] {
    return this.#weights;
  }

  /** This layer's weights, then nested layers' weights, each once. */
  weightRecords(): LayerWeight[] {
    this.checkNotDisposed('getWeights');
    const seen = new Set<tf.Variable>();
    const records: LayerWeight[] = [];
    for (const layer of [this, ...this.nestedLayers()]) {
      for (const weight of layer.ownWeightRecords()) {
        if (seen.has(weight.variable)) continue;
        seen.add(weight.variable);
        records.push(weight);
      }
    }
    return records;
  }

  /** Weights that training updates: none when this layer is frozen. */
  trainableWeightRecords(): LayerWeight[] {
    if (!this.#trainable) return [];
    // By variable: a weight a wrapper tracks as its own freezes with the layer that created it.
    const frozen = new Set(
      this.nestedLayers()
        .filter((l) => !l.#trainable)
        .flatMap((l) => l.#weights.map((w) => w.variable)),
    );
    return this.weightRecords().filter((w) => w.trainable && !frozen.has(w.variable));
  }

  get weights(): tf.Variable[] {
    return this.weightRecords().map((w) => w.variable);
  }

  /**
   * Keras's `count_params()`: the number of values in the layer's weights
   * (nested layers' included). A layer that is not built has none yet.
   */
  countParams(): number {
    this.checkNotDisposed('countParams');
    if (!this.built) {
      throw new ValueError(
        `You tried to call \`countParams\` on layer "${this.name}", but the layer isn't built. You can build it manually via: \`layer.build(inputShape)\`.`,
        { argument: 'layer', expected: 'a built layer', received: `${this.name} (not built)` },
      );
    }
    return this.weights.reduce((total, w) => total + w.size, 0);
  }

  get trainableWeights(): tf.Variable[] {
    return this.trainableWeightRecords().map((w) => w.variable);
  }

  get nonTrainableWeights(): tf.Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((v) => !trainable.has(v));
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): tf.Tensor[] {
    return this.weights.map((v) => tf.clone(v));
  }

  /** Assigns values to the weights, in `weights` order; shapes must match. */
  setWeights(values: readonly (tf.Tensor | tf.TensorLike)[]): void {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('layer.setWeights', arguments.length, ['values']);
    assignWeights(this.name, this.weights, values);
  }

  /**
   * The constructor's options (camelCase; regularizers and initializers as
   * Keras JSON). `activityRegularizer` appears only when one is set, as in Keras.
   */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.#trainable,
      dtype: dtypePolicyJson(this.dtype),
    };
    if (this.#activityRegularizer != null) config.activityRegularizer = serializeRegularizer(this.#activityRegularizer);
    return config;
  }

  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Layer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }

  /**
   * Throws when this layer (or the model that held it) was disposed: its
   * weights are freed, and an answer (no weights, no losses) would be wrong
   * without a word.
   */
  protected checkNotDisposed(method: string): void {
    if (!this.#disposed) return;
    throw disposedError(this.kindForMessages(), this.name, method);
  }

  /** What errors call this object: a model says "Model". */
  protected kindForMessages(): 'Layer' | 'Model' {
    return 'Layer';
  }

  /** Whether `dispose()` has run: the layer refuses every use after. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * Frees the weights and recorded losses of this layer and nested layers.
   * They refuse every use after (a clear error, not an empty answer).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.clearLosses();
    // A nested layer holding tensors besides its weights (Normalization's given mean and
    // variance, in ConvNeXt and EfficientNetV2) frees them in its own dispose().
    for (const layer of this.nestedLayers()) if (layer.dispose !== Layer.prototype.dispose) layer.dispose();
    for (const weight of this.weightRecords()) weight.variable.dispose();
    for (const layer of [this, ...this.nestedLayers()]) {
      layer.#weights = [];
      layer.built = false;
      layer.#buildInputShape = null;
      layer.#disposed = true;
    }
  }

  toString(): string {
    return `${classNameOf(this.constructor as typeof Layer)}(name=${this.name})`;
  }
}
