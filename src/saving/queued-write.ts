/**
 * Atomic writes in call order, without a static import of node:fs (so that
 * bundles that only load files from bytes need not carry it).
 */
let atomicWrite: Promise<typeof import('./atomic-write.js')> | null = null;

/**
 * `writeFileAtomic` behind one memoized import: callbacks on one promise run
 * in the order they were registered, so two saves to one path join the
 * path's queue in the order they were called (a fresh `import()` per call
 * gave no such order, and the earlier save could win).
 */
export function writeAtomicallyInOrder(
  path: string,
  bytes: Uint8Array | Promise<Uint8Array>,
  overwrite: boolean,
): Promise<void> {
  atomicWrite ??= import('./atomic-write.js');
  return atomicWrite.then(({ writeFileAtomic }) => writeFileAtomic(path, bytes, overwrite));
}
