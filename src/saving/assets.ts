/**
 * Keras's assets in `.keras` archives: files a layer keeps beside its
 * weights (a learned lookup vocabulary), stored at
 * `assets/<the layer's path>/<file>` (Keras's `DiskIOStore("assets")` with
 * the layer's inner path, `layers/integer_lookup`). A layer takes part by
 * having `saveAssets()` (file name to text, or null) and
 * `loadAssets(files)`.
 */
import { strFromU8, strToU8 } from 'fflate';
import { ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { ZIP_LIMITS_BASE } from './load-limits.js';
import { weightLayout } from './weights-layout.js';
import { readZip } from './zip-reader.js';

/** A layer with Keras's `save_assets` / `load_assets`. */
export interface AssetLayer {
  saveAssets(): Record<string, string> | null;
  loadAssets(files: ReadonlyMap<string, string>): void;
}

/** The asset files a layer may have: Keras's lookup layers write one. */
const ASSET_FILES = ['vocabulary.txt'];
/** The largest asset read: a vocabulary of millions of tokens. */
const ASSET_LIMIT = 64 << 20;

function hasAssets(layer: Layer): layer is Layer & AssetLayer {
  const candidate = layer as Partial<AssetLayer>;
  return typeof candidate.saveAssets === 'function' && typeof candidate.loadAssets === 'function';
}

/** Each layer with assets and its folder under `assets/`. */
function assetLayers(model: Layer): { layer: Layer & AssetLayer; folder: string }[] {
  return weightLayout(model)
    .layers.filter((stored) => hasAssets(stored.layer))
    .map((stored) => ({
      layer: stored.layer as Layer & AssetLayer,
      folder: `assets/${stored.vars.replace(/(^|\/)vars$/, '')}`.replace(/\/$/, ''),
    }));
}

/** The archive entries of the model's assets (`assets/layers/integer_lookup/vocabulary.txt`). */
export function assetsToSave(model: Layer): Record<string, Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const { layer, folder } of assetLayers(model)) {
    for (const [file, text] of Object.entries(layer.saveAssets() ?? {})) entries[`${folder}/${file}`] = strToU8(text);
  }
  return entries;
}

/** Hands each layer with assets the files the archive `bytes` holds for it. */
export function loadAssets(bytes: Uint8Array, model: Layer): void {
  const layers = assetLayers(model);
  if (layers.length === 0) return;
  const wanted = new Map<string, number>();
  for (const { folder } of layers) for (const file of ASSET_FILES) wanted.set(`${folder}/${file}`, ASSET_LIMIT);
  const entries = readZip(bytes, wanted, { ...ZIP_LIMITS_BASE, maxTotalBytes: ASSET_LIMIT * layers.length });
  for (const { layer, folder } of layers) {
    const files = new Map<string, string>();
    for (const file of ASSET_FILES) {
      const data = entries.get(`${folder}/${file}`);
      if (data == null) continue;
      try {
        files.set(file, strFromU8(data));
      } catch {
        throw new ValueError(`The asset ${folder}/${file} is not UTF-8 text.`, {
          argument: `${folder}/${file}`,
          expected: 'UTF-8 text',
          received: 'bytes that are not UTF-8',
        });
      }
    }
    if (files.size > 0) layer.loadAssets(files);
  }
}
