/**
 * FarmHash's `Fingerprint64` (farmhashna::Hash64 of google/farmhash), the
 * hash TensorFlow's `to_hash_bucket_fast` takes of a string, and
 * SipHash-2-4, its `to_hash_bucket_strong` (`StrongKeyedHash`) with a
 * two-word key. In 64-bit unsigned BigInt arithmetic: exact, not fast.
 */

const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const mul = (a: bigint, b: bigint) => BigInt.asUintN(64, a * b);
const add = (a: bigint, b: bigint, c = 0n, d = 0n) => BigInt.asUintN(64, a + b + c + d);
const rotr = (v: bigint, s: bigint) => (s === 0n ? v : BigInt.asUintN(64, (v >> s) | (v << (64n - s))));
const shiftMix = (v: bigint) => v ^ (v >> 47n);

function fetch64(b: Uint8Array, i: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(i, true);
}

function fetch32(b: Uint8Array, i: number): bigint {
  return (
    BigInt(((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) >>> 0) +
    (BigInt(b[i + 3] as number) << 24n)
  );
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length;
  if (len >= 8) {
    const m = add(K2, BigInt(len * 2));
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotr(b, 37n), m), a);
    const d = mul(add(rotr(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, BigInt(len * 2));
    const a = fetch32(s, 0);
    return hashLen16(add(BigInt(len), (a << 3n) & MASK), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const y = BigInt((s[0] as number) + ((s[len >> 1] as number) << 8));
    const z = BigInt(len + ((s[len - 1] as number) << 2));
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(rotr(add(a, b), 43n), rotr(c, 30n), d), add(a, rotr(add(b, K2), 18n), c), m);
}

function hashLen33to64(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rotr(add(a, b), 43n), rotr(c, 30n), d);
  const z = hashLen16(y, add(a, rotr(add(b, K2), 18n), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rotr(add(e, f), 43n), rotr(g, 30n), h), add(e, rotr(add(f, a), 18n), g), m);
}

function weakHashLen32WithSeeds(s: Uint8Array, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const [w, x, y, z] = [fetch64(s, i), fetch64(s, i + 8), fetch64(s, i + 16), fetch64(s, i + 24)];
  let a = add(a0, w);
  let b = rotr(add(b0, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotr(a, 44n));
  return [add(a, z), add(b, c)];
}

/** FarmHash `Fingerprint64(bytes)` as an unsigned 64-bit BigInt. */
export function fingerprint64(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s);
  if (len <= 32) return hashLen17to32(s);
  if (len <= 64) return hashLen33to64(s);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let i = 0;
  do {
    x = mul(rotr(add(x, y, v[0], fetch64(s, i + 8)), 37n), K1);
    y = mul(rotr(add(y, v[1], fetch64(s, i + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, i + 40));
    z = mul(rotr(add(z, w[0]), 33n), K1);
    v = weakHashLen32WithSeeds(s, i, mul(v[1], K1), add(x, w[0]));
    w = weakHashLen32WithSeeds(s, i + 32, add(z, w[1]), add(y, fetch64(s, i + 16)));
    [z, x] = [x, z];
    i += 64;
  } while (i !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  i = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotr(add(x, y, v[0], fetch64(s, i + 8)), 37n), m);
  y = mul(rotr(add(y, v[1], fetch64(s, i + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, i + 40));
  z = mul(rotr(add(z, w[0]), 33n), m);
  v = weakHashLen32WithSeeds(s, i, mul(v[1], m), add(x, w[0]));
  w = weakHashLen32WithSeeds(s, i + 32, add(z, w[1]), add(y, fetch64(s, i + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

const rotl = (v: bigint, s: bigint) => BigInt.asUintN(64, (v << s) | (v >> (64n - s)));

/** SipHash-2-4 of `bytes` with the key words `k0`, `k1` (TensorFlow's `StrongKeyedHash`). */
export function sipHash24(k0: bigint, k1: bigint, bytes: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = add(v0, v1);
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = add(v2, v3);
    v3 = rotl(v3, 16n) ^ v2;
    v0 = add(v0, v3);
    v3 = rotl(v3, 21n) ^ v0;
    v2 = add(v2, v1);
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const len = bytes.length;
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = fetch64(bytes, i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(len & 0xff) << 56n;
  for (let i = whole; i < len; i++) last |= BigInt(bytes[i] as number) << BigInt(8 * (i - whole));
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}
