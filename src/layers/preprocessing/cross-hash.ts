/**
 * TensorFlow's hashed feature cross (`tf.sparse.cross_hashed`, the
 * `SparseCrossHashed` kernel in sparse_cross_op.cc) that Keras's
 * HashedCrossing calls: each feature's hash (FarmHash `Fingerprint64` of a
 * string's bytes; an integer is its own int64 value), folded into the
 * default key `0xDECAFCAFFE` with `FingerprintCat64`, modulo the bins.
 */
import { fingerprint64 } from './farmhash.js';

const K_MUL = 0xc6a4a7935bd1e995n;
/** `tf.sparse.cross_hashed`'s `hash_key` when none is given (Keras gives none). */
export const DEFAULT_HASH_KEY = 0xdecafcaffen;

const mul = (a: bigint, b: bigint) => BigInt.asUintN(64, a * b);
const shiftMix = (v: bigint) => v ^ (v >> 47n);

/** TensorFlow's `FingerprintCat64(fp1, fp2)` (tensorflow/core/platform/fingerprint.h). */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  let result = fp1 ^ K_MUL;
  result ^= mul(shiftMix(mul(fp2, K_MUL)), K_MUL);
  result = mul(result, K_MUL);
  result = mul(shiftMix(result), K_MUL);
  return shiftMix(result);
}

const encoder = new TextEncoder();

/** One feature's hash: a string's (or its bytes') Fingerprint64; an integer as its unsigned 64-bit pattern. */
export function featureHash(value: string | number | Uint8Array): bigint {
  if (typeof value === 'number') return BigInt.asUintN(64, BigInt(value));
  return fingerprint64(typeof value === 'string' ? encoder.encode(value) : value);
}

/** The bin of one crossed sample: the features' hashes folded from the key, modulo `numBins`. */
export function crossBin(features: readonly (string | number | Uint8Array)[], numBins: number): number {
  let hash = DEFAULT_HASH_KEY;
  for (const value of features) hash = fingerprintCat64(hash, featureHash(value));
  return Number(hash % BigInt(numBins));
}
