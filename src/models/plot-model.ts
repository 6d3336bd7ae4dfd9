/**
 * Keras's `keras.utils.plot_model`, as an SVG string: one box per layer
 * (name and class, shapes, dtype, activation, trainable as asked), an arrow
 * per connection, laid out by dagre (no Graphviz). Layers that carry a
 * regularizer are marked (a thicker border and one line per regularizer),
 * this library's reason to draw a model. Nested models are one box, or
 * drawn inside a frame with `expandNested`.
 */

import { invalidArgument, ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { platform } from '../platform/platform.js';
import { readOptions } from '../utils/options.js';

/** `plotModel()`'s options: Keras's `plot_model` arguments, camelCased. */
export interface PlotModelOptions {
  /** Show each layer's input and output shapes. Default false (Keras). */
  showShapes?: boolean;
  /** Show each layer's dtype. Default false. */
  showDtype?: boolean;
  /** Show layer names (else only classes). Default true. */
  showLayerNames?: boolean;
  /** `'TB'` (top to bottom, the default) or `'LR'` (left to right). */
  rankdir?: 'TB' | 'LR';
  /** Draw nested models' layers inside a frame. Default false. */
  expandNested?: boolean;
  /** Show each layer's activation. Default false. */
  showLayerActivations?: boolean;
  /** Show whether each layer is trainable. Default false. */
  showTrainable?: boolean;
  /** Node only: also write the SVG to this file path. */
  toFile?: string;
}

const OPTION_NAMES = [
  'showShapes',
  'showDtype',
  'showLayerNames',
  'rankdir',
  'expandNested',
  'showLayerActivations',
  'showTrainable',
  'toFile',
];

interface GraphNode {
  id: string;
  lines: string[];
  regularized: boolean;
  /** The frame (nested model) it is drawn in, if any. */
  parent?: string;
}

interface Drawing {
  nodes: GraphNode[];
  edges: [string, string][];
  frames: { id: string; label: string }[];
}

interface GraphLike extends Layer {
  nodes?: { layer: Layer; inputs: { sourceLayer: Layer }[]; outputs: { shape: (number | null)[] }[] }[];
  inputs?: { sourceLayer: Layer; shape: (number | null)[] }[];
  outputs?: { sourceLayer: Layer }[];
  outputShapes?: () => Map<Layer, (number | null)[]>;
  layers?: Layer[];
  inputLayer?: () => Layer | null;
}

const className = (layer: Layer) => (layer.constructor as { className?: string }).className ?? layer.constructor.name;
const isModel = (layer: Layer): layer is GraphLike => Array.isArray((layer as GraphLike).layers) && 'compile' in layer;
const shapeText = (shape: (number | null)[] | undefined) =>
  shape == null ? '?' : `(${shape.map((d) => (d == null ? 'None' : String(d))).join(', ')})`;

/** The regularizers a layer's config names: `kernel: L2(l2=0.01)`. */
function regularizerLines(layer: Layer): string[] {
  let config: Record<string, unknown>;
  try {
    config = layer.getConfig();
  } catch {
    return [];
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith('Regularizer') || value == null) continue;
    const json = value as { class_name?: string; config?: Record<string, unknown> };
    const args = Object.entries(json.config ?? {})
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)}`)
      .join(', ');
    lines.push(`${key.slice(0, -'Regularizer'.length)}: ${json.class_name ?? '?'}(${args})`);
  }
  return lines;
}

/** The graph to draw: layers with their labels, and the connections. */
function collect(model: GraphLike, opts: Readonly<PlotModelOptions>): Drawing {
  const drawing: Drawing = { nodes: [], edges: [], frames: [] };
  const ids = new Map<Layer, string>();
  /** Where an arrow into / out of a layer ends: a nested model drawn expanded has its inputs and outputs. */
  const entry = new Map<Layer, string[]>();
  const exit = new Map<Layer, string[]>();
  let counter = 0;

  const addLayer = (layer: Layer, inShape: string, outShape: string, parent?: string) => {
    const id = `n${counter++}`;
    ids.set(layer, id);
    const lines = [opts.showLayerNames === false ? className(layer) : `${layer.name} (${className(layer)})`];
    if (opts.showShapes) lines.push(`in: ${inShape}  out: ${outShape}`);
    if (opts.showDtype) lines.push(`dtype: ${(layer as { dtype?: string }).dtype ?? 'float32'}`);
    if (opts.showLayerActivations) {
      const activation = (layer.getConfig() as { activation?: unknown }).activation;
      if (activation != null)
        lines.push(`activation: ${typeof activation === 'string' ? activation : JSON.stringify(activation)}`);
    }
    if (opts.showTrainable) lines.push(`trainable: ${layer.trainable ? 'True' : 'False'}`);
    const regs = regularizerLines(layer);
    lines.push(...regs.map((r) => `⊕ ${r}`));
    drawing.nodes.push({ id, lines, regularized: regs.length > 0, ...(parent != null && { parent }) });
    entry.set(layer, [id]);
    exit.set(layer, [id]);
  };

  const walk = (graph: GraphLike, parent?: string) => {
    const shapes = graph.outputShapes?.() ?? new Map<Layer, (number | null)[]>();
    const visit = (layer: Layer, inShape: string) => {
      if (ids.has(layer) || entry.has(layer)) return;
      if (opts.expandNested && isModel(layer)) {
        const frame = `f${counter++}`;
        drawing.frames.push({ id: frame, label: `${layer.name} (${className(layer)})` });
        const before = drawing.nodes.length;
        walk(layer, frame);
        const inner = drawing.nodes.slice(before);
        const targets = new Set(drawing.edges.map(([, to]) => to));
        const sources = new Set(drawing.edges.map(([from]) => from));
        entry.set(
          layer,
          inner.filter((n) => !targets.has(n.id)).map((n) => n.id),
        );
        exit.set(
          layer,
          inner.filter((n) => !sources.has(n.id)).map((n) => n.id),
        );
        return;
      }
      addLayer(layer, inShape, shapeText(shapes.get(layer)), parent);
    };
    const connect = (from: Layer, to: Layer) => {
      for (const a of exit.get(from) ?? []) for (const b of entry.get(to) ?? []) drawing.edges.push([a, b]);
    };
    if (Array.isArray(graph.nodes)) {
      for (const input of graph.inputs ?? []) visit(input.sourceLayer, shapeText(input.shape));
      for (const node of graph.nodes) {
        const inShape = node.inputs.map((t) => shapeText(shapes.get(t.sourceLayer))).join(', ');
        visit(node.layer, inShape);
        for (const t of node.inputs) connect(t.sourceLayer, node.layer);
      }
      return;
    }
    // Sequential: its input layer, then the stack in order.
    const chain = [...(graph.inputLayer?.() != null ? [graph.inputLayer() as Layer] : []), ...(graph.layers ?? [])];
    let previous: Layer | null = null;
    let prevShape = '?';
    for (const layer of chain) {
      visit(layer, prevShape);
      if (previous != null) connect(previous, layer);
      previous = layer;
      prevShape = shapeText(shapes.get(layer) ?? (layer as { batchShape?: (number | null)[] }).batchShape);
    }
  };
  walk(model);
  return drawing;
}

const FONT = 12;
const LINE = 16;
const CHAR = 7.2;
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The SVG of a laid-out drawing. dagre is imported here, at the first plot:
 * a bundle that never plots does not load it at start (the browser bundle's
 * start-up size is measured by test/browser/bundlers.test.ts).
 */
async function render(drawing: Drawing, rankdir: 'TB' | 'LR'): Promise<string> {
  const dagre = (await import('@dagrejs/dagre')).default;
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir, nodesep: 24, ranksep: 36, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const frame of drawing.frames) g.setNode(frame.id, { label: frame.label, paddingTop: 24 });
  for (const node of drawing.nodes) {
    const width = Math.ceil(Math.max(...node.lines.map((l) => l.length)) * CHAR + 20);
    g.setNode(node.id, { width, height: node.lines.length * LINE + 12 });
    if (node.parent != null) g.setParent(node.id, node.parent);
  }
  drawing.edges.forEach(([from, to], i) => {
    g.setEdge(from, to, {}, `e${i}`);
  });
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  const width = Math.ceil(graph.width ?? 0);
  const height = Math.ceil(graph.height ?? 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="${FONT}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (const frame of drawing.frames) {
    const box = g.node(frame.id) as { x: number; y: number; width: number; height: number };
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    parts.push(
      `<g class="nested" data-frame="${frame.id}"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="6" fill="#f4f6fb" stroke="#8893a8" stroke-dasharray="4 3"/><text x="${(x + 8).toFixed(1)}" y="${(y + 16).toFixed(1)}" fill="#445">${escapeXml(frame.label)}</text></g>`,
    );
  }
  for (const edgeObj of g.edges()) {
    const points = (g.edge(edgeObj) as { points: { x: number; y: number }[] }).points;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    parts.push(
      `<path class="edge" data-from="${edgeObj.v}" data-to="${edgeObj.w}" d="${d}" fill="none" stroke="#444" marker-end="url(#arrow)"/>`,
    );
  }
  for (const node of drawing.nodes) {
    const box = g.node(node.id) as { x: number; y: number; width: number; height: number };
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const stroke = node.regularized ? 'stroke="#b3261e" stroke-width="2.5"' : 'stroke="#333" stroke-width="1"';
    const fill = node.regularized ? '#fdecea' : '#eef3fb';
    const texts = node.lines
      .map(
        (line, i) =>
          `<text x="${box.x.toFixed(1)}" y="${(y + 6 + LINE * (i + 1) - 4).toFixed(1)}" text-anchor="middle"${i === 0 ? ' font-weight="bold"' : ''}${line.startsWith('⊕') ? ' fill="#b3261e"' : ''}>${escapeXml(line)}</text>`,
      )
      .join('');
    parts.push(
      `<g class="layer${node.regularized ? ' regularized' : ''}" data-id="${node.id}"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="4" fill="${fill}" ${stroke}/>${texts}</g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Keras's `plot_model(model, ...)`: the model's graph as an SVG string, one
 * box per layer and an arrow per connection, laid out by dagre; layers with
 * a regularizer are outlined in red with a line per regularizer. With
 * `toFile` (Node only) the SVG is also written there.
 *
 * @example
 * const svg = await utils.plotModel(model, { showShapes: true, rankdir: 'LR' });
 */
