/**
 * Every class of Keras 3.15.1's `keras.layers` (test/fixtures/keras-layer-classes.json,
 * written by scripts/generate_keras_layer_classes.py) is accounted for: a layer
 * here that layer JSON builds, exported in `layers` under its name and every
 * Keras alias; or refused with the reason (layers that carry Python code); or
 * one of Keras's three non-layer helpers, said in COMPATIBILITY.md. The
 * README's layer list and COMPATIBILITY's inventory name every class.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { layers, ValueError } from 'keras-regularizers';

interface LayerClasses {
  keras_version: string;
  classes: { name: string; aliases: string[] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/keras-layer-classes.json', import.meta.url), 'utf8'),
) as LayerClasses;
const PYTHON_CODE = new Set(['Lambda', 'JaxLayer', 'FlaxLayer', 'TorchModuleWrapper', 'TFSMLayer']);
/** Keras's abstract base (Layer is here as the base class) and its two helpers that are not layers. */
const NOT_LAYERS = new Set(['Layer', 'Wrapper', 'InputSpec']);
const namespace = layers as unknown as Record<string, unknown>;

/** What layer JSON does with a class name: built (or refused by the class's own checks), or unknown. */
function lookUp(name: string): 'known' | 'unknown' | Error {
  try {
    layers.deserialize({ module: 'keras.layers', class_name: name, config: { name: 'probe' }, registered_name: null });
    return 'known';
  } catch (error) {
    const unknown = `Cannot deserialize layer of class_name ${JSON.stringify(name)}: it is not a built-in`;
    if (error instanceof ValueError && error.message.startsWith(unknown)) return 'unknown';
    return error as Error;
  }
}

describe(`keras.layers inventory (Keras ${fixture.keras_version})`, () => {
  it('holds the 144 classes Keras 3.15.1 exports', () => {
    assert.equal(fixture.classes.length, 144);
  });

  for (const { name, aliases } of fixture.classes) {
    it(`${name}${aliases.length > 0 ? ` (${aliases.join(', ')})` : ''}`, () => {
      if (NOT_LAYERS.has(name)) {
        if (name === 'Layer') assert.equal(typeof namespace.Layer, 'function');
        return;
      }
      const cls = namespace[name];
      assert.equal(typeof cls, 'function', `layers.${name} is exported`);
      for (const alias of aliases) assert.equal(namespace[alias], cls, `layers.${alias} is layers.${name}`);
      const found = lookUp(name);
      if (PYTHON_CODE.has(name)) {
        assert.ok(found instanceof ValueError, `${name} from JSON is refused`);
        assert.match(found.message, /arbitrary code execution/);
        return;
      }
      assert.notEqual(found, 'unknown', `layer JSON builds ${name}`);
    });
  }

  it('the README and COMPATIBILITY.md name every class', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const docs = (() => {
      try {
        return readFileSync(new URL('../docs/layers.md', import.meta.url), 'utf8');
      } catch {
        return '';
      }
    })();
    const compatibility = readFileSync(new URL('../COMPATIBILITY.md', import.meta.url), 'utf8');
    const inventory = compatibility.slice(compatibility.indexOf('## All 144 `keras.layers` classes'));
    assert.ok(inventory.length < compatibility.length, 'COMPATIBILITY.md has the inventory section');
    // The README writes a family once: `Conv1D`/`2D`/`3D`, `Conv1DTranspose`/`2D`/`3D`.
    const expand = (text: string) =>
      text.replace(/`(\w+?)1D(\w*)`((?:\/`[23]D`)+)/g, (whole, stem: string, suffix: string, rest: string) =>
        [whole, ...(rest.match(/[23]D/g) ?? []).map((rank) => `\`${stem}${rank}${suffix}\``)].join(' '),
      );
    const missing = (text: string) =>
      fixture.classes.map((c) => c.name).filter((name) => !new RegExp(`\\b${name}\\b`).test(expand(text)));
    assert.deepEqual(missing(inventory), [], 'COMPATIBILITY.md inventory');
    assert.deepEqual(missing(readme + docs), [], 'README layer list (or docs/layers.md, which it links)');
  });
});
