/** The provided seeded generator (solutions/random.ts). */
import { describe, expect, test } from "vitest";
import { Random } from "../solutions/random";

const sample = (n: number, draw: () => number) => Array.from({ length: n }, draw);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe("Random", () => {
  test("gives the same sequence for the same seed and another for another seed", () => {
    const a = new Random(1);
    const b = new Random(1);
    const c = new Random(2);
    const first = sample(5, () => a.next());
    expect(sample(5, () => b.next())).toEqual(first);
    expect(sample(5, () => c.next())).not.toEqual(first);
  });

  test("next() stays in [0, 1) and uniform(low, high) in [low, high)", () => {
    const rng = new Random(3);
    // One expect per range, not per draw: 20 000 expect() calls took seconds.
    const unit = sample(10_000, () => rng.next());
    expect(Math.min(...unit)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...unit)).toBeLessThan(1);
    const wide = sample(10_000, () => rng.uniform(-1, 1));
    expect(Math.min(...wide)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...wide)).toBeLessThan(1);
  });

  test("uniform draws spread evenly (mean near the middle)", () => {
    const rng = new Random(4);
    expect(mean(sample(20_000, () => rng.uniform(-1, 1)))).toBeCloseTo(0, 1);
  });

  test("normal(mean, sd) has that mean and standard deviation", () => {
    const rng = new Random(5);
    const xs = sample(20_000, () => rng.normal(2, 0.5));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(m).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(0.5, 1);
  });

  test("int(n) covers 0..n-1", () => {
    const rng = new Random(6);
    expect(new Set(sample(1000, () => rng.int(4)))).toEqual(new Set([0, 1, 2, 3]));
  });

  test("shuffle returns a permutation of the same array, reproducibly", () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = new Random(7).shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new Random(7).shuffle([...items])).toEqual(shuffled);
  });

  test("rejects a seed that is not an integer", () => {
    expect(() => new Random(0.5)).toThrow(/integer/);
  });
});
