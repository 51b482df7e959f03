/**
 * Lesson 18's provided parts, on their own: the WebAssembly kernels assembled from their text, the SIMD wrapper,
 * the arena, the threads' and the fast network's checks. (The lesson's tests check them with the learner's loops.)
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Arena } from "@course/arena";
import { MNIST_RECIPE, recipeModel, trainByRecipe, trainRecipe } from "@course/digits";
import { FastMlp, PackedAdam, transpose } from "@course/fast-mlp";
import { matmulBlocked, matmulIKJ, matmulRows, relativeError, splitRows } from "@course/matmul-loops";
import { MatmulThreads } from "@course/matmul-threads";
import { loopKernel } from "@course/matmul-worker";
import { CLASSES, type Digits, PIXELS } from "@course/mnist";
import { Random } from "@course/random";
import { SimdMatmul, simdMemory } from "@course/simd-matmul";
import { Tensor } from "@course/tensor";
import { MLP } from "@course/tensor-nn";
import { beforeAll, describe, expect, test } from "vitest";
import { assembleWat, compileKernels, KERNELS_WAT } from "../scripts/lib/wasm-kernels";

describe("the kernels, from their text", () => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels();
  });

  test("kernels.wat assembles, and exports its kernels and peak", () => {
    const names = WebAssembly.Module.exports(module).map((e) => `${e.name}: ${e.kind}`);
    expect(names).toEqual([
      "matmul: function",
      "matmulTransposedA: function",
      "addRowAndTanh: function",
      "sgd: function",
      "peak: function",
    ]);
  });

  test("the inner loop the README shows is kernels.wat's own, line for line", () => {
    const readme = readFileSync(path.join(path.dirname(KERNELS_WAT), "README.md"), "utf8");
    const shown = /```wat\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(shown.length).toBeGreaterThan(0);
    expect(readFileSync(KERNELS_WAT, "utf8")).toContain(shown);
  });

  test("a mistake in the text fails with its line and column", async () => {
    const broken = path.join(os.tmpdir(), `broken-${process.pid}.wat`);
    writeFileSync(broken, '(module\n  (func (export "f") (result i32)\n    (i32.bogus)))\n');
    await expect(assembleWat(broken)).rejects.toThrow(/broken-\d+\.wat:3:\d+/);
  });

  test("the SIMD kernel computes every shape, the edges of its 4 × 8 blocks included", () => {
    const memory = simdMemory(1 << 20);
    const arena = Arena.of(memory);
    const simd = new SimdMatmul(module, memory);
    for (const [rows, inner, cols] of [
      [1, 1, 1],
      [4, 3, 8],
      [5, 7, 9],
      [7, 2, 17],
      [12, 33, 24],
    ]) {
      const a = arena.floats("float32", rows * inner);
      const b = arena.floats("float32", inner * cols);
      const c = arena.floats("float32", rows * cols);
      a.forEach((_, i) => {
        a[i] = ((i * 7) % 11) - 5;
      });
      b.forEach((_, i) => {
        b[i] = ((i * 5) % 13) - 6;
      });
      c.fill(1000);
      simd.matmul(a, b, c, rows, inner, cols);
      const exact = new Float64Array(rows * cols);
      matmulIKJ(Float64Array.from(a), Float64Array.from(b), exact, rows, inner, cols);
      // Small whole numbers: float32 computes them exactly.
      expect(Array.from(c), `${rows}×${inner} by ${inner}×${cols}`).toEqual(Array.from(exact));
    }
  });

  test("the SIMD kernel refuses arrays it cannot see: a Float64Array, or one outside its memory", () => {
    const memory = simdMemory(1 << 16);
    const simd = new SimdMatmul(module, memory);
    const inside = Arena.of(memory).floats("float32", 4);
    expect(() => simd.matmul(new Float32Array(4), inside, inside, 2, 2, 2)).toThrow(/Arena.of\(memory\)/);
    expect(() => simd.matmul(new Float64Array(4), inside, inside, 2, 2, 2)).toThrow(/Float32Arrays/);
    expect(() => simd.matmul(inside, inside, inside, 2, 3, 2)).toThrow(/should be 2×3/);
  });
});

/** Shapes [rows, inner, cols] around the kernels' blocks of 4 rows × 8 columns: whole blocks, and every kind of edge. */
const EDGES: [number, number, number][] = [
  [1, 1, 1],
  [4, 3, 8],
  [5, 7, 9],
  [7, 2, 17],
  [12, 33, 24],
  [50, 13, 10],
];