export async function plotModel(model: Layer, options: PlotModelOptions = {}): Promise<string> {
  const opts = readOptions<PlotModelOptions>('plotModel()', options, OPTION_NAMES);
  const candidate = model as GraphLike;
  if (model == null || typeof model !== 'object' || !Array.isArray(candidate.layers)) {
    throw invalidArgument('model', 'a model (Sequential or Functional)', model);
  }
  if (!model.built) {
    throw new ValueError(
      'This model has not yet been built. Build the model first by calling `build()` or by calling the model on a batch of data.',
      { argument: 'model', expected: 'a built model', received: 'an unbuilt model' },
    );
  }
  const rankdir = opts.rankdir ?? 'TB';
  if (rankdir !== 'TB' && rankdir !== 'LR') throw invalidArgument('rankdir', "'TB' or 'LR'", rankdir);
  for (const key of [
    'showShapes',
    'showDtype',
    'showLayerNames',
    'expandNested',
    'showLayerActivations',
    'showTrainable',
  ] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== 'boolean') throw invalidArgument(key, 'a boolean', opts[key]);
  }
  const svg = await render(collect(candidate, opts), rankdir);
  if (opts.toFile !== undefined) {
    if (typeof opts.toFile !== 'string' || opts.toFile.length === 0)
      throw invalidArgument('toFile', 'a file path', opts.toFile);
    // Through the installed platform (Node's atomic write): no node: import reaches a browser bundle.
    const files = platform();
    if (files.name !== 'node') {
      throw new ValueError(
        'plotModel({ toFile }) writes files in Node only; in a browser, use the returned SVG string.',
        {
          argument: 'toFile',
          expected: 'Node',
          received: 'a browser',
        },
      );
    }
    await files.writeFileAtomic(opts.toFile, new TextEncoder().encode(svg), true);
  }
  return svg;
}
