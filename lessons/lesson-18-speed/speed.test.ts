/**
 * Lesson 18: why frameworks are fast. The same matrix product, faster step by step: the order of the loops and
 * blocks of rows (step 1), float32 (step 2), both cores (step 3) and SIMD (step 4, provided). Make these pass by
 * writing the `lesson-18` regions of src/matmul-loops.ts.
 *
 * These tests check that every path computes the right numbers, never how fast: the speed is measured by
 * `npm run bench` and the lesson's own measurements, where a busy machine cannot fail a test.
 */
import { Arena, type FloatKind } from "@course/arena";
import { FastMlp, PackedAdam, type StepKernels } from "@course/fast-mlp";
import {
  type FloatArray,
  type Matmul,
  matmulBlocked,
  matmulIJK,
  matmulIKJ,
  matmulRows,
  relativeError,
  splitRows,
} from "@course/matmul-loops";
import { MatmulThreads } from "@course/matmul-threads";
import { Adam } from "@course/optim";
import { Random } from "@course/random";
import { SimdMatmul, simdMemory } from "@course/simd-matmul";
import { crossEntropy } from "@course/softmax";
import { Tensor } from "@course/tensor";
import { entries, MLP } from "@course/tensor-nn";
import { afterAll, describe, expect, test } from "vitest";
import { compileKernels } from "../../scripts/lib/wasm-kernels";
import { show } from "../test-helpers";

/** A matrix of `rows` × `cols` numbers drawn from the seed, in [-1, 1), as a packed array of `kind`. */
function randomMatrix(rows: number, cols: number, seed: number, kind: FloatKind = "float64"): FloatArray {
  const rng = new Random(seed);
  const values = Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
  return kind === "float64" ? Float64Array.from(values) : Float32Array.from(values);
}

/** The product written out plainly, in float64: what every kernel is compared with. */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number, cols: number): number[] {
  const c: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += a[i * inner + k] * b[k * cols + j];
      c.push(sum);
    }
  }
  return c;
}

/** Fails with the first entry of `got` (rows × cols) that is not within `tolerance` of `expected`. */
function expectMatrix(what: string, got: ArrayLike<number>, expected: number[], cols: number, tolerance = 1e-12): void {
  const at = expected.findIndex((x, i) => !(Math.abs(got[i] - x) <= tolerance * Math.max(1, Math.abs(x))));
  const where = `C[${Math.floor(at / cols)}][${at % cols}]`;
  expect(at, `${what}: ${where} should be ${show(expected[at])}, got ${show(got[at])}`).toBe(-1);
}

const LOOPS: [string, Matmul][] = [
  ["matmulIJK", matmulIJK],
  ["matmulIKJ", matmulIKJ],
  ["matmulBlocked", matmulBlocked],
];

/** Shapes [rows, inner, cols]: square ones hide a swapped index, so most are not; 5 to 7 rows leave rows over blocks of 4. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 3, 4],
  [3, 4, 2],
  [5, 7, 3],
  [6, 2, 9],
  [7, 5, 5],
  [8, 16, 8],
  [13, 9, 17],
];

/**
 * The worker threads of the tests, started once for the whole file (a worker takes a while to start): two threads on
 * your matmulBlocked over shared memory, and two threads on the SIMD kernel over its WebAssembly memory.
 */
const shared = Arena.shared(1 << 23);
const memory = simdMemory(1 << 22);
const simdArena = Arena.of(memory);
const BLOCKED = { kind: "loops", name: "matmulBlocked" } as const;
/** The tests' products are small: share every one of them, or the workers would never run your code. */
const SHARE_ALL = { shareFrom: 0 };
let loopPool: Promise<MatmulThreads> | undefined;
let simdPool: Promise<MatmulThreads> | undefined;
let kernels: Promise<WebAssembly.Module> | undefined;
const simdKernels = () => {
  kernels ??= compileKernels();
  return kernels;
};
const loopThreads = () => {
  loopPool ??= MatmulThreads.start(shared, BLOCKED, 2, SHARE_ALL);
  return loopPool;
};
const simdThreads = () => {
  simdPool ??= simdKernels().then((module) =>
    MatmulThreads.start(simdArena, { kind: "simd", module, memory }, 2, SHARE_ALL),
  );
  return simdPool;
};
/** A test that starts a pool waits for its worker: some seconds on a busy machine (it loads TypeScript through tsx). */
const STARTS = 30_000;
afterAll(async () => {
  await Promise.all([loopPool, simdPool].map(async (pool) => (await pool)?.close()));
});