/** `count` small whole numbers from -5 to 5 (float32 multiplies and adds them exactly), in the order `seed` gives. */
function smallWholeNumbers(count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i * 7 + seed * 5) % 11) - 5);
}

/** The float32 nearest to `x`, in units of the gap between float32 numbers there: how errors of float32 are counted. */
function ulp(x: number): number {
  const magnitude = Math.abs(Math.fround(x));
  return magnitude < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(magnitude)) - 23);
}

describe("the rest of the step's work, by the kernels (what the SIMD paths hand to FastMlp)", () => {
  let module: WebAssembly.Module;
  let memory: WebAssembly.Memory;
  let arena: Arena;
  let simd: SimdMatmul;
  beforeAll(async () => {
    module = await compileKernels();
    memory = simdMemory(16 << 20);
    arena = Arena.of(memory);
    simd = new SimdMatmul(module, memory);
  });

  /** A float32 matrix of the kernels' memory holding `values`. */
  const matrix = (values: number[]) => {
    const array = arena.floats("float32", values.length);
    array.set(values);
    return array;
  };

  test("matmulTransposedA computes Aᵀ · B for A stored inner × rows, exactly, for every shape and edge", () => {
    for (const [rows, inner, cols] of EDGES) {
      const a = matrix(smallWholeNumbers(inner * rows, 1));
      const b = matrix(smallWholeNumbers(inner * cols, 2));
      const c = matrix(Array(rows * cols).fill(1000));
      simd.matmulTransposedA(a, b, c, rows, inner, cols);
      const aT = new Float64Array(rows * inner);
      transpose(Float64Array.from(a), aT, inner, rows);
      const exact = new Float64Array(rows * cols);
      matmulIKJ(aT, Float64Array.from(b), exact, rows, inner, cols);
      expect(Array.from(c), `(${inner}×${rows})ᵀ by ${inner}×${cols}`).toEqual(Array.from(exact));
    }
  });

  test("a thread's share of Aᵀ · B is its rows of C, and no other", () => {
    const [rows, inner, cols] = [13, 6, 11];
    const [a, b] = [matrix(smallWholeNumbers(inner * rows, 3)), matrix(smallWholeNumbers(inner * cols, 4))];
    const whole = matrix(Array(rows * cols).fill(0));
    simd.matmulTransposedA(a, b, whole, rows, inner, cols);
    const c = matrix(Array(rows * cols).fill(-99));
    simd.transposedARows(a, b, c, rows, inner, cols, { start: 5, end: 11 });
    for (let i = 0; i < rows; i++) {
      const row = Array.from(c.subarray(i * cols, (i + 1) * cols));
      const expected = i >= 5 && i < 11 ? Array.from(whole.subarray(i * cols, (i + 1) * cols)) : Array(cols).fill(-99);
      expect(row, `row ${i} of C, for the rows 5 to 11`).toEqual(expected);
    }
    expect(() => simd.transposedARows(a, b, c, rows, inner, cols, { start: 5, end: 14 })).toThrow(
      "SimdMatmul: the rows 5 to 14 are not a range of rows of a matrix of 13 rows",
    );
  });

  test("addRowAndTanh adds b to every row, then takes tanh, within 7 ulps, for every width (4 columns at a time and the rest)", () => {
    for (const cols of [1, 3, 4, 5, 8, 11]) {
      const rows = 3;
      const values = Array.from({ length: rows * cols }, (_, i) => (i % 2 ? -1 : 1) * 0.37 * i);
      const x = matrix(values);
      const b = matrix(Array.from({ length: cols }, (_, j) => 0.25 * j - 1));
      simd.addRowAndTanh(x, b, cols);
      values.forEach((value, i) => {
        // The sum is rounded to float32 first, as the kernel rounds it.
        const exact = Math.tanh(Math.fround(value + b[i % cols]));
        const error = Math.abs(x[i] - exact) / ulp(exact);
        expect(error, `${cols} columns: tanh(${value} + ${b[i % cols]}) = ${exact}, got ${x[i]}`).toBeLessThanOrEqual(
          7,
        );
      });
    }
  });

  // About 10 million numbers: a second or two, more on a busy machine.
  test("its tanh is within 7 ulps of Math.tanh: every float32 from 4 to 8, and a dense grid of others", {
    timeout: 30_000,
  }, () => {
    const chunk = 1 << 20;
    const [x, zero] = [arena.floats("float32", chunk), arena.floats("float32", chunk)];
    let worst = { ulps: 0, at: 0, got: 0 };
    /** tanh of `inputs` (at most `chunk` of them) by the kernel, checked against Math.tanh. */
    const check = (inputs: Float32Array) => {
      const out = x.subarray(0, inputs.length);
      out.set(inputs);
      simd.addRowAndTanh(out, zero.subarray(0, inputs.length), inputs.length);
      inputs.forEach((input, i) => {
        const exact = Math.tanh(input);
        const ulps = Math.abs(out[i] - exact) / ulp(exact);
        if (!(ulps <= worst.ulps)) worst = { ulps, at: input, got: out[i] };
      });
    };
    // Every float32 from 4 to 8: their bit patterns are consecutive whole numbers.
    const [from, to] = new Uint32Array(Float32Array.of(4, 8).buffer);
    for (let start = from; start < to; start += chunk) {
      const bits = Uint32Array.from({ length: Math.min(chunk, to - start) }, (_, i) => start + i);
      check(new Float32Array(bits.buffer));
    }
    // 2^20 numbers evenly over [-10, 10], then tiny and small ones of both signs, 2^-149 to 4 (subnormals included).
    check(Float32Array.from({ length: chunk }, (_, i) => -10 + (20 * i) / (chunk - 1)));
    check(
      Float32Array.from({ length: chunk }, (_, i) => (i % 2 ? -1 : 1) * 2 ** (-149 + (151 * (i >> 1)) / (chunk / 2))),
    );
    expect(
      worst.ulps,
      `the largest error: ${worst.ulps.toFixed(2)} ulps at x = ${worst.at} (got ${worst.got}, Math.tanh ${Math.tanh(worst.at)})`,
    ).toBeLessThanOrEqual(7);
    expect(worst.ulps, "lesson 18's README quotes 6.9 ulps: update it when the approximation changes").toBeGreaterThan(
      6.8,
    );
  });

  test("its tanh saturates at ±1 for large inputs, keeps a tiny x as it is, and gives no NaN but for a NaN", () => {
    const inputs = [1000, -1000, 1e30, -1e30, Infinity, -Infinity, 9, -9, 1e-30, -1e-30, 0, Number.NaN];
    const x = matrix(inputs);
    simd.addRowAndTanh(x, matrix([0]), 1);
    const tiny = Math.fround(1e-30);
    expect(Array.from(x)).toEqual([1, -1, 1, -1, 1, -1, 1, -1, tiny, -tiny, 0, Number.NaN]);
  });

  test("sgd moves every number by −lr times its gradient, in float32, for every length (4 at a time and the rest)", () => {
    for (const count of [1, 3, 4, 5, 8, 9]) {
      const p = matrix(Array.from({ length: count }, (_, i) => 1 + i / 3));
      const g = matrix(Array.from({ length: count }, (_, i) => (i % 3) - 0.7));
      const before = Array.from(p);
      simd.sgd(p, g, 0.1);
      const f = Math.fround;
      const expected = before.map((value, i) => f(value - f(f(0.1) * g[i])));
      expect(Array.from(p), `${count} numbers`).toEqual(expected);
    }
  });

  test("the kernels refuse rows and gradients that do not fit", () => {
    const [x, b] = [matrix([1, 2, 3, 4, 5, 6]), matrix([1, 2])];
    expect(() => simd.addRowAndTanh(x, b, 4)).toThrow("rows of 4 numbers and a row b of 4, got 6 and 2");
    expect(() => simd.sgd(x, b, 0.1)).toThrow("a parameter of 6 numbers and a gradient of 2");
    expect(() => simd.matmulTransposedA(x, b, x, 3, 2, 2)).toThrow("B should be 2×2");
  });

  test("MatmulThreads shares Aᵀ · B with the SIMD kernels, and says the loops cannot do it", {
    timeout: 30_000,
  }, async () => {
    const threads = await MatmulThreads.start(arena, { kind: "simd", module, memory }, 2, { shareFrom: 0 });
    try {
      const kernels = threads.stepKernels();
      for (const [rows, inner, cols] of EDGES) {
        const a = matrix(smallWholeNumbers(inner * rows, 5));
        const b = matrix(smallWholeNumbers(inner * cols, 6));
        const [shared, alone] = [matrix(Array(rows * cols).fill(1000)), matrix(Array(rows * cols).fill(0))];
        kernels?.matmulTransposedA(a, b, shared, rows, inner, cols);
        simd.matmulTransposedA(a, b, alone, rows, inner, cols);
        expect(Array.from(shared), `(${inner}×${rows})ᵀ by ${inner}×${cols} on two threads`).toEqual(Array.from(alone));
      }
      const blocks = EDGES.filter(([rows]) => rows > 4).length;
      expect(threads.products.shared, "every product of more than one block of 4 rows was shared").toBe(blocks);
    } finally {
      await threads.close();
    }
    const plain = Arena.shared(1 << 12);
    const loops = await MatmulThreads.start(plain, { kind: "loops", name: "matmulIKJ" }, 2, { shareFrom: 0 });
    try {
      expect(loops.stepKernels(), "the loops hand no kernels: FastMlp does that work in JavaScript").toBeUndefined();
      const [a, c] = [plain.floats("float32", 16), plain.floats("float32", 16)];
      expect(() => loops.matmulTransposedA(a, a, c, 4, 4, 4)).toThrow(
        "only the SIMD kernel multiplies with A transposed",
      );
    } finally {
      await loops.close();
    }
  });
});

