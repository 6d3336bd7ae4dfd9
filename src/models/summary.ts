/** Keras's `model.summary()` table. */
import type { Layer } from '../layers/layer.js';

function count(layer: Layer, weights: 'trainable' | 'all'): number {
  const list = weights === 'all' ? layer.weights : layer.trainableWeights;
  return list.reduce((sum, v) => sum + v.size, 0);
}

/** What a model may tell the table beyond its layers: output shapes, and a graph's connections. */
export interface SummarySource extends Layer {
  outputShapes?: () => Map<Layer, (number | null)[]>;
  /** Per layer, the tensors its calls read, as Keras prints them: `dense[0][0], b[0][0]`. */
  connections?: () => Map<Layer, string>;
}

/** The lines of the table: each direct sublayer with its output shape (when known), parameters and, for a graph, what it reads. */
export function formatSummary(model: SummarySource): string[] {
  // Direct sublayers: those no other nested layer holds.
  const nested = model.nestedLayers();
  const held = new Set(nested.flatMap((layer) => layer.nestedLayers()));
  const sublayers = nested.filter((layer) => !held.has(layer));
  const shapes = model.outputShapes?.() ?? new Map<Layer, (number | null)[]>();
  const connections = model.connections?.();
  const rows = sublayers.map((layer) => [
    `${layer.name} (${(layer.constructor as { className?: string }).className ?? layer.constructor.name})`,
    shapes.has(layer)
      ? `(${['None', ...(shapes.get(layer) as (number | null)[]).slice(1).map((d) => d ?? 'None')].join(', ')})`
      : '?',
    count(layer, 'all').toLocaleString('en-US'),
    ...(connections != null ? [connections.get(layer) ?? '-'] : []),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(connections != null ? ['Connected to'] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)) + 2);
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0));
  const total = count(model, 'all');
  const trainable = count(model, 'trainable');
  return [
    `Model: "${model.name}"`,
    rule('━'),
    line(header),
    rule('━'),
    ...rows.map(line),
    rule('━'),
    ` Total params: ${total.toLocaleString('en-US')}`,
    ` Trainable params: ${trainable.toLocaleString('en-US')}`,
    ` Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
  ];
}
