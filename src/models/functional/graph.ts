/**
 * The graph of a Functional model: the layer calls between its inputs and
 * outputs, in an order where every call comes after the calls it reads,
 * with Keras's checks (a disconnected graph, names used twice).
 */
import { ValueError } from '../../errors.js';
import { InputLayer } from '../../layers/core/input-layer.js';
import type { Layer } from '../../layers/layer.js';
import { KerasTensor, type Node } from '../../layers/symbolic/keras-tensor.js';
import { formatValue } from '../../utils/format.js';

export interface Graph {
  /** The calls to run, inputs' own nodes excluded, each after those it reads. */
  readonly nodes: Node[];
  /** Every layer of the graph, input layers included, in the order of their first call (Keras's `model.layers`). */
  readonly layers: Layer[];
}

/** Checks that `value` is a symbolic tensor made by layers, naming the argument and position. */
export function checkSymbolic(value: unknown, argument: string): KerasTensor {
  if (!(value instanceof KerasTensor)) {
    throw new ValueError(
      `Functional model ${argument} must be symbolic tensors: from layers.Input() or a layer applied to one. Received: ${formatValue(value)}`,
      { argument, expected: 'a KerasTensor', received: formatValue(value) },
    );
  }
  return value;
}

/**
 * The calls that lead from `inputs` to `outputs`, checked and ordered as
 * Keras's `map_graph` orders them: by depth (the longest path to an output)
 * from the inputs down, ties in first-visit order. Keras stores weights under
 * names numbered in this order, so it must be Keras's exactly.
 */
export function buildGraph(inputs: readonly KerasTensor[], outputs: readonly KerasTensor[]): Graph {
  inputs.forEach((input, index) => {
    if (!(input.sourceLayer instanceof InputLayer)) {
      throw new ValueError(
        `Functional model inputs must come from layers.Input(). Received inputs[${index}]: the output of layer "${input.sourceLayer.name}" (${input.name}).`,
        { argument: `inputs[${index}]`, expected: 'a tensor from layers.Input()', received: input.name },
      );
    }
  });
  const inputSet = new Set(inputs);
  outputs.forEach((output, index) => {
    if (!reaches(output, inputSet)) {
      throw new ValueError(
        `Output ${output.toString()} (outputs[${index}]) does not depend on the model's inputs: it is not computed from any of them.`,
        { argument: `outputs[${index}]`, expected: 'a tensor computed from the inputs', received: output.name },
      );
    }
  });

  // Depth first from the outputs (Keras's _build_map): nodes after the nodes they read, layers numbered at first visit.
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const postOrder: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  /** Checks a tensor met on the way and starts its node; null when the node is already finished. */
  const enter = (tensor: KerasTensor, consumer: string): Node | null => {
    const node = tensor.node;
    if (finished.has(node)) return null;
    if (node.layer instanceof InputLayer && !inputSet.has(tensor)) {
      throw new ValueError(
        `Graph disconnected: cannot obtain value for tensor ${tensor.toString()} at layer "${consumer}": it comes from Input "${node.layer.name}", which is not among the model's inputs (${inputs.map((t) => `"${t.sourceLayer.name}"`).join(', ')}).`,
        {
          argument: 'inputs',
          expected: `inputs that include Input "${node.layer.name}"`,
          received: formatValue(inputs.map((t) => t.sourceLayer.name)),
        },
      );
    }
    if (inProgress.has(node)) {
      throw new ValueError(`Tensor ${tensor.toString()} from layer "${node.layer.name}" is part of a cycle.`, {
        argument: 'outputs',
      });
    }
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    return node;
  };
  // An explicit stack, not recursion: a chain of thousands of layers (a file may declare one) would overflow the call stack.
  const visit = (tensor: KerasTensor, consumer: string): void => {
    const first = enter(tensor, consumer);
    if (first == null) return;
    const stack: { node: Node; next: number }[] = [{ node: first, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: Node; next: number };
      const input = top.node.inputs[top.next];
      if (input != null) {
        top.next++;
        const child = enter(input, top.node.layer.name);
        if (child != null) stack.push({ node: child, next: 0 });
        continue;
      }
      stack.pop();
      inProgress.delete(top.node);
      finished.add(top.node);
      postOrder.push(top.node);
    }
  };
  outputs.forEach((output, index) => {
    visit(output, `outputs[${index}]`);
  });

  // Depths, from the outputs back (Keras's map_graph): a node is one deeper than the deepest node reading it.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  const inGraph = new Set(postOrder);
  for (const node of [...postOrder].reverse()) {
    if (!nodeDepth.has(node)) nodeDepth.set(node, 0);
    const depth = Math.max(nodeDepth.get(node) as number, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.inputs.map((t) => t.node)) {
      if (inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  // Inputs that no output reads still belong to the model, at depth 0.
  for (const input of inputs) {
    if (!layerDepth.has(input.sourceLayer)) {
      layerDepth.set(input.sourceLayer, 0);
      layerIndex.set(input.sourceLayer, -1);
    }
  }
  const byDepthThenVisit = <T>(depths: Map<T, number>, order: (item: T) => number): T[] =>
    [...depths.keys()].sort((a, b) => (depths.get(b) as number) - (depths.get(a) as number) || order(a) - order(b));
  const layers = byDepthThenVisit(layerDepth, (layer) => layerIndex.get(layer) as number);
  const insertion = new Map([...nodeDepth.keys()].map((node, i) => [node, i]));
  const nodes = byDepthThenVisit(nodeDepth, (node) => insertion.get(node) as number).filter(
    (node) => !(node.layer instanceof InputLayer),
  );
  checkUniqueNames(layers);
  return { nodes, layers };
}

/** Whether `tensor` is computed from any tensor of `inputs`. */
function reaches(tensor: KerasTensor, inputs: ReadonlySet<KerasTensor>): boolean {
  const stack = [tensor];
  const seen = new Set<KerasTensor>();
  while (stack.length > 0) {
    const current = stack.pop() as KerasTensor;
    if (inputs.has(current)) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...current.node.inputs);
  }
  return false;
}

function checkUniqueNames(layers: readonly Layer[]): void {
  const counts = new Map<string, number>();
  for (const layer of layers) counts.set(layer.name, (counts.get(layer.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      throw new ValueError(
        `The name "${name}" is used ${count} times in the model. All operation names should be unique.`,
        { argument: 'layers', expected: 'unique layer names', received: name },
      );
    }
  }
}
