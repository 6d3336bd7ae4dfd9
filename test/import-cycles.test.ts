/**
 * No module of src/ imports itself back at run time, through any path
 * (dynamic `import()` included): in particular models/ does not reach
 * saving/, which builds on it (Model.save and friends are filled in by
 * saving/model-methods.ts, as Keras's Model.save calls saving_api). A cycle
 * makes load order matter (a class undefined at a module's top level) and
 * keeps bundlers from splitting the two.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importCycles, runtimeImportGraph } from './helpers/import-graph.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('the runtime import graph of src/', () => {
  const graph = runtimeImportGraph(SRC);

  it('is read: the entries reach model.ts, layer.ts and the saving module', () => {
    assert.ok(graph.size > 300, `found ${graph.size} modules`);
    assert.ok(graph.get('models/functional/functional.ts')?.includes('models/model.ts'));
    assert.ok(graph.get('saving/model-methods.ts')?.includes('saving/keras-file.ts'));
    assert.ok(graph.get('index.ts')?.includes('saving/model-methods.ts'));
  });

  it('has no cycle', () => {
    const cycles = importCycles(graph);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(' -> ')).join('\n')}`);
  });

  it('models/ imports nothing of saving/ (a dynamic import would be the cycle back)', () => {
    const intoSaving = [...graph].filter(
      ([file, targets]) => file.startsWith('models/') && targets.some((t) => t.startsWith('saving/')),
    );
    assert.deepEqual(intoSaving, []);
  });

  it('finds a cycle when there is one (the detector itself)', () => {
    const made = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    assert.deepEqual(importCycles(made), [['a.ts', 'b.ts', 'c.ts']]);
  });
});
