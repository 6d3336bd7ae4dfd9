/**
 * A Functional model's Keras 3 config: each layer's JSON with its
 * `inbound_nodes` (the symbolic tensors of each call, as
 * `__keras_tensor__` objects naming `[layer, node, tensor]`), and the
 * `input_layers`/`output_layers` that pick the graph's ends.
 */
import { ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import type { CallOptions } from '../../layers/layer-types.js';
import { serialize as serializeLayer } from '../../layers/serialization.js';
import type { KerasTensor, Node } from '../../layers/symbolic/keras-tensor.js';
import { deserializeOperation, isOperationJson, Operation, parseNodeArgs } from '../../ops/symbolic/index.js';
import { camelToSnake } from '../../serialization/case.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject, ownValue } from '../../utils/objects.js';
import { namedCallArguments, nodeCallJson } from './call-arguments.js';
import type { Structure } from './functional.js';

/** `[layer name, node index, tensor index]`: Keras's `keras_history`. */
type History = [string, number, number];

interface GraphView {
  /** Every layer and op of the graph, in Keras's order (the config lists ops among the layers). */
  readonly graphLayers: readonly Layer[];
  readonly nodes: readonly Node[];
  readonly inputs: readonly KerasTensor[];
  readonly outputs: readonly KerasTensor[];
  readonly inputStructure: Structure;
  readonly outputStructure: Structure;
  /** Whether a call belongs to this model (its graph's calls and its inputs' own). */
  hasNode(node: Node): boolean;
  /** A call's index among its layer's calls in this model: Keras's `node_index`. */
  nodeIndex(node: Node): number;
}

/** The graph's part of the config: `layers` (with inbound nodes), `input_layers`, `output_layers`. */
export function functionalConfig(model: GraphView): Record<string, unknown> {
  const history = (t: KerasTensor): History => [t.sourceLayer.name, model.nodeIndex(t.node), t.tensorIndex];
  const tensorJson = (t: KerasTensor) => ({
    class_name: '__keras_tensor__',
    config: { shape: t.shape, dtype: t.dtype, keras_history: history(t) },
  });
  const layers = model.graphLayers.map((layer) => ({
    ...(layer instanceof Operation ? layer.toJson() : serializeLayer(layer)),
    name: layer.name,
    inbound_nodes: layer.inboundNodes
      .filter((node) => model.hasNode(node) && node.inputs.length > 0)
      .map((node) => nodeCallJson(node, tensorJson)),
  }));
  return {
    layers,
    inputLayers: structured(model.inputs.map(history), model.inputStructure),
    outputLayers: structured(model.outputs.map(history), model.outputStructure),
  };
}

function structured(entries: History[], structure: Structure): unknown {
  if (structure.kind === 'single') return entries[0];
  if (structure.kind === 'list') return entries;
  return Object.fromEntries(structure.keys.map((key, i) => [key, entries[i]]));
}

function configError(field: string, expected: string, received: unknown): ValueError {
  return new ValueError(
    `Invalid Functional config: expected ${field} to be ${expected}. Received: ${field}=${formatValue(received)}`,
    { argument: field, expected, received: formatValue(received) },
  );
}

function isHistory(value: unknown): value is History {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    Number.isInteger(value[1]) &&
    (value[1] as number) >= 0 &&
    Number.isInteger(value[2]) &&
    (value[2] as number) >= 0
  );
}

/** A `__keras_tensor__` JSON's history (Keras 3), or a Keras 2 node entry `[name, node, tensor, kwargs]`. */
function historyOf(value: unknown, field: string): History {
  if (isPlainObject(value) && ownValue(value, 'class_name') === '__keras_tensor__') {
    const config = ownValue(value, 'config');
    const found = isPlainObject(config) ? ownValue(config, 'keras_history') : undefined;
    if (isHistory(found)) return found;
  }
  if (Array.isArray(value) && value.length >= 3 && isHistory(value.slice(0, 3))) return value.slice(0, 3) as History;
  throw configError(field, 'a __keras_tensor__ with keras_history [layer, node, tensor]', value);
}

/**
 * The tensors of one inbound node: its args, each a tensor or (merge layers)
 * a list of them; for a layer with named call arguments (attention), its
 * args and keyword arguments, with `replay` to rebuild the call.
 */
function nodeArguments(
  node: unknown,
  field: string,
  layer?: Layer,
): { histories: History[]; asList: boolean; replay?: <T>(tensors: T[]) => { inputs: T[]; options: CallOptions } } {
  if (layer instanceof Operation) return operationArguments(layer, node, field);
  const named = layer == null ? null : namedCallArguments(layer, node);
  if (named != null) {
    const histories = named.tensors.map((entry, i) => historyOf(entry, `${field}.args[${i}]`));
    return { histories, asList: true, replay: named.replay };
  }
  // Keras 2 wrote a node as a list of [name, node, tensor, kwargs] entries.
  if (Array.isArray(node)) {
    const histories = node.map((entry, i) => historyOf(entry, `${field}[${i}]`));
    return { histories, asList: histories.length > 1 };
  }
  const args = isPlainObject(node) ? ownValue(node, 'args') : undefined;
  if (!Array.isArray(args) || args.length !== 1) throw configError(`${field}.args`, 'an array of one argument', args);
  const [first] = args;
  const read =
    Array.isArray(first) && !isHistory(first) && !(first.length >= 3 && typeof first[0] === 'string')
      ? { histories: first.map((entry, i) => historyOf(entry, `${field}.args[0][${i}]`)), asList: true }
      : { histories: [historyOf(first, `${field}.args[0]`)], asList: false };
  return withMaskArgument(read, node, field, layer);
}