describe("Step 1: the loops in three orders", () => {
  test.each(LOOPS)("%s multiplies the README's 2 × 2 example: [[19, 22], [43, 50]]", (_, matmul) => {
    const c = new Float64Array(4);
    matmul(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2, 2, 2);
    expect(Array.from(c), "A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]: C[0][0] = 1·5 + 2·7").toEqual([19, 22, 43, 50]);
  });

  test.each(LOOPS)(
    "%s computes A · B for shapes that are not square, rows left over blocks of four included",
    (name, matmul) => {
      SHAPES.forEach(([rows, inner, cols], n) => {
        const a = randomMatrix(rows, inner, 10 + n);
        const b = randomMatrix(inner, cols, 20 + n);
        const c = new Float64Array(rows * cols);
        matmul(a, b, c, rows, inner, cols);
        expectMatrix(`${name} of ${rows}×${inner} by ${inner}×${cols}`, c, reference(a, b, rows, inner, cols), cols);
      });
    },
  );

  test.each(LOOPS)("%s overwrites C: numbers already in it do not end up in the product", (name, matmul) => {
    const [rows, inner, cols] = [5, 3, 6];
    const a = randomMatrix(rows, inner, 1);
    const b = randomMatrix(inner, cols, 2);
    const c = new Float64Array(rows * cols).fill(1000);
    matmul(a, b, c, rows, inner, cols);
    expectMatrix(
      `${name} into a C that held 1000s (start every sum at 0)`,
      c,
      reference(a, b, rows, inner, cols),
      cols,
    );
  });

  test.each(LOOPS)("%s works on Float32Arrays too (lesson 18's step 2)", (name, matmul) => {
    const [rows, inner, cols] = [6, 10, 7];
    const a = randomMatrix(rows, inner, 3, "float32");
    const b = randomMatrix(inner, cols, 4, "float32");
    const c = new Float32Array(rows * cols);
    matmul(a, b, c, rows, inner, cols);
    expectMatrix(`${name} on Float32Arrays`, c, reference(a, b, rows, inner, cols), cols, 1e-6);
  });

  test("the three orders give the same product on a larger one (34 × 100 by 100 × 40)", () => {
    const [rows, inner, cols] = [34, 100, 40];
    const a = randomMatrix(rows, inner, 5);
    const b = randomMatrix(inner, cols, 6);
    const expected = reference(a, b, rows, inner, cols);
    for (const [name, matmul] of LOOPS) {
      const c = new Float64Array(rows * cols);
      matmul(a, b, c, rows, inner, cols);
      expectMatrix(`${name} of 34×100 by 100×40`, c, expected, cols, 1e-12);
    }
  });
});

describe("Step 2: float32, and the precision it loses", () => {
  test("relativeError is 0 for equal lists, zeros included (not 0 / 0)", () => {
    expect(relativeError([1, -2, 3], [1, -2, 3])).toBe(0);
    expect(relativeError([0, 0], [0, 0]), "no difference at all is 0, even when every entry is 0").toBe(0);
  });

  test("relativeError is the largest difference over the largest entry of exact: [1, 2, 4] against [1, 2.5, 5] is 1 / 5", () => {
    const got = relativeError([1, 2, 4], [1, 2.5, 5]);
    expect(
      got,
      "the largest difference is |4 − 5| = 1 and the largest entry of exact |5| (not of approx, and not a sum)",
    ).toBeCloseTo(0.2, 15);
  });

  test("relativeError counts negative entries by their size", () => {
    expect(relativeError([-1, 0], [-4, 2]), "|-1 − (−4)| = 3 over |−4| = 4: use absolute values").toBeCloseTo(0.75, 15);
  });

  test("relativeError is NaN when a number is NaN, wherever it is: a broken result never looks exact", () => {
    expect(relativeError([Number.NaN, 1, 2], [1, 1, 2])).toBeNaN();
    expect(relativeError([1, 1, 2], [1, Number.NaN, 2])).toBeNaN();
  });

  test("one rounding to float32 loses about 7 digits: relativeError of Float32Array.from(x) against x is between 1e-9 and 6e-8", () => {
    const exact = randomMatrix(1, 1000, 7);
    const rounded = Float32Array.from(exact);
    const error = relativeError(rounded, exact);
    expect(error, "float32 keeps 24 bits: a relative error of at most 2⁻²⁴ ≈ 6e-8").toBeLessThanOrEqual(6e-8);
    expect(error).toBeGreaterThan(1e-9);
  });

  test("a float32 product of 784 terms per entry, as MNIST's first layer, is within 1e-5 of the float64 one, and not exact", () => {
    const [rows, inner, cols] = [8, 784, 16];
    const a = randomMatrix(rows, inner, 8);
    const b = randomMatrix(inner, cols, 9);
    // The float64 product written out here, not by your loop: a mistake in it must not be on both sides of the check.
    const exact = reference(a, b, rows, inner, cols);
    const c32 = new Float32Array(rows * cols);
    matmulBlocked(Float32Array.from(a), Float32Array.from(b), c32, rows, inner, cols);
    const error = relativeError(c32, exact);
    expect(error, "784 float32 additions per entry, each rounded").toBeLessThan(1e-5);
    expect(error).toBeGreaterThan(1e-9);
  });
});

