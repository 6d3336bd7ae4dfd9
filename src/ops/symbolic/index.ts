/**
 * Keras ops as graph nodes: the `Operation` layer type, the ops it knows,
 * and reading them from Keras files. Loading this module lets the `ops`
 * functions record nodes when given symbolic tensors.
 *
 * @packageDocumentation
 * @example const scaled = ops.multiply(layers.Input({ shape: [4] }), 0.5); // a Multiply node
 */
import { ValueError } from '../../errors.js';
import type { KerasTensor } from '../../layers/symbolic/keras-tensor.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { opDefinition, supportedOpClasses } from './definitions.js';
import { setRecorder } from './hook.js';
import { type OpDefinition, Operation } from './operation.js';

export { opDefinition, supportedOpClasses } from './definitions.js';
export { type IndexEntry, parseIndex, type SliceSpec } from './get-item.js';
export { hasSymbolic, recordOp, recordOpOutputs } from './hook.js';
export {
  Constant,
  isOperationJson,
  type OpDefinition,
  Operation,
  type OutputSpec,
  parseNodeArgs,
} from './operation.js';

function definitionOrThrow(className: string, where: string) {
  const definition = opDefinition(className);
  if (definition == null) {
    throw new ValueError(
      `Unknown Keras op class ${formatValue(className)}${where}: it cannot be a graph node here. The ops supported in graphs are: ${supportedOpClasses().join(', ')}.`,
      { argument: 'class_name', expected: 'a supported Keras op class', received: formatValue(className) },
    );
  }
  return definition;
}

const classes = new Map<OpDefinition, new (config: Record<string, unknown>, name?: string) => Operation>();

/**
 * A subclass of `Operation` per Keras op class, whose static `className` is
 * Keras's (`Square`): what summaries and errors print, as Keras prints them.
 */
function operationClass(definition: OpDefinition) {
  let cls = classes.get(definition);
  if (cls == null) {
    const named = class extends Operation {
      /** From a config: `name` may be in it (`fromConfig(getConfig())`, as cloneModel does), with the recorded call. */
      constructor(config: Record<string, unknown> = {}, name?: string) {
        const { name: configName, ...rest } = config;
        super(definition, rest, name ?? (configName as string | undefined));
        const call = Operation.recordedCall(config);
        if (call != null) this.setCall(call.template, call.kwargs);
      }
    };
    Object.defineProperty(named, 'className', { value: definition.className });
    Object.defineProperty(named, 'name', { value: definition.className });
    cls = named;
    classes.set(definition, cls);
  }
  return cls;
}

/** Records op `className` on `args` (symbolic tensors among them) with its Keras config. */
export function record(
  className: string,
  args: readonly unknown[],
  config: Record<string, unknown> = {},
): KerasTensor | KerasTensor[] {
  const Op = operationClass(definitionOrThrow(className, ''));
  const op = new Op(config);
  return op.record(args);
}

setRecorder(record);

/** An op from its Keras JSON (`{ module: "keras.src.ops.numpy", class_name, config }`), its call set later from its node. */
export function deserializeOperation(json: Record<string, unknown>, field = 'layers'): Operation {
  const className = json.class_name;
  const module = json.module as string;
  const definition = definitionOrThrow(className as string, ` (module ${module}) in ${field}`);
  const config = isPlainObject(json.config) ? { ...json.config } : {};
  const name = config.name;
  delete config.name;
  if (name != null && (typeof name !== 'string' || name === '')) {
    throw new ValueError(`Invalid op name in ${field}: ${formatValue(name)}`, {
      argument: `${field}.config.name`,
      expected: 'a non-empty string',
      received: formatValue(name),
    });
  }
  const Op = operationClass(definition);
  return new Op(config, name as string | undefined);
}
