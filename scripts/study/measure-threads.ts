/**
 * Why two threads do or do not pay on the MNIST step, for lesson 18's measured section: figures taken apart from the
 * step's rows (measure-speed.ts), each the median of 15 batches after 2 untimed ones.
 *   - the round trip: a tiny product (8 × 8 by 8 × 8) shared with a worker, which is nearly all handing the job over
 *     and waiting for DONE, with threads that sleep at once, that spin for 20 µs first (about what a wake-up costs),
 *     and that spin for 1 ms (long enough to bridge the step's gap between its two large products);
 *   - the step's first product (64 × 784 by 784 × 128) by the SIMD kernel on one thread and on two, batch after batch
 *     in turn: what sharing gains on the largest product of the step;
 *   - the share of the SIMD step (one thread) spent in its matrix products, the only part the threads share: by
 *     Amdahl's law, two threads can make the step at most 1 / (1 − share / 2) times faster; and the same share with
 *     the rest of the step in FastMlp's JavaScript (the path "SIMD f32x4, products only"), which bounds what fast
 *     products alone can do;
 *   - the time of the SIMD step's products inside the step, on one thread and on two: where the worker sleeps between
 *     the two large products while this thread does the rest, rather than taking one product after another.
 */
import type { Batch, CourseCopy, FastPath } from "../lib/mnist-step";
import { EPOCH_EXAMPLES, fastRow, median } from "../lib/mnist-step";
import { round } from "./plots";

export interface ThreadFigures {
  /** Microseconds per tiny product shared with a worker, for each time the threads spin before they sleep. */
  roundTrip: { spinMs: number; micros: number }[];
  /** How long MatmulThreads spins by default, in milliseconds. */
  defaultSpinMs: number;
  /** Microseconds of the step's first product by the SIMD kernel on one thread, and on two. */
  firstProduct: { oneThread: number; twoThreads: number };
  /** The share of the SIMD step on one thread spent in its matrix products. */
  productShare: number;
  /** The same, with the rest of the step in JavaScript (SIMD f32x4, products only). */
  productShareProductsOnly: number;
  /** Microseconds per example of the SIMD step's products, inside the step, on one thread and on two. */
  stepProducts: { oneThread: number; twoThreads: number };
}

const BATCHES = 15;
const WARMUP = 2;

/** The median over BATCHES batches (after WARMUP untimed ones) of what each of `runs` gives, run in turn each batch. */
function medians(runs: (() => number)[]): number[] {
  const measured: number[][] = runs.map(() => []);
  for (let batch = 0; batch < WARMUP + BATCHES; batch++) {
    runs.forEach((run, i) => {
      const x = run();
      if (batch >= WARMUP) measured[i].push(x);
    });
  }
  return measured.map((xs) => round(median(xs)));
}

/** Microseconds per call of `body`, over `times` calls. */
function microsPer(times: number, body: () => void): number {
  const started = performance.now();
  for (let n = 0; n < times; n++) body();
  return ((performance.now() - started) * 1000) / times;
}