describe("Step 3: sharing the rows between threads", () => {
  test("splitRows(64, 2) gives two halves, 0–32 and 32–64", () => {
    expect(splitRows(64, 2)).toEqual([
      { start: 0, end: 32 },
      { start: 32, end: 64 },
    ]);
  });

  test("splitRows(10, 3) gives ranges in order, covering every row once, sizes 4, 3 and 3", () => {
    expect(splitRows(10, 3)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 7 },
      { start: 7, end: 10 },
    ]);
  });

  test("splitRows(3, 8) gives three ranges of one row: no thread gets an empty range", () => {
    expect(splitRows(3, 8)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 2, end: 3 },
    ]);
  });

  test("splitRows(10, 2, 4) cuts at a multiple of 4 (0–8 and 8–10): no block of four rows is cut in two", () => {
    expect(splitRows(10, 2, 4)).toEqual([
      { start: 0, end: 8 },
      { start: 8, end: 10 },
    ]);
  });

  test("splitRows covers every row once, in order, with at most `parts` ranges whose blocks differ by at most one", () => {
    for (let rows = 1; rows <= 40; rows++) {
      for (let parts = 1; parts <= 5; parts++) {
        for (const align of [1, 4]) {
          const ranges = splitRows(rows, parts, align);
          const call = `splitRows(${rows}, ${parts}, ${align}) = ${JSON.stringify(ranges)}`;
          expect(ranges.length, `${call}: at most ${parts} ranges`).toBeLessThanOrEqual(parts);
          expect(ranges[0]?.start, `${call}: the first starts at 0`).toBe(0);
          expect(ranges.at(-1)?.end, `${call}: the last ends at ${rows}`).toBe(rows);
          ranges.forEach(({ start, end }, i) => {
            expect(end, `${call}: no empty range`).toBeGreaterThan(start);
            if (i > 0) expect(start, `${call}: each starts where the one before ends`).toBe(ranges[i - 1].end);
            if (i < ranges.length - 1) expect(end % align, `${call}: cut at a multiple of ${align}`).toBe(0);
          });
          const blocks = ranges.map(({ start, end }) => Math.ceil((end - start) / align));
          expect(
            Math.max(...blocks) - Math.min(...blocks),
            `${call}: shares as equal as they can be`,
          ).toBeLessThanOrEqual(1);
          const wanted = Math.min(parts, Math.ceil(rows / align));
          expect(ranges.length, `${call}: every part that can get a block gets one`).toBe(wanted);
        }
      }
    }
  });

  test("matmulRows computes its rows of C with the kernel it is given, and leaves the other rows alone", () => {
    const [rows, inner, cols] = [7, 5, 6];
    const a = randomMatrix(rows, inner, 11);
    const b = randomMatrix(inner, cols, 12);
    const c = new Float64Array(rows * cols).fill(-99);
    const calls: number[] = [];
    const counting: Matmul = (...args) => {
      calls.push(args[3]);
      matmulIKJ(...args);
    };
    matmulRows(counting, a, b, c, rows, inner, cols, { start: 2, end: 5 });
    const expected = reference(a, b, rows, inner, cols);
    expect(calls, "one call of the kernel, on the 3 rows of the range").toEqual([3]);
    for (let i = 0; i < rows; i++) {
      const row = Array.from(c.subarray(i * cols, (i + 1) * cols));
      if (i >= 2 && i < 5) expectMatrix(`row ${i} of C`, row, expected.slice(i * cols, (i + 1) * cols), cols);
      else expect(row, `row ${i} is not in the range 2–5: it must keep its -99s`).toEqual(Array(cols).fill(-99));
    }
  });

  describe("MatmulThreads with your loops and your split", () => {
    test.each([1, 2])(
      "%i threads compute A · B for every shape, in float64 and float32",
      { timeout: STARTS },
      async (threads) => {
        const pool = threads === 1 ? await MatmulThreads.start(shared, BLOCKED, 1, SHARE_ALL) : await loopThreads();
        for (const kind of ["float64", "float32"] as const) {
          SHAPES.forEach(([rows, inner, cols], n) => {
            const a = shared.floats(kind, rows * inner);
            const b = shared.floats(kind, inner * cols);
            const c = shared.floats(kind, rows * cols);
            a.set(randomMatrix(rows, inner, 30 + n));
            b.set(randomMatrix(inner, cols, 40 + n));
            c.fill(1000);
            pool.matmul(a, b, c, rows, inner, cols);
            const shape = `${threads} threads, ${kind}, ${rows}×${inner} by ${inner}×${cols}`;
            expectMatrix(shape, c, reference(a, b, rows, inner, cols), cols, kind === "float64" ? 1e-12 : 1e-6);
          });
        }
      },
    );
  });
});

