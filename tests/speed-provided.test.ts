/**
 * Lesson 18's provided parts, on their own: the WebAssembly kernels assembled from their text, the SIMD wrapper,
 * the arena, the threads' and the fast network's checks. (The lesson's tests check them with the learner's loops.)
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Arena } from "@course/arena";
import { MNIST_RECIPE, recipeModel, trainByRecipe, trainRecipe } from "@course/digits";
import { FastMlp, PackedAdam } from "@course/fast-mlp";
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

  test("kernels.wat assembles, and exports matmul and peak", () => {
    const names = WebAssembly.Module.exports(module).map((e) => `${e.name}: ${e.kind}`);
    expect(names).toEqual(["matmul: function", "peak: function"]);
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