async function roundTrips(copy: CourseCopy): Promise<Pick<ThreadFigures, "roundTrip" | "defaultSpinMs">> {
  const arena = copy.arena.Arena.shared(1 << 12);
  const [a, b, c] = [arena.floats("float64", 64), arena.floats("float64", 64), arena.floats("float64", 64)];
  const start = (spinMs: number) =>
    copy.threads.MatmulThreads.start(arena, { kind: "loops", name: "matmulBlocked" }, 2, { shareFrom: 0, spinMs });
  const defaultSpinMs = copy.threads.THREAD_DEFAULTS.spinMs;
  const spins = [0, 0.02, 1];
  const pools = await Promise.all(spins.map(start));
  try {
    const micros = medians(pools.map((pool) => () => microsPer(50, () => pool.matmul(a, b, c, 8, 8, 8))));
    return { roundTrip: spins.map((spinMs, i) => ({ spinMs, micros: micros[i] })), defaultSpinMs };
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

async function firstProduct(copy: CourseCopy, kernels: WebAssembly.Module): Promise<ThreadFigures["firstProduct"]> {
  const [rows, inner, cols] = [64, 784, 128];
  const memory = copy.simd.simdMemory(2 << 20);
  const arena = copy.arena.Arena.of(memory);
  const a = arena.floats("float32", rows * inner);
  const b = arena.floats("float32", inner * cols);
  const c = arena.floats("float32", rows * cols);
  a.fill(0.5);
  b.fill(0.25);
  const one = new copy.simd.SimdMatmul(kernels, memory).matmul;
  const pool = await copy.threads.MatmulThreads.start(arena, { kind: "simd", module: kernels, memory }, 2);
  try {
    const [oneThread, twoThreads] = medians(
      [one, pool.matmul].map((matmul) => () => microsPer(20, () => matmul(a, b, c, rows, inner, cols))),
    );
    return { oneThread, twoThreads };
  } finally {
    await pool.close();
  }
}

/**
 * The SIMD step on `path`, its matrix products timed: their share of the step's time, and their microseconds per
 * example, the medians of BATCHES epochs after WARMUP.
 */
async function productTimes(
  copy: CourseCopy,
  path: FastPath,
  kernels: WebAssembly.Module,
  batches: Batch[],
  start: number[][],
): Promise<{ share: number; micros: number }> {
  let inProducts = 0;
  const row = await fastRow(copy, path, kernels, batches, start, (matmul) => (...args) => {
    const started = performance.now();
    matmul(...args);
    inProducts += performance.now() - started;
  });
  const [shares, micros]: number[][] = [[], []];
  try {
    for (let batch = 0; batch < WARMUP + BATCHES; batch++) {
      inProducts = 0;
      const started = performance.now();
      row.epoch();
      if (batch < WARMUP) continue;
      shares.push(inProducts / (performance.now() - started));
      micros.push((inProducts * 1000) / EPOCH_EXAMPLES);
    }
  } finally {
    await row.close?.();
  }
  return { share: round(median(shares)), micros: round(median(micros)) };
}

/** The figures, each on a compiled copy of the target that `copy(name)` makes. */
export async function measureThreads(
  copy: (name: string) => Promise<CourseCopy>,
  kernels: WebAssembly.Module,
  batches: Batch[],
  start: number[][],
): Promise<ThreadFigures> {
  const times = async (name: string, path: FastPath) => productTimes(await copy(name), path, kernels, batches, start);
  const one = await times("product-share", { kind: "simd", threads: 1 });
  const two = await times("product-share-2", { kind: "simd", threads: 2 });
  const productsOnly = await times("product-share-js", { kind: "simd", threads: 1, productsOnly: true });
  return {
    ...(await roundTrips(await copy("round-trip"))),
    firstProduct: await firstProduct(await copy("first-product"), kernels),
    productShare: one.share,
    productShareProductsOnly: productsOnly.share,
    stepProducts: { oneThread: one.micros, twoThreads: two.micros },
  };
}

/** The paragraph of lesson 18's section on two threads, from the figures and the SIMD rows' medians. */
export function threadsMarkdown(t: ThreadFigures, simd: { one: number; two: number }): string {
  const { roundTrip, defaultSpinMs: defaultSpin, firstProduct, productShare } = t;
  const trip = (spinMs: number) =>
    `${(roundTrip.find((t) => t.spinMs === spinMs)?.micros ?? Number.NaN).toFixed(1)} µs`;
  const byDefault = (spinMs: number) => (spinMs === defaultSpin ? " (as `MatmulThreads` does by default)" : "");
  const times = (slow: number, fast: number) => `${(slow / fast).toFixed(2)} times`;
  return (
    "**Two threads** share the matrix products and nothing else. Sharing costs a round trip: a tiny product handed " +
    `to a worker takes ${trip(0)} when the threads sleep as soon as they wait${byDefault(0)}, ${trip(0.02)} when ` +
    `they first spin for 20 µs, checking again and again${byDefault(0.02)}, and ${trip(1)} when they spin for ` +
    `1 ms${byDefault(1)}: a spinning thread holds a core, ` +
    "and when more threads want to run than there are cores, the one it waits for may be the one it keeps off. " +
    `On the step's first product alone (64 × 784 by 784 × 128, the SIMD kernel) two threads take ` +
    `${firstProduct.twoThreads.toFixed(0)} µs where one takes ${firstProduct.oneThread.toFixed(0)}: ` +
    `${times(firstProduct.oneThread, firstProduct.twoThreads)} the speed, product after product. Inside the step, where ` +
    "the worker sleeps between the two large products while this thread does the rest, and the matrices that this " +
    "thread changed in between (W1 by the update, dz1) must reach the other core's cache, the products take " +
    `${t.stepProducts.twoThreads.toFixed(1)} µs per example on two threads against ` +
    `${t.stepProducts.oneThread.toFixed(1)} on one: ${times(t.stepProducts.oneThread, t.stepProducts.twoThreads)} ` +
    "the speed. And the SIMD step spends " +
    `${(100 * productShare).toFixed(0)} % of its time in its products; the rest (tanh and the update by their ` +
    "kernels, the softmax, tanh's gradient, the bias gradients and the copy of the batch in JavaScript) runs on one " +
    "thread, so even products shared perfectly could make the step at most " +
    `${times(1, 1 - productShare / 2)} faster (Amdahl's law). Measured, the step on two threads runs at ` +
    `${times(simd.one, simd.two)} the speed of one (${simd.two.toFixed(1)} µs per example against ${simd.one.toFixed(1)}).` +
    (simd.one / simd.two > 1 / (1 - productShare / 2)
      ? " That is more than the bound: on a machine shared with other programs, the system shares the cores between " +
        "threads, not programs, so a program with two threads also gets more of the machine, taken from the others."
      : "")
  );
}

/**
 * The paragraph of lesson 18's section on the rest of the step, from the two product shares and the medians of the
 * SIMD step with the rest in JavaScript and with the kernels.
 */
export function restMarkdown(t: ThreadFigures, simd: { productsOnly: number; kernels: number }): string {
  const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
  return (
    "**The rest of the step.** With the rest of its work in FastMlp's JavaScript (SIMD f32x4, products only: tanh by " +
    "`Math.tanh`, the transposes of x and h written out, the update), the SIMD step spends " +
    `${percent(t.productShareProductsOnly)} of its time in its products, so even products that took no time at all ` +
    `could make it at most ${(1 / (1 - t.productShareProductsOnly)).toFixed(2)} times faster (Amdahl's law). With ` +
    "kernels.wat's kernels for that work too (SIMD f32x4: the bias and tanh, Aᵀ · B, the update), the products are " +
    `${percent(t.productShare)} of the step, which runs ${(simd.productsOnly / simd.kernels).toFixed(2)} times ` +
    `faster: ${simd.kernels.toFixed(1)} µs per example against ${simd.productsOnly.toFixed(1)}.`
  );
}