describe("the arena", () => {
  test("hands out zeroed arrays of either kind, each starting at a multiple of 16 bytes", () => {
    const arena = Arena.plain(256);
    const a = arena.floats("float32", 3);
    const b = arena.floats("float64", 2);
    expect([a.byteOffset, b.byteOffset]).toEqual([0, 16]);
    expect([a instanceof Float32Array, b instanceof Float64Array]).toEqual([true, true]);
    expect(arena.holds(a) && arena.holds(b)).toBe(true);
    expect(arena.holds(new Float32Array(3))).toBe(false);
  });

  test("says how much is left when it is full", () => {
    const arena = Arena.shared(64);
    arena.floats("float64", 4);
    expect(() => arena.floats("float64", 5)).toThrow(
      "no room for 5 numbers of float64 (40 bytes): 32 of 64 bytes are left",
    );
  });

  test("zeroes memory that a WebAssembly memory or an earlier user left numbers in", () => {
    const memory = simdMemory(1 << 16);
    new Float32Array(memory.buffer).fill(7);
    expect(Array.from(Arena.of(memory).floats("float32", 3))).toEqual([0, 0, 0]);
  });
});

describe("the threads' and the fast network's checks", () => {
  test("MatmulThreads wants at least one thread and shared memory", async () => {
    await expect(MatmulThreads.start(Arena.shared(64), { kind: "loops", name: "matmulIKJ" }, 0)).rejects.toThrow(
      "at least 1",
    );
    await expect(MatmulThreads.start(Arena.plain(64), { kind: "loops", name: "matmulIKJ" }, 2)).rejects.toThrow(
      "Arena.shared",
    );
  });

  test("MatmulThreads refuses a matrix outside its arena", async () => {
    const arena = Arena.shared(1024);
    const threads = await MatmulThreads.start(arena, { kind: "loops", name: "matmulIKJ" }, 1);
    const inside = arena.floats("float64", 4);
    expect(() => threads.matmul(inside, new Float64Array(4), inside, 2, 2, 2)).toThrow("arena.floats");
    await threads.close();
  });

  test("a product whose shapes do not fit fails on every thread, and the caller gets the message", async () => {
    const arena = Arena.shared(4096);
    const threads = await MatmulThreads.start(arena, { kind: "loops", name: "matmulIKJ" }, 2, { shareFrom: 0 });
    const [a, b, c] = [arena.floats("float64", 8), arena.floats("float64", 8), arena.floats("float64", 16)];
    expect(() => threads.matmul(a, b, c, 4, 3, 4)).toThrow("A should be 4×3");
    await threads.close();
  });

  test.each([
    ["asleep between jobs (the default)", undefined],
    ["spinning 20 µs before they sleep", 0.02],
    ["spinning 1 ms before they sleep", 1],
  ])(
    "workers %s share the products from shareFrom multiply-adds up, and leave the smaller ones to the caller",
    async (_, spinMs) => {
      const arena = Arena.shared(1 << 16);
      const threads = await MatmulThreads.start(arena, { kind: "loops", name: "matmulBlocked" }, 2, {
        shareFrom: 8 * 8 * 8,
        spinMs,
      });
      for (const rows of [7, 8, 16]) {
        const [a, b, c] = [
          arena.floats("float64", rows * 8),
          arena.floats("float64", 64),
          arena.floats("float64", rows * 8),
        ];
        a.forEach((_, i) => {
          a[i] = (i % 7) - 3;
        });
        b.forEach((_, i) => {
          b[i] = (i % 5) - 2;
        });
        threads.matmul(a, b, c, rows, 8, 8);
        const exact = new Float64Array(rows * 8);
        matmulIKJ(a, b, exact, rows, 8, 8);
        expect(Array.from(c), `${rows}×8 by 8×8`).toEqual(Array.from(exact));
      }
      expect(threads.products, "7 × 8 × 8 is below shareFrom; 8 × 8 × 8 and 16 × 8 × 8 are not").toEqual({
        shared: 2,
        alone: 1,
      });
      await threads.close();
    },
  );

  test("the loops' argument checks name what is wrong", () => {
    expect(() => relativeError([1, 2], [1])).toThrow("the same length (at least 1), got 2 and 1");
    expect(() => splitRows(10, 0)).toThrow("parts must be a whole number of at least 1, got 0");
    expect(() =>
      matmulRows(matmulIKJ, new Float64Array(4), new Float64Array(4), new Float64Array(4), 2, 2, 2, {
        start: 1,
        end: 3,
      }),
    ).toThrow("the rows 1 to 3 are not a range of rows of a matrix of 2 rows");
  });

  test("a loop is found by name, and an unknown name is refused", () => {
    expect(loopKernel("matmulIKJ")).toBe(matmulIKJ);
    expect(() => loopKernel("matmulKJI" as "matmulIKJ")).toThrow("the loops are matmulIJK, matmulIKJ, matmulBlocked");
  });

  test("FastMlp.update moves every parameter by −lr times its gradient: in JavaScript, or by the kernels it is given", async () => {
    const memory = simdMemory(1 << 20);
    const simd = new SimdMatmul(await compileKernels(), memory);
    const nets = [
      new FastMlp({ sizes: [5, 3, 2], batch: 2, kind: "float64", arena: Arena.plain(1 << 12), matmul: matmulIKJ }),
      new FastMlp({
        sizes: [5, 3, 2],
        batch: 2,
        kind: "float32",
        arena: Arena.of(memory),
        matmul: simd.matmul,
        kernels: simd.stepKernels(),
      }),
    ];
    for (const net of nets) {
      net.copyWeights(new MLP(5, [3, 2], { rng: new Random(4) }));
      net.inputs(2).set(Array.from({ length: 10 }, (_, i) => i / 10));
      net.step(2, [0, 1]);
      const before = net.parameters().map((p) => Array.from(p));
      net.update(0.5);
      net.parameters().forEach((p, n) => {
        const expected = before[n].map((w, i) => w - 0.5 * net.grads()[n][i]);
        expect(relativeError(p, expected), `parameter ${n}, ${p.constructor.name}`).toBeLessThan(1e-7);
      });
    }
  });

  test("FastMlp refuses sizes, batches and labels that do not fit", () => {
    const make = (batch: number) =>
      new FastMlp({ sizes: [4, 3, 2], batch, kind: "float64", arena: Arena.plain(1 << 12), matmul: matmulIKJ });
    expect(() => make(0)).toThrow("at least 1");
    const net = make(2);
    expect(() => net.forward(3)).toThrow("a batch of 1 to 2 examples, got 3");
    expect(() => net.step(2, [0])).toThrow("2 examples but 1 labels");
    expect(() => net.step(2, [0, 2])).toThrow("label 2 of example 1 is not a class from 0 to 1");
    expect(() => net.copyWeights(new MLP(4, [5, 2]))).toThrow("expected an MLP(4, [3, 2])");
    expect(() => net.asModel().forward(new Tensor([2, 5]))).toThrow("expected a batch of 4 columns, got 5");
  });
});

