/**
 * Provided: you do not need to edit this file.
 *
 * The two-moons data set of the notebook, made with scikit-learn's `make_moons` algorithm, and a
 * seeded train/test split. Labels are 0 and 1 like scikit-learn's; `toSigned` maps them to -1 and +1,
 * the targets our tanh-free output layer is trained towards.
 */
import { Random } from "./random";

/** Examples `x` (each a list of features) and their labels `y`, in the same order. */
export interface Dataset {
  x: number[][];
  y: number[];
}

export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to every coordinate (0: points exactly on the arcs). */
  noise?: number;
  seed?: number;
}

/**
 * `n` points on two interleaving half circles: ⌊n/2⌋ on the outer one (cos t, sin t), label 0, the rest on
 * the inner one (1 - cos t, 1 - sin t - 0.5), label 1, with t evenly spaced over [0, π]; then shuffled,
 * then noise is added (the order scikit-learn uses).
 */
export function makeMoons(n: number, { noise = 0, seed = 42 }: MoonsOptions = {}): Dataset {
  if (!Number.isInteger(n) || n < 2)
    throw new RangeError(`makeMoons: n must be a whole number of at least 2, got ${n}.`);
  if (!(noise >= 0)) throw new RangeError(`makeMoons: noise must be 0 or more, got ${noise}.`);
  const rng = new Random(seed);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const points: { x: number[]; y: number }[] = [
    ...linspace(0, Math.PI, nOuter).map((t) => ({ x: [Math.cos(t), Math.sin(t)], y: 0 })),
    ...linspace(0, Math.PI, nInner).map((t) => ({ x: [1 - Math.cos(t), 1 - Math.sin(t) - 0.5], y: 1 })),
  ];
  rng.shuffle(points);
  return {
    x: points.map((p) => p.x.map((coordinate) => coordinate + (noise > 0 ? rng.normal(0, noise) : 0))),
    y: points.map((p) => p.y),
  };
}

/** Labels 0/1 as targets -1/+1. */
export function toSigned(labels: number[]): number[] {
  return labels.map((label) => (label === 1 ? 1 : -1));
}

export interface SplitOptions {
  /** The share of examples held out for testing (scikit-learn's default is 0.25). */
  testFraction?: number;
  seed?: number;
}

/** Shuffles the examples with `seed` and holds out ⌈testFraction · n⌉ of them as the test set. */
export function trainTestSplit(
  data: Dataset,
  { testFraction = 0.25, seed = 42 }: SplitOptions = {},
): { train: Dataset; test: Dataset } {
  if (data.x.length !== data.y.length) {
    throw new RangeError(`trainTestSplit: ${data.x.length} examples but ${data.y.length} labels.`);
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`trainTestSplit: testFraction must lie strictly between 0 and 1, got ${testFraction}.`);
  }
  const order = new Random(seed).shuffle(data.x.map((_, i) => i));
  const nTest = Math.ceil(testFraction * order.length);
  const pick = (indices: number[]): Dataset => ({ x: indices.map((i) => data.x[i]), y: indices.map((i) => data.y[i]) });
  return { test: pick(order.slice(0, nTest)), train: pick(order.slice(nTest)) };
}

/** `count` numbers evenly spaced from `start` to `stop`, both included (numpy's linspace). */
function linspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [start];
  return Array.from({ length: count }, (_, i) => start + ((stop - start) * i) / (count - 1));
}