/** The network of the tests: MNIST's shape, smaller (the bench times the real one), and an odd batch. */
const SIZES = [50, 24, 10] as const;
const BATCH = 13;

/** Lesson 14's engine with lesson 16's cross-entropy on the same weights and batch: the loss and its gradients. */
function engineGradients(mlp: MLP, x: number[][], labels: number[]): { loss: number; grads: number[][] } {
  const loss = crossEntropy(mlp.forward(Tensor.from(x)), labels);
  loss.backward();
  return { loss: loss.item(), grads: mlp.parameters().map((p) => Array.from(p.grad)) };
}

/** A seeded MLP like lesson 17's, a batch of pixels in [0, 1] and its labels. */
function problem(seed: number) {
  const mlp = new MLP(SIZES[0], [SIZES[1], SIZES[2]], { rng: new Random(seed) });
  const rng = new Random(seed + 1);
  const x = Array.from({ length: BATCH }, () => Array.from({ length: SIZES[0] }, () => rng.uniform(0, 1)));
  const labels = Array.from({ length: BATCH }, (_, r) => (r * 7) % SIZES[2]);
  return { mlp, x, labels, ...engineGradients(mlp, x, labels) };
}

/** A FastMlp on `matmul` (and `kernels`, if any), with the problem's weights and batch, after one step. */
function fastStep(kind: FloatKind, arena: Arena, matmul: Matmul, seed: number, kernels?: StepKernels) {
  const { mlp, x, labels, loss, grads } = problem(seed);
  const net = new FastMlp({ sizes: SIZES, batch: BATCH + 3, kind, arena, matmul, kernels });
  net.copyWeights(mlp);
  x.forEach((row, r) => {
    net.input(r).set(row);
  });
  const fastLoss = net.step(BATCH, labels);
  return { loss, grads, fastLoss, fastGrads: net.grads() };
}

const NAMES = ["dL/dW1", "dL/db1", "dL/dW2", "dL/db2"];

/** Every gradient of the FastMlp within `tolerance` of lesson 14's engine's, measured with your relativeError. */
function expectEngineGradients(path: string, run: ReturnType<typeof fastStep>, tolerance: number): void {
  expect(Math.abs(run.fastLoss - run.loss), `${path}: the loss, against lesson 14's engine`).toBeLessThan(tolerance);
  run.grads.forEach((exact, n) => {
    const error = relativeError(run.fastGrads[n], exact);
    expect(error, `${path}: ${NAMES[n]} against lesson 14's engine (relativeError)`).toBeLessThan(tolerance);
  });
}