/** `count` images of random pixels with random labels: the arithmetic of MNIST's, without reading MNIST (seconds). */
function randomDigits(count: number, seed: number): Digits {
  const rng = new Random(seed);
  const pixels = Uint8Array.from({ length: count * PIXELS }, () => Math.floor(rng.uniform(0, 256)));
  return { count, pixels, labels: Array.from({ length: count }, () => Math.floor(rng.uniform(0, CLASSES))) };
}

describe("lesson 17's recipe on the fast network (what npm run measure -- --lesson 18 --training trains)", () => {
  test("trainByRecipe trains a float64 FastMlp with PackedAdam as trainRecipe trains lesson 14's engine with Adam", () => {
    const data = { train: randomDigits(8, 1), test: randomDigits(2, 2) };
    const engine = trainRecipe(3, data, { epochs: 2 });
    // A batch of 8 holds every batch of these 8 training digits, and the 2 test digits.
    const net = new FastMlp({
      sizes: [PIXELS, MNIST_RECIPE.hidden, CLASSES],
      batch: 8,
      kind: "float64",
      arena: Arena.plain(4 << 20),
      matmul: matmulBlocked,
    });
    net.copyWeights(recipeModel(3));
    const adam = new PackedAdam(net.parameters(), net.grads(), { lr: MNIST_RECIPE.lr });
    const epochs: number[] = [];
    const history = trainByRecipe(net.asModel(), adam, 3, data, {
      epochs: 2,
      onEpoch: (row) => epochs.push(row.epoch),
    });
    expect(epochs).toEqual([1, 2]);
    history.forEach((row, i) => {
      for (const key of ["trainLoss", "trainAccuracy", "testLoss", "testAccuracy"] as const) {
        expect(row[key], `epoch ${row.epoch}'s ${key}`).toBeCloseTo(engine.history[i][key], 10);
      }
    });
    engine.model.parameters().forEach((p, n) => {
      expect(relativeError(net.parameters()[n], p.data), `parameter ${n} after two epochs`).toBeLessThan(1e-10);
    });
    expect(adam.lr, "the cosine's end: the learning rate is 0 after the last epoch").toBeCloseTo(0, 12);
  });
});
