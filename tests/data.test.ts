/** The provided two-moons data set and split (solutions/data.ts). */
import { describe, expect, test } from "vitest";
import { makeMoons, toSigned, trainTestSplit } from "../solutions/data";

describe("makeMoons", () => {
  test("without noise, label-0 points lie on the outer arc and label-1 points on the inner arc", () => {
    const { x, y } = makeMoons(101, { noise: 0, seed: 3 });
    x.forEach(([px, py], i) => {
      if (y[i] === 0) {
        expect(px * px + py * py).toBeCloseTo(1, 12);
        expect(py).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect((px - 1) ** 2 + (py - 0.5) ** 2).toBeCloseTo(1, 12);
        expect(py).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
  });

  test("puts ⌊n/2⌋ points on the outer moon and the rest on the inner one", () => {
    const { y } = makeMoons(101);
    expect(y.filter((label) => label === 0).length).toBe(50);
    expect(y.filter((label) => label === 1).length).toBe(51);
  });

  test("spaces t evenly over [0, π], so both ends of each arc are present", () => {
    const { x, y } = makeMoons(10, { noise: 0 });
    const outer = x.filter((_, i) => y[i] === 0).map(([px]) => px);
    expect(Math.max(...outer)).toBeCloseTo(1, 12);
    expect(Math.min(...outer)).toBeCloseTo(-1, 12);
  });

  test("shuffles the points rather than listing one moon after the other", () => {
    const { y } = makeMoons(100);
    expect(y.slice(0, 50).every((label) => label === 0)).toBe(false);
  });

  test("is the same for the same seed and differs for another", () => {
    expect(makeMoons(50, { noise: 0.1, seed: 7 })).toEqual(makeMoons(50, { noise: 0.1, seed: 7 }));
    expect(makeMoons(50, { noise: 0.1, seed: 7 })).not.toEqual(makeMoons(50, { noise: 0.1, seed: 8 }));
  });

  test("noise moves points off the arcs by about its standard deviation", () => {
    const { x, y } = makeMoons(2000, { noise: 0.1, seed: 1 });
    const clean = makeMoons(2000, { noise: 0, seed: 1 });
    const offsets = x.flatMap((p, i) => p.map((c, j) => c - clean.x[i][j]));
    const sd = Math.sqrt(offsets.reduce((s, d) => s + d * d, 0) / offsets.length);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    expect(y).toEqual(clean.y);
  });

  test("rejects a size below 2 and negative noise", () => {
    expect(() => makeMoons(1)).toThrow(/at least 2/);
    expect(() => makeMoons(10, { noise: -1 })).toThrow(/noise/);
  });
});

describe("toSigned", () => {
  test("maps labels 0 and 1 to targets -1 and +1", () => {
    expect(toSigned([0, 1, 1, 0])).toEqual([-1, 1, 1, -1]);
  });
});

describe("trainTestSplit", () => {
  test("holds out ⌈fraction · n⌉ examples and keeps every example exactly once", () => {
    const data = makeMoons(10, { noise: 0.1 });
    const { train, test } = trainTestSplit(data, { testFraction: 0.25, seed: 1 });
    expect(test.x.length).toBe(3);
    expect(train.x.length).toBe(7);
    const all = [...train.x, ...test.x].map((p) => p.join(",")).sort();
    expect(all).toEqual(data.x.map((p) => p.join(",")).sort());
  });

  test("keeps each example with its label", () => {
    const data = makeMoons(40, { noise: 0 });
    const { train } = trainTestSplit(data, { seed: 2 });
    train.x.forEach(([px, py], i) => {
      const onOuter = Math.abs(px * px + py * py - 1) < 1e-9;
      expect(train.y[i], `point (${px}, ${py})`).toBe(onOuter ? 0 : 1);
    });
  });

  test("is the same for the same seed", () => {
    const data = makeMoons(30, { noise: 0.2 });
    expect(trainTestSplit(data, { seed: 5 })).toEqual(trainTestSplit(data, { seed: 5 }));
  });
});