describe("Every path computes lesson 14's gradients", () => {
  test.each(LOOPS)("the MNIST step on %s, in float64: lesson 14's gradients to 1e-12", (name, matmul) => {
    expectEngineGradients(`${name}, float64`, fastStep("float64", Arena.plain(1 << 20), matmul, 1), 1e-12);
  });

  test("the MNIST step on matmulBlocked, in float32: lesson 14's gradients to 1e-5", () => {
    expectEngineGradients("matmulBlocked, float32", fastStep("float32", Arena.plain(1 << 20), matmulBlocked, 2), 1e-5);
  });

  test("float32 loses precision that float64 keeps: its gradients are not exact", () => {
    const run = fastStep("float32", Arena.plain(1 << 20), matmulBlocked, 3);
    expect(relativeError(run.fastGrads[0], run.grads[0])).toBeGreaterThan(1e-12);
  });

  describe("on both cores, and with SIMD", () => {
    test("the MNIST step on two threads running your matmulBlocked, float32: lesson 14's gradients to 1e-5", {
      timeout: STARTS,
    }, async () => {
      const pool = await loopThreads();
      expectEngineGradients("two threads, float32", fastStep("float32", shared, pool.matmul, 4), 1e-5);
    });

    test("the MNIST step on the SIMD kernel (step 4): lesson 14's gradients to 1e-5", { timeout: STARTS }, async () => {
      const simd = new SimdMatmul(await simdKernels(), memory);
      expectEngineGradients("SIMD, one thread", fastStep("float32", simdArena, simd.matmul, 5), 1e-5);
    });

    test("the MNIST step on the SIMD kernel on two threads, the course's fastest path: lesson 14's gradients to 1e-5", {
      timeout: STARTS,
    }, async () => {
      const pool = await simdThreads();
      expectEngineGradients("SIMD, two threads", fastStep("float32", simdArena, pool.matmul, 6), 1e-5);
    });

    test("the MNIST step with the SIMD kernels for the rest of its work too (tanh, Aᵀ · B), as measured: lesson 14's gradients to 1e-5", {
      timeout: STARTS,
    }, async () => {
      const simd = new SimdMatmul(await simdKernels(), memory);
      const run = fastStep("float32", simdArena, simd.matmul, 7, simd.stepKernels());
      expectEngineGradients("SIMD with its step kernels, one thread", run, 1e-5);
    });

    test("the same on two threads, the products with A transposed shared too: lesson 14's gradients to 1e-5", {
      timeout: STARTS,
    }, async () => {
      const pool = await simdThreads();
      const run = fastStep("float32", simdArena, pool.matmul, 8, pool.stepKernels());
      expectEngineGradients("SIMD with its step kernels, two threads", run, 1e-5);
    });

    test("the SIMD kernel on two threads multiplies 784 terms per entry as float64 does, to float32's precision", {
      timeout: STARTS,
    }, async () => {
      const [rows, inner, cols] = [16, 784, 32];
      const a = simdArena.floats("float32", rows * inner);
      const b = simdArena.floats("float32", inner * cols);
      const c = simdArena.floats("float32", rows * cols);
      a.set(randomMatrix(rows, inner, 50));
      b.set(randomMatrix(inner, cols, 51));
      (await simdThreads()).matmul(a, b, c, rows, inner, cols);
      expect(relativeError(c, reference(a, b, rows, inner, cols))).toBeLessThan(1e-5);
    });
  });
});

/** A float64 FastMlp on your matmulBlocked, with `mlp`'s weights. */
function blockedNet(mlp: MLP): FastMlp {
  const net = new FastMlp({
    sizes: SIZES,
    batch: BATCH,
    kind: "float64",
    arena: Arena.plain(1 << 20),
    matmul: matmulBlocked,
  });
  net.copyWeights(mlp);
  return net;
}

describe("Training on the fast path", () => {
  test("as a model of lesson 17, the fast step takes its gradient from lesson 16's crossEntropy: lesson 14's gradients", () => {
    const { mlp, x, labels, loss, grads } = problem(8);
    const net = blockedNet(mlp);
    const fastLoss = crossEntropy(net.asModel().forward(Tensor.from(x)), labels);
    fastLoss.backward();
    expectEngineGradients(
      "asModel() with crossEntropy(...).backward()",
      { loss, grads, fastLoss: fastLoss.item(), fastGrads: net.grads() },
      1e-12,
    );
  });

  test("PackedAdam moves the weights as lesson 13's Adam does, and the fast step on your loops learns a batch", () => {
    const { mlp, x, labels } = problem(7);
    const net = blockedNet(mlp);
    x.forEach((row, r) => {
      net.input(r).set(row);
    });
    const packed = new PackedAdam(net.parameters(), net.grads(), { lr: 0.01 });
    const adam = new Adam(entries(mlp.parameters()), { lr: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      losses.push(net.step(BATCH, labels));
      packed.step();
      adam.zeroGrad();
      engineGradients(mlp, x, labels);
      adam.step();
    }
    mlp.parameters().forEach((p, n) => {
      expect(relativeError(net.parameters()[n], p.data), `${NAMES[n].slice(3)} after 5 Adam steps`).toBeLessThan(1e-10);
    });
    expect(losses[4], `the loss went down over 5 steps: ${losses.map((l) => l.toFixed(4)).join(", ")}`).toBeLessThan(
      losses[0],
    );
  });
});