/**
 * A symbolic `mask=` keyword (Keras records an Embedding's mask as a
 * `NotEqual` node passed to the RNN that reads it) is kept as the call's
 * `mask` option, so the op stays in the graph and is saved again.
 */
function withMaskArgument(
  read: { histories: History[]; asList: boolean },
  node: unknown,
  field: string,
  layer?: Layer,
): ReturnType<typeof nodeArguments> {
  const kwargs = isPlainObject(node) ? ownValue(node, 'kwargs') : undefined;
  const mask = isPlainObject(kwargs) ? ownValue(kwargs, 'mask') : undefined;
  const keywords = callKeywords(layer, kwargs);
  const hasMask = isPlainObject(mask) && ownValue(mask, 'class_name') === '__keras_tensor__';
  if (!hasMask && keywords == null) return read;
  const count = read.histories.length;
  return {
    histories: hasMask ? [...read.histories, historyOf(mask, `${field}.kwargs.mask`)] : read.histories,
    asList: read.asList,
    replay: <T>(tensors: T[]) => ({
      inputs: (read.asList ? tensors.slice(0, count) : tensors[0]) as T[],
      options: { ...keywords, ...(hasMask ? { mask: tensors[count] } : {}) } as CallOptions,
    }),
  };
}

/**
 * The plain keyword arguments of a node (`use_causal_mask=True`,
 * `reverse=True`) that the layer's class declares in `kerasCallKeywords`,
 * camelCased, or null when there are none.
 */
function callKeywords(layer: Layer | undefined, kwargs: unknown): Record<string, unknown> | null {
  const declared = (layer?.constructor as { kerasCallKeywords?: unknown } | undefined)?.kerasCallKeywords;
  if (!Array.isArray(declared) || !isPlainObject(kwargs)) return null;
  const found: Record<string, unknown> = {};
  for (const name of declared as string[]) {
    const value = ownValue(kwargs, camelToSnake(name));
    if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') found[name] = value;
  }
  return Object.keys(found).length > 0 ? found : null;
}

/**
 * An op's node: its `args` mix tensors with plain values (`[x, 0.5]`, a
 * slicing index); the op keeps them as its call, and replays on the tensors.
 */
function operationArguments(op: Operation, node: unknown, field: string) {
  const args = isPlainObject(node) ? ownValue(node, 'args') : undefined;
  const kwargs = isPlainObject(node) ? (ownValue(node, 'kwargs') ?? {}) : undefined;
  if (!Array.isArray(args) || !isPlainObject(kwargs)) throw configError(`${field}.args`, 'an array of arguments', args);
  const { template, tensors } = parseNodeArgs(args, field);
  if (tensors.length === 0) throw configError(`${field}.args`, 'at least one symbolic tensor', args);
  op.setCall(template, kwargs as Record<string, unknown>);
  const histories = tensors.map((entry, i) => historyOf(entry, `${field}.args[${i}]`));
  return { histories, asList: true };
}

/**
 * The histories of a list, nested lists flattened in order: Keras writes an
 * RNN over stacked cells' outputs as `[y, [h1, c1], h2]`; the model here
 * returns them as one flat list. At most 8 levels, so a hostile config
 * cannot recurse deep.
 */
function flatHistories(list: unknown[], field: string, depth: number): History[] {
  return list.flatMap((entry, i) => {
    const at = `${field}[${i}]`;
    const nested = Array.isArray(entry) && entry.length > 0 && (Array.isArray(entry[0]) || isPlainObject(entry[0]));
    if (nested && depth < 8) return flatHistories(entry, at, depth + 1);
    return [historyOf(entry, at)];
  });
}

function histories(value: unknown, field: string): { entries: History[]; structure: Structure } {
  if (isHistory(value)) return { entries: [value], structure: { kind: 'single' } };
  if (Array.isArray(value) && value.length > 0) {
    return { entries: flatHistories(value, field, 0), structure: { kind: 'list' } };
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    const keys = Object.keys(value);
    return { entries: keys.map((k) => historyOf(value[k], `${field}.${k}`)), structure: { kind: 'record', keys } };
  }
  throw configError(field, '[layer, node, tensor], a list or a record of them', value);
}

export interface RebuiltGraph {
  inputs: KerasTensor[];
  outputs: KerasTensor[];
  inputStructure: Structure;
  outputStructure: Structure;
  layers: Layer[];
}

/**
 * Rebuilds the layers and replays their calls on symbolic tensors, each
 * call once the tensors it reads exist (Keras's `functional_from_config`).
 * Layers are made from their JSON by `makeLayer` (which knows nested models).
 */
