/**
 * utils.plotModel: the SVG of a model's graph as Keras's plot_model draws it
 * (one box per layer, one arrow per connection), for a Sequential model, a
 * Functional model with branches and a shared layer, and a nested model
 * (one box, or a frame of its layers with expandNested); regularized layers
 * marked; Keras's label options; rankdir; the SVG well-formed XML; toFile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KerasTypeError, L2, layers, models, utils, ValueError } from 'keras-regularizers';

/** Checks that `svg` is well-formed XML (tags balanced, attributes quoted) and returns its elements. */
function parseSvg(svg: string): { name: string; attrs: Record<string, string>; text: string }[] {
  const elements: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (let m = tag.exec(svg); m != null; m = tag.exec(svg)) {
    assert.equal(m.index, consumed, `unparsable XML at ${consumed}: ${svg.slice(consumed, consumed + 40)}`);
    consumed = m.index + m[0].length;
    if (m[5] != null) {
      assert.ok(!/&(?!amp;|lt;|gt;|quot;)/.test(m[5]), `bare & in text ${m[5]}`);
      const open = elements[elements.length - 1];
      if (open != null && stack.length > 0) open.text += m[5].trim();
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m as unknown as string[];
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      continue;
    }
    const attrs = Object.fromEntries(
      [...(attrText as string).matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]),
    );
    elements.push({ name: name as string, attrs: attrs as Record<string, string>, text: '' });
    if (!selfClosing) stack.push(name as string);
  }
  assert.equal(consumed, svg.length, 'trailing text');
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(elements[0]?.name, 'svg');
  return elements;
}

/** The layer boxes' first lines and the number of arrows. */
function graphOf(svg: string) {
  const elements = parseSvg(svg);
  const boxes = elements.filter((e) => e.name === 'g' && /\blayer\b/.test(e.attrs.class ?? ''));
  const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
  const edges = elements.filter((e) => e.name === 'path' && e.attrs.class === 'edge');
  const regularized = elements.filter((e) => e.name === 'g' && /\bregularized\b/.test(e.attrs.class ?? ''));
  const rects = elements.filter((e) => e.name === 'rect' && e.attrs.rx === '4');
  return { boxes, texts, edges, regularized, rects };
}

function branched() {
  const input = layers.Input({ shape: [4], name: 'features' });
  const left = new layers.Dense({ units: 8, activation: 'relu', kernelRegularizer: new L2(0.01), name: 'left' }).apply(
    input,
  );
  const right = new layers.Dense({ units: 8, name: 'right' }).apply(input);
  const sum = new layers.Add({ name: 'sum' }).apply([left, right]);
  const output = new layers.Dense({ units: 1, name: 'score' }).apply(sum);
  return new models.Functional({ inputs: input, outputs: output, name: 'branched' });
}

describe('utils.plotModel', () => {
  it('Sequential: the input and each layer a box, a chain of arrows, the regularized layer marked', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 5, activation: 'relu', kernelRegularizer: 'l2', name: 'hidden' }),
      new layers.Dropout({ rate: 0.1, name: 'drop' }),
      new layers.Dense({ units: 1, name: 'head' }),
    ]);
    const svg = await utils.plotModel(model, { showShapes: true });
    const { boxes, texts, edges, regularized } = graphOf(svg);
    assert.equal(boxes.length, 4);
    assert.equal(edges.length, 3);
    assert.equal(regularized.length, 1);
    assert.ok(texts.includes('hidden (Dense)'));
    assert.ok(texts.includes('in: (None, 3)  out: (None, 5)'), texts.join(' | '));
    assert.ok(
      texts.some((t) => t.startsWith('⊕ kernel: L2(l2=0.01')),
      texts.join(' | '),
    );
    model.dispose();
  });

  it('Functional with branches: 5 boxes, 5 arrows (two into Add), labels as asked', async () => {
    const model = branched();
    const svg = await utils.plotModel(model, {
      showShapes: true,
      showDtype: true,
      showLayerActivations: true,
      showTrainable: true,
    });
    const { boxes, texts, edges, regularized } = graphOf(svg);
    assert.equal(boxes.length, 5);
    assert.equal(edges.length, 5);
    assert.equal(regularized.length, 1);
    for (const line of [
      'features (InputLayer)',
      'left (Dense)',
      'sum (Add)',
      'activation: relu',
      'dtype: float32',
      'trainable: True',
    ]) {
      assert.ok(texts.includes(line), `${line} in ${texts.join(' | ')}`);
    }
    assert.ok(texts.includes('in: (None, 8), (None, 8)  out: (None, 8)'), texts.join(' | '));
    const names = graphOf(await utils.plotModel(model, { showLayerNames: false })).texts;
    assert.ok(names.includes('Dense') && !names.includes('left (Dense)'));
    model.dispose();
  });

  it('a nested model: one box, or its layers in a frame with expandNested', async () => {
    const inner = branched();
    const input = layers.Input({ shape: [4], name: 'outer_in' });
    const output = new layers.Dense({ units: 2, name: 'outer_head' }).apply(
      inner.apply(input) as layers.KerasTensor,
    ) as layers.KerasTensor;
    const model = new models.Functional({ inputs: input, outputs: output, name: 'outer' });
    const flat = graphOf(await utils.plotModel(model));
    assert.equal(flat.boxes.length, 3);
    assert.equal(flat.edges.length, 2);
    assert.ok(flat.texts.includes('branched (Functional)'));
    const svg = await utils.plotModel(model, { expandNested: true });
    const expanded = graphOf(svg);
    assert.equal(expanded.boxes.length, 2 + 5);
    // outer_in -> features, the inner 5, score -> outer_head.
    assert.equal(expanded.edges.length, 7);
    assert.ok(parseSvg(svg).some((e) => e.name === 'g' && e.attrs.class === 'nested'));
    model.dispose();
  });

  it('rankdir: TB stacks the chain downwards, LR rightwards', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [2] }),
      new layers.Dense({ units: 2 }),
      new layers.Dense({ units: 1 }),
    ]);
    const centres = (svg: string) =>
      graphOf(svg).rects.map((r) => [
        Number(r.attrs.x) + Number(r.attrs.width) / 2,
        Number(r.attrs.y) + Number(r.attrs.height) / 2,
      ]);
    const tb = centres(await utils.plotModel(model));
    const lr = centres(await utils.plotModel(model, { rankdir: 'LR' }));
    for (let i = 1; i < 3; i++) {
      assert.ok((tb[i]?.[1] as number) > (tb[i - 1]?.[1] as number), 'TB: y grows');
      assert.ok((lr[i]?.[0] as number) > (lr[i - 1]?.[0] as number), 'LR: x grows');
    }
    await assert.rejects(() => utils.plotModel(model, { rankdir: 'BT' as never }), ValueError);
    await assert.rejects(() => utils.plotModel(model, { showShape: true } as never), KerasTypeError);
    model.dispose();
  });

  it('toFile writes the same SVG; an unbuilt model is refused', async () => {
    const model = branched();
    const folder = mkdtempSync(join(tmpdir(), 'plot-'));
    const file = join(folder, 'model.svg');
    const svg = await utils.plotModel(model, { toFile: file });
    assert.equal(readFileSync(file, 'utf8'), svg);
    rmSync(folder, { recursive: true });
    const unbuilt = new models.Sequential([new layers.Dense({ units: 1 })]);
    await assert.rejects(() => utils.plotModel(unbuilt), /has not yet been built/);
    model.dispose();
  });
});
