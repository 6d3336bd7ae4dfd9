/**
 * Keras's `Operation` in a graph: each `keras.ops` call on a symbolic tensor
 * is an operation object (`Add`, `GetItem`, `NotEqual`, ...) called once,
 * which a Functional config lists among its layers with
 * `module: "keras.src.ops.numpy"` (or `nn`, `core`, `math`, `linalg`), its
 * own small config, and one inbound node whose `args` mix symbolic tensors
 * with plain values (`x * 0.5` is `Multiply` with args `[x, 0.5]`).
 *
 * Here an operation is a weightless `Layer`, so the graph code that orders,
 * runs and names layer calls runs it too; it keeps the call's arguments as
 * a template (tensor slots, constants, plain values) to replay them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { Layer } from '../../layers/layer.js';
import type { CallOptions, LayerInputs, LayerOutputs } from '../../layers/layer-types.js';
import { uniqueLayerName } from '../../layers/naming.js';
import { isSymbolic, KerasTensor, Node } from '../../layers/symbolic/keras-tensor.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { Constant, type OpDefinition } from './op-definition.js';

export { Constant, type OpDefinition, type OutputSpec } from './op-definition.js';

/** Where `getConfig` keeps the recorded call (see there). */
const RECORDED_CALL = Symbol('recordedCall');

/** The place of the `index`-th symbolic tensor among an operation's arguments. */
class Slot {
  constructor(readonly index: number) {}
}

/** The symbolic tensors in `args`, and the arguments with each replaced by its slot, each concrete tensor by a constant. */
function toTemplate(args: readonly unknown[], depth = 0): { template: unknown[]; tensors: KerasTensor[] } {
  const tensors: KerasTensor[] = [];
  const walk = (value: unknown, level: number): unknown => {
    if (value instanceof KerasTensor) {
      tensors.push(value);
      return new Slot(tensors.length - 1);
    }
    if (value instanceof tf.Tensor) {
      if (value.isDisposed) throw new ValueError('An op was given a disposed tensor.', { argument: 'x' });
      return new Constant(value.arraySync(), [...value.shape], value.dtype);
    }
    if (Array.isArray(value) && level < 8) return value.map((v) => walk(v, level + 1));
    return value;
  };
  const template = args.map((a) => walk(a, depth));
  return { template, tensors };
}

function fill(template: readonly unknown[], valueAt: (slot: Slot) => unknown, constant: (c: Constant) => unknown) {
  const walk = (value: unknown): unknown => {
    if (value instanceof Slot) return valueAt(value);
    if (value instanceof Constant) return constant(value);
    if (Array.isArray(value)) return value.map(walk);
    return value;
  };
  return template.map(walk);
}

/**
 * One Keras op call in a graph (Keras's `Operation` subclasses: `Add`,
 * `Concatenate`, `GetItem`, `NotEqual`, ...): a weightless layer with the
 * op's Keras class name, module and config, called once.
 *
 * @example const sum = ops.add(layers.Input({ shape: [4] }), 1); // sum.node.layer is an Operation named "add"
 */
export class Operation extends Layer {
  static override readonly className: string = 'Operation';
  readonly definition: OpDefinition;
  /** The op's config besides its name, with Keras's keys (snake_case). */
  readonly opConfig: Readonly<Record<string, unknown>>;
  #template: unknown[] | null = null;
  #kwargs: Record<string, unknown> = {};

  constructor(definition: OpDefinition, config: Record<string, unknown> = {}, name?: string) {
    super({ name: name ?? uniqueLayerName(definition.className) });
    this.definition = definition;
    const known = definition.config ?? {};
    const unknown = Object.keys(config).filter((key) => !(key in known));
    if (unknown.length > 0) {
      throw new ValueError(
        `Operation ${definition.className} got an unexpected config key ${JSON.stringify(unknown[0])}. Its keys are: name${Object.keys(
          known,
        )
          .map((k) => `, ${k}`)
          .join('')}.`,
        { argument: unknown[0] as string, expected: Object.keys(known).join(', '), received: unknown.join(', ') },
      );
    }
    this.opConfig = { ...known, ...config };
    this.built = true;
  }

