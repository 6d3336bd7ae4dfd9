/**
 * The draws of the mixing layers, made in JavaScript from one integer seed
 * per call (the layer's next seed): the same seed gives the same draws on
 * every backend. Keras draws from JAX's generator, so the bits differ from
 * Keras's; the distributions are Keras's (uniform, Beta, Gamma, Dirichlet,
 * a uniform permutation).
 */

/** A small seeded generator (mulberry32) with the distributions the layers draw from. */
export class Draws {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A uniform float in [0, 1). */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform float in [low, high) (low when they are equal, as Keras's degenerate ranges). */
  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /**
   * log of a Gamma(alpha, 1) draw (Marsaglia and Tsang; for alpha < 1 the
   * draw of alpha + 1 times U^(1/alpha), in logs so that a tiny alpha, as
   * CutMix's `1e-6`, underflows to -Infinity and not to 0/0).
   */
  logGamma(alpha: number): number {
    const boost = alpha < 1 ? Math.log(1 - this.uniform()) / alpha : 0;
    const d = (alpha < 1 ? alpha + 1 : alpha) - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return Math.log(d * v) + boost;
      }
    }
  }

  /** A Beta(a, b) draw: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    const lx = this.logGamma(a);
    const ly = this.logGamma(b);
    if (lx === Number.NEGATIVE_INFINITY && ly === Number.NEGATIVE_INFINITY) return this.uniform() < a / (a + b) ? 1 : 0;
    return 1 / (1 + Math.exp(ly - lx));
  }

  /** A Dirichlet(alpha, ..., alpha) draw of `n` weights (Gamma draws normalised), as Keras's AugMix. */
  dirichlet(n: number, alpha: number): number[] {
    const logs = Array.from({ length: n }, () => this.logGamma(alpha));
    const top = Math.max(...logs);
    if (top === Number.NEGATIVE_INFINITY) return logs.map((_, i) => (i === 0 ? 1 : 0));
    const weights = logs.map((l) => Math.exp(l - top));
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / total);
  }

  /** An integer in [0, n). */
  integer(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** A uniform random permutation of 0..n-1 (Fisher-Yates), as Keras's `random.shuffle(arange(n))`. */
  permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }
}
