/**
 * The handwriting page's parts that need no browser: a drawing made into an MNIST digit (preprocess.ts), and the
 * network's file (model-file.ts). The page itself is tested in Chromium (tests/browser/handwriting.browser.ts).
 */
import { describe, expect, test } from "vitest";
import { loadMnist } from "../scripts/lib/mnist";
import { layerFile, modelWeights } from "../scripts/site/handwriting/model-file";
import { centreOfMass, inkBox, toMnistDigit } from "../scripts/site/handwriting/preprocess";

/** A `side` × `side` page with ink where `inked(x, y)`. */
const page = (side: number, inked: (x: number, y: number) => boolean) =>
  Float64Array.from({ length: side * side }, (_, i) => (inked(i % side, Math.floor(i / side)) ? 1 : 0));

describe("toMnistDigit", () => {
  test("gives 784 zeros for an empty page", () => {
    const digit = toMnistDigit(new Float64Array(280 * 280), 280, 280);
    expect(digit.length).toBe(784);
    expect(digit.every((v) => v === 0)).toBe(true);
  });

  test("scales the ink's longer side to 20 pixels, keeping its proportions, wherever it was drawn", () => {
    // A bar 200 pixels tall and 50 wide, in the top left corner of a 280 × 280 page.
    const digit = toMnistDigit(
      page(280, (x, y) => x >= 10 && x < 60 && y >= 5 && y < 205),
      280,
      280,
    );
    const box = inkBox(digit, 28, 28);
    expect(box && [box.width, box.height]).toEqual([5, 20]);
    expect(Math.max(...digit)).toBe(1);
  });

  test("puts the centre of mass at (14, 14), as MNIST's digits have it", () => {
    const digit = toMnistDigit(
      page(280, (x, y) => (x - 200) ** 2 + (y - 60) ** 2 < 40 ** 2 && (x - 200) ** 2 + (y - 60) ** 2 > 25 ** 2),
      280,
      280,
    );
    const { x, y } = centreOfMass(digit, 28, 28);
    expect(Math.abs(x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(y - 14)).toBeLessThanOrEqual(0.5);
  });

  const all = loadMnist();

  test("turns an MNIST digit drawn ten times larger back into nearly the same digit", { timeout: 20_000 }, () => {
    for (const index of [0, 9999]) {
      const original = Array.from(all.pixels.subarray(index * 784, (index + 1) * 784), (b) => b / 255);
      const big = page(280, (x, y) => original[Math.floor(y / 10) * 28 + Math.floor(x / 10)] > 0.5);
      const back = toMnistDigit(big, 280, 280);
      // The same strokes, give or take the grey edges and a pixel of centring (the package's digits have their
      // centre of mass within a pixel of (14, 14)): the best overlap over shifts of a pixel is close.
      const similarity = (dx: number, dy: number) => {
        let [dot, a, b] = [0, 0, 0];
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            const u = original[y * 28 + x];
            const v = x + dx >= 0 && x + dx < 28 && y + dy >= 0 && y + dy < 28 ? back[(y + dy) * 28 + x + dx] : 0;
            [dot, a, b] = [dot + u * v, a + u * u, b + v * v];
          }
        }
        return dot / Math.sqrt(a * b);
      };
      const best = Math.max(...[-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => similarity(dx, dy))));
      expect(best, `digit ${index}: cosine similarity with the original`).toBeGreaterThan(0.8);
    }
  });
});

describe("model.json's layers", () => {
  test("keep the weights as float32, shape and order intact", () => {
    const weight = [0.5, -1.25, 3, 1e-3, 0, -0];
    const file = layerFile(2, 3, weight, [1, 2, 3]);
    const back = modelWeights(file);
    expect([file.rows, file.cols]).toEqual([2, 3]);
    expect(Array.from(back.weight)).toEqual(Array.from(Float32Array.from(weight)));
    expect(Array.from(back.bias)).toEqual([1, 2, 3]);
  });
});