  /** Keras's class name of this op (`Add`, `GetItem`, ...). */
  get kerasClassName(): string {
    return this.definition.className;
  }

  /** Records the call on `args` (symbolic tensors among them): Keras's `op(*args)` on KerasTensors. */
  record(args: readonly unknown[], kwargs: Record<string, unknown> = {}): KerasTensor | KerasTensor[] {
    if (this.#template != null) {
      throw new ValueError(`Operation "${this.name}" was already called: each op records one call.`, {
        argument: 'args',
      });
    }
    const { template, tensors } = toTemplate(args);
    this.#template = template;
    this.#kwargs = kwargs;
    return this.apply(tensors) as unknown as KerasTensor | KerasTensor[];
  }

  /** Sets the call's arguments from a Keras node's `args` with its tensors already replaced by slots (file loading). */
  setCall(template: unknown[], kwargs: Record<string, unknown>): void {
    this.#template = template;
    this.#kwargs = kwargs;
  }

  /** The node's `args` and `kwargs` as Keras writes them, tensors written by `tensorJson`. */
  callJson(node: Node, tensorJson: (t: KerasTensor) => unknown): { args: unknown[]; kwargs: Record<string, unknown> } {
    const args = fill(
      this.#template ?? [],
      (slot) => tensorJson(node.inputs[slot.index] as KerasTensor),
      (c) => ({ class_name: '__tensor__', config: { value: c.values, dtype: c.dtype } }),
    );
    // GetItem's index: slices and the ellipsis in Keras's JSON.
    const index = (value: unknown): unknown => {
      if (value === '...') return { class_name: '__ellipsis__', config: {} };
      if (isPlainObject(value) && 'step' in value && 'start' in value && 'stop' in value && !('class_name' in value)) {
        return { class_name: '__slice__', config: { start: value.start, stop: value.stop, step: value.step } };
      }
      return Array.isArray(value) ? value.map(index) : value;
    };
    return { args: args.map(index), kwargs: { ...this.#kwargs } };
  }

  /** Keras's JSON of the op: `{ module, class_name, config: { name, ... }, registered_name }`. */
  toJson(): Record<string, unknown> {
    return {
      module: this.definition.module,
      class_name: this.definition.className,
      config: { name: this.name, ...this.opConfig },
      registered_name: this.definition.className,
    };
  }

  /** On symbolic tensors, records the call; on tensors, computes the op (in a tidy: only the output is left). */
  override apply(inputs: LayerInputs | KerasTensor | KerasTensor[], _options?: CallOptions): LayerOutputs;
  override apply(inputs: KerasTensor | KerasTensor[], _options?: CallOptions): KerasTensor | KerasTensor[];
  override apply(
    inputs: LayerInputs | KerasTensor | KerasTensor[],
    _options: CallOptions = {},
  ): LayerOutputs | KerasTensor | KerasTensor[] {
    const template = this.#template;
    if (template == null) {
      throw new ValueError(`Operation "${this.name}" has no recorded call to run.`, { argument: 'inputs' });
    }
    const list = (Array.isArray(inputs) ? inputs : [inputs]) as unknown[];
    if (isSymbolic(inputs)) return this.#recordNode(list as KerasTensor[], template);
    if (!list.every((t) => t instanceof tf.Tensor)) {
      throw new ValueError(`Operation "${this.name}" expects tensors. Received: ${formatValue(inputs)}`, {
        argument: 'inputs',
        expected: 'tensors',
        received: formatValue(inputs),
      });
    }
    return tf.tidy(() => {
      const args = fill(
        template,
        (slot) => list[slot.index],
        (c) => c.toTensor(),
      );
      return this.definition.compute(args, this.opConfig);
    });
  }

  #recordNode(tensors: KerasTensor[], template: unknown[]): KerasTensor | KerasTensor[] {
    const args = fill(
      template,
      (slot) => tensors[slot.index],
      (c) => c,
    );
    const spec = this.definition.spec(args, this.opConfig);
    const node = new Node(this, tensors, true, [], {});
    const specs = Array.isArray(spec) ? spec : [spec];
    specs.forEach((s, i) => {
      node.outputs.push(new KerasTensor(s.shape, s.dtype, node, i));
    });
    this.inboundNodes.push(node);
    return Array.isArray(spec) ? node.outputs : (node.outputs[0] as KerasTensor);
  }

  override call(inputs: LayerInputs): LayerOutputs {
    return this.apply(inputs);
  }

  /**
   * `{ name, ...opConfig }`; the recorded call rides along under a symbol
   * (not in JSON), so `cloneModel`'s `fromConfig(getConfig())` rebuilds an op
   * that can replay it.
   */
  override getConfig(): Record<string, unknown> {
    const config: Record<string | symbol, unknown> = { name: this.name, ...this.opConfig };
    // Not enumerable: spreading the config (as the constructor does) leaves it behind.
    if (this.#template != null) {
      Object.defineProperty(config, RECORDED_CALL, { value: { template: this.#template, kwargs: this.#kwargs } });
    }
    return config as Record<string, unknown>;
  }

  /** The call carried by a config from {@link Operation.getConfig}, if any. */
  static recordedCall(
    config: Record<string, unknown>,
  ): { template: unknown[]; kwargs: Record<string, unknown> } | null {
    const call = (config as Record<symbol, unknown>)[RECORDED_CALL];
    return (call as { template: unknown[]; kwargs: Record<string, unknown> } | undefined) ?? null;
  }
}

/** Whether a layer JSON of a Functional config is a Keras op (`module: "keras.src.ops.*"`). */
export function isOperationJson(json: unknown): json is Record<string, unknown> {
  return isPlainObject(json) && typeof json.module === 'string' && json.module.startsWith('keras.src.ops.');
}

/**
 * Reads a Keras node's `args` for an op: `__keras_tensor__` entries become
 * slots (their JSON returned in order, for the graph to resolve), `__tensor__`
 * and `__numpy__` entries constants, `__slice__` and `__ellipsis__` the
 * slicing values `GetItem` takes.
 */
export function parseNodeArgs(args: unknown[], field: string): { template: unknown[]; tensors: unknown[] } {
  const tensors: unknown[] = [];
  const walk = (value: unknown, at: string, depth: number): unknown => {
    if (isPlainObject(value)) {
      const className = value.class_name;
      const config = isPlainObject(value.config) ? value.config : {};
      if (className === '__keras_tensor__') {
        tensors.push(value);
        return new Slot(tensors.length - 1);
      }
      if (className === '__tensor__' || className === '__numpy__') {
        const dtype = (config.dtype ?? 'float32') as tf.DataType;
        const shape = inferShape(config.value);
        const named = String(dtype);
        const kept: tf.DataType = named.startsWith('float') ? 'float32' : named === 'bool' ? 'bool' : 'int32';
        return new Constant(config.value, shape, kept);
      }
      if (className === '__slice__') {
        return { start: config.start ?? null, stop: config.stop ?? null, step: config.step ?? null };
      }
      if (className === '__ellipsis__') return '...';
      throw new ValueError(`Invalid op call in ${at}: unknown argument class ${formatValue(className)}.`, {
        argument: at,
        expected: '__keras_tensor__, __tensor__, __numpy__, __slice__ or __ellipsis__',
        received: formatValue(className),
      });
    }
    if (Array.isArray(value)) {
      if (depth > 8) throw new ValueError(`Invalid op call in ${at}: nested too deep.`, { argument: at });
      return value.map((v, i) => walk(v, `${at}[${i}]`, depth + 1));
    }
    return value;
  };
  const template = args.map((a, i) => walk(a, `${field}.args[${i}]`, 0));
  return { template, tensors };
}

function inferShape(value: unknown): number[] {
  const shape: number[] = [];
  let current = value;
  while (Array.isArray(current)) {
    shape.push(current.length);
    current = current[0];
  }
  return shape;
}