export function graphFromConfig(config: Record<string, unknown>, makeLayer: (json: unknown) => Layer): RebuiltGraph {
  const layerJsons = config.layers;
  if (!Array.isArray(layerJsons)) throw configError('layers', 'an array of layer configs', layerJsons);
  const made: Layer[] = [];
  try {
    const byName = new Map<
      string,
      { layer: Layer; nodes: unknown[]; outputs: (KerasTensor | KerasTensor[])[]; blockedInPass: number }
    >();
    layerJsons.forEach((json, i) => {
      const layer = isOperationJson(json) ? deserializeOperation(json, `layers[${i}]`) : makeLayer(json);
      made.push(layer);
      const name = isPlainObject(json) ? (ownValue(json, 'name') ?? layer.name) : layer.name;
      if (byName.has(name as string)) throw configError(`layers[${i}].name`, 'a name used once', name);
      const nodes = isPlainObject(json) ? (ownValue(json, 'inbound_nodes') ?? []) : [];
      if (!Array.isArray(nodes)) throw configError(`layers[${i}].inbound_nodes`, 'an array', nodes);
      // An InputLayer's own node is its output; other layers' nodes are replayed below.
      const outputs =
        'output' in layer && nodes.length === 0 ? [(layer as unknown as { output: KerasTensor }).output] : [];
      byName.set(name as string, { layer, nodes, outputs, blockedInPass: -1 });
    });
    const tensorAt = ([name, node, index]: History, field: string): KerasTensor | undefined => {
      const entry = byName.get(name);
      if (entry == null) throw configError(field, `the name of a layer of this model`, name);
      const outputs = entry.outputs[node];
      if (outputs == null) return undefined;
      const list = Array.isArray(outputs) ? outputs : [outputs];
      const tensor = list[index];
      if (tensor == null) throw configError(field, `a tensor index below ${list.length}`, index);
      return tensor;
    };
    // Replay every call once its inputs exist; stop when a pass makes no progress.
    let pending = [...byName.entries()].flatMap(([name, entry]) =>
      entry.nodes.map((node, i) => ({
        name,
        entry,
        node,
        field: `layers.${name}.inbound_nodes[${i}]`,
        // Parsed on the first pass and kept: a call waits for as many passes as the graph is deep.
        parsed: null as ReturnType<typeof nodeArguments> | null,
        /** The calls whose outputs this one still lacked when last checked: it is checked again once one exists. */
        missing: [] as { outputs: unknown[]; node: number }[],
      })),
    );
    // A file may list thousands of layers in reverse order: then each pass makes one call, so a pass must cost little
    // per waiting call (no search of `waiting`, no parsing again, no lookups while nothing it reads has appeared).
    for (let pass = 0; pending.length > 0; pass++) {
      const waiting: typeof pending = [];
      for (const item of pending) {
        // Nothing it reads has appeared since the last pass: it still waits (and checking it again would find the same).
        if (item.missing.length > 0 && item.missing.every((m) => m.outputs.length <= m.node)) {
          waiting.push(item);
          item.entry.blockedInPass = pass;
          continue;
        }
        item.parsed ??= nodeArguments(item.node, item.field, item.entry.layer);
        const { histories: needed, asList } = item.parsed;
        const isNext = item.entry.blockedInPass !== pass;
        const tensors = needed.map((h) => tensorAt(h, item.field));
        if (!isNext || tensors.some((t) => t == null)) {
          item.missing = needed
            .filter((_, i) => tensors[i] == null)
            .map(([name, node]) => ({ outputs: byName.get(name)?.outputs ?? [], node }));
          waiting.push(item);
          item.entry.blockedInPass = pass;
          continue;
        }
        const ready = tensors as KerasTensor[];
        const call = item.parsed.replay?.(ready);
        item.entry.outputs.push(
          call != null
            ? item.entry.layer.apply(call.inputs, call.options)
            : item.entry.layer.apply(asList ? ready : (ready[0] as KerasTensor)),
        );
      }
      if (waiting.length === pending.length) {
        throw new ValueError(
          `Invalid Functional config: the calls of ${waiting.map((w) => `"${w.name}"`).join(', ')} read tensors that no call makes.`,
          {
            argument: 'layers',
            expected: 'inbound nodes that refer to calls of this model',
            received: waiting[0]?.field,
          },
        );
      }
      pending = waiting;
    }
    const ends = (field: string) => {
      const { entries, structure } = histories(config[field], field);
      const tensors = entries.map((h, i) => {
        const tensor = tensorAt(h, `${field}[${i}]`);
        if (tensor == null) throw configError(`${field}[${i}]`, 'a call of this model', h);
        return tensor;
      });
      return { tensors, structure };
    };
    const inputs = ends('inputLayers');
    const outputs = ends('outputLayers');
    return {
      inputs: inputs.tensors,
      outputs: outputs.tensors,
      inputStructure: inputs.structure,
      outputStructure: outputs.structure,
      layers: made,
    };
  } catch (error) {
    for (const layer of made) layer.dispose();
    throw error;
  }
}
