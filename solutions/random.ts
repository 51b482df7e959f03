/**
 * Provided: you do not need to edit this file.
 *
 * A small seeded random number generator, so that every test, experiment and figure of the course
 * comes out the same on every machine. `Math.random()` cannot be seeded; this can.
 *
 * The core is mulberry32, a 32-bit generator that is tiny, fast and good enough for initialising
 * weights and shuffling data (not for cryptography).
 */
export class Random {
  private state: number;

  constructor(seed = 42) {
    if (!Number.isInteger(seed)) throw new TypeError(`Random: the seed must be an integer, got ${seed}.`);
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A sample of the normal distribution (Box-Muller transform). */
  normal(mean = 0, sd = 1): number {
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
