/**
 * Lesson 17: reading handwritten digits. A scaled start for the network, the confusion matrix, and the training loop
 * of lesson 15 for ten classes (predictDigits, evaluateDigits, digitStep, trainDigits), on MNIST digits. Make these
 * pass by writing the `lesson-17` regions of src/digits.ts.
 *
 * The tests use a few hundred of the course's digits and small networks, so they take seconds; the full run (8,000
 * digits, 784-128-10, three seeds) is `npm run experiments -- --lesson 17`.
 */
import { miniBatches, type Updater } from "@course/batches";
import {
  confusionMatrix,
  type DigitHistoryRow,
  digitStep,
  EVALUATION_BATCH,
  evaluateDigits,
  predictDigits,
  scaledInit,
  trainDigits,
} from "@course/digits";
import { type Digits, digitBatch, pickDigits, splitDigits } from "@course/mnist";
import { Adam } from "@course/optim";
import { Random } from "@course/random";
import { crossEntropy } from "@course/softmax";
import { entries, MLP } from "@course/tensor-nn";
import { describe, expect, test } from "vitest";
import { loadMnist } from "../../scripts/lib/mnist";
import { explain, largestDifference } from "../test-helpers";

const { train: allTrain, test: allTest } = splitDigits(loadMnist());
/** The first few hundred digits of the course's split: enough to learn something, small enough for seconds. */
const TRAIN = pickDigits(allTrain, [...Array(320).keys()]);
const TEST = pickDigits(allTest, [...Array(200).keys()]);
/**
 * Fewer still, for the tests of the training loop's order of things. Mutation testing runs these tests on
 * instrumented code, about fifty times slower than plain: every multiply-add counts there.
 */
const FEW = pickDigits(allTrain, [...Array(96).keys()]);

/** A small network for 28 × 28 images: 784 inputs, 12 hidden units, 10 logits. */
const small = (seed: number) => new MLP(784, [12, 10], { rng: new Random(seed) });
/** Smaller still, for the training loop's tests, which compare weights, not what was learnt. */
const tiny = (seed: number) => new MLP(784, [4, 10], { rng: new Random(seed) });
const weights = (model: MLP) => model.parameters().flatMap((p) => Array.from(p.data));
/** Plain SGD on an MLP, as an optimizer. */
const sgd = (model: MLP, lr: number): Updater => ({ zeroGrad: () => model.zeroGrad(), step: () => model.update(lr) });
const every = (digits: Digits) => [...Array(digits.count).keys()];

/** The logits of every image at once, and the formulas of lesson 16 written out plainly, row by row. */
function byHand(model: MLP, digits: Digits): { loss: number; predicted: number[] } {
  const logits = model.forward(digitBatch(digits, every(digits)).x);
  let loss = 0;
  const predicted: number[] = [];
  for (let i = 0; i < digits.count; i++) {
    const row = Array.from(logits.data.subarray(i * 10, (i + 1) * 10));
    const max = Math.max(...row);
    loss += max + Math.log(row.reduce((sum, z) => sum + Math.exp(z - max), 0)) - row[digits.labels[i]];
    predicted.push(row.indexOf(max));
  }
  return { loss: loss / digits.count, predicted };
}

describe("scaledInit(model, rng)", () => {
  test("draws each layer's weights uniformly from ±√(6 / (nin + nout)), row after row, layer after layer", () => {
    const model = new MLP(784, [12, 10], { init: "zeros" });
    scaledInit(model, new Random(7));
    const rng = new Random(7);
    const [first, second] = model.layers;
    const a1 = Math.sqrt(6 / (784 + 12));
    const a2 = Math.sqrt(6 / (12 + 10));
    const expected = [
      ...Array.from({ length: first.weight.size }, () => rng.uniform(-a1, a1)),
      ...Array.from({ length: second.weight.size }, () => rng.uniform(-a2, a2)),
    ];
    const got = [...first.weight.data, ...second.weight.data];
    const { index, difference } = largestDifference(got, expected);
    const largest = Math.max(...Array.from(first.weight.data, Math.abs));
    const hint =
      largest > a1
        ? ` (the first layer's largest weight is ${largest.toFixed(4)}, beyond √(6 / (784 + 12)) = ${a1.toFixed(4)}: both the fan-in and the fan-out go under the root)`
        : "";
    expect(
      difference,
      `weight ${index} differs from new Random(7).uniform(−a, a) drawn in order, a = √(6 / (nin + nout)) for each layer${hint}`,
    ).toBeLessThan(1e-15);
  });

  test("sets every bias to 0", () => {
    const model = new MLP(784, [12, 10], { init: "ones" });
    scaledInit(model, new Random(7));
    const biases = model.layers.flatMap((layer) => Array.from(layer.bias.data));
    expect(biases, "a bias starts at 0: the weights alone break the symmetry").toEqual(new Array(22).fill(0));
  });

  test("keeps the first layer's outputs away from tanh's flat ends, where uniform(−1, 1) puts them", () => {
    const share = (model: MLP) => {
      const h = model.layers[0].forward(digitBatch(TEST, every(TEST)).x).tanh().data;
      return Array.from(h).filter((v) => Math.abs(v) > 0.99).length / h.length;
    };
    const uniform = small(3);
    const scaled = small(3);
    scaledInit(scaled, new Random(3));
    expect(share(uniform), "uniform(−1, 1) at fan-in 784: most hidden units saturated").toBeGreaterThan(0.5);
    expect(share(scaled), "the scaled start: almost none").toBeLessThan(0.01);
  });
});

describe("confusionMatrix(predicted, labels)", () => {
  test("counts each true digit (the row) read as each digit (the column)", () => {
    const got = confusionMatrix([3, 3, 5, 0, 3], [3, 5, 5, 0, 3], 6);
    const expected = [
      [1, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 2, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 0, 1],
    ];
    const transposed = expected[0].map((_, j) => expected.map((row) => row[j]));
    const note =
      JSON.stringify(got) === JSON.stringify(transposed)
        ? ": rows and columns are swapped. Row = the true digit, column = the prediction"
        : "";
    expect(got, `the confusion matrix of predictions [3, 3, 5, 0, 3] for labels [3, 5, 5, 0, 3]${note}`).toEqual(
      expected,
    );
  });

  test("has ten rows of ten by default, adding up to the number of images", () => {
    const got = confusionMatrix([1, 2, 9], [1, 2, 7]);
    expect(got.length).toBe(10);
    expect(got.every((row) => row.length === 10)).toBe(true);
    expect(got.flat().reduce((a, b) => a + b, 0)).toBe(3);
    expect(got[7][9], "a 7 read as a 9").toBe(1);
  });
});

describe("predictDigits and evaluateDigits", () => {
  test("predictDigits gives the argmax of every image's logits, in order", () => {
    const model = tiny(1);
    const got = predictDigits(model, TEST);
    expect(got).toHaveLength(TEST.count);
    expect(got, "the column of each row's largest logit").toEqual(byHand(model, TEST).predicted);
  });

  test("evaluateDigits gives the mean cross-entropy and the accuracy over every image", () => {
    const model = tiny(2);
    const { loss, predicted } = byHand(model, TEST);
    const accuracy = predicted.filter((digit, i) => digit === TEST.labels[i]).length / TEST.count;
    const got = evaluateDigits(model, TEST);
    expect(got.accuracy, explain("the accuracy on 200 test digits", accuracy, got.accuracy)).toBeCloseTo(accuracy, 12);
    expect(
      got.loss,
      explain("the mean loss on 200 test digits", loss, got.loss, [
        [loss * 200, "that is the sum over the images: take the mean."],
      ]),
    ).toBeCloseTo(loss, 9);
  });

  test(`works in chunks of ${EVALUATION_BATCH}: a count that is not a multiple of it gives the same as all at once`, () => {
    const many = pickDigits(allTest, [...Array(EVALUATION_BATCH + 37).keys()]);
    const model = new MLP(784, [3, 10], { rng: new Random(4) });
    const { loss, predicted } = byHand(model, many);
    const got = evaluateDigits(model, many);
    expect(
      got.loss,
      explain(`the mean loss on ${many.count} digits`, loss, got.loss, [
        [
          (byHand(model, pickDigits(many, [...Array(EVALUATION_BATCH).keys()])).loss +
            byHand(
              model,
              pickDigits(
                many,
                [...Array(37).keys()].map((i) => i + EVALUATION_BATCH),
              ),
            ).loss) /
            2,
          "that is the mean of the chunks' means: a chunk of 37 counts as much as one of 500. Weigh each by its size.",
        ],
      ]),
    ).toBeCloseTo(loss, 9);
    expect(predictDigits(model, many), "every image predicted, the last chunk too").toEqual(predicted);
  });

  test("only measures: no weight and no grad changes", () => {
    const model = tiny(5);
    const before = weights(model);
    evaluateDigits(model, TEST);
    predictDigits(model, TEST);
    expect(weights(model), "measuring must not train").toEqual(before);
    const grads = model.parameters().flatMap((p) => Array.from(p.grad));
    expect(
      grads.every((g) => g === 0),
      "measuring runs no backward pass",
    ).toBe(true);
  });
});

describe("digitStep(model, batch, optimizer)", () => {
  test("zeroes the grads, takes the batch's cross-entropy, runs backward and one step, like a step by hand", () => {
    const model = small(6);
    const copy = small(6);
    const batch = digitBatch(TRAIN, [0, 5, 9, 100]);
    model.layers[0].weight.grad.fill(3); // a grad left over from before: zeroGrad must clear it
    digitStep(model, batch, sgd(model, 0.5));
    copy.zeroGrad();
    crossEntropy(copy.forward(batch.x), batch.labels).backward();
    copy.update(0.5);
    const { index, difference } = largestDifference(weights(model), weights(copy));
    expect(difference, `weight ${index} differs from a step by hand by ${difference}`).toBeLessThan(1e-12);
  });

  test("returns the batch's loss and accuracy, measured before the update", () => {
    const model = tiny(7);
    const positions = [...Array(64).keys()];
    const batch = digitBatch(TRAIN, positions);
    const before = byHand(model, pickDigits(TRAIN, positions));
    const right = before.predicted.filter((digit, i) => digit === batch.labels[i]).length / 64;
    expect(right, "(the untrained network reads a few of these 64 right)").toBeGreaterThan(0);
    const got = digitStep(model, batch, sgd(model, 0.5));
    expect(
      got.loss,
      explain("the loss digitStep returns", before.loss, got.loss, [
        [byHand(model, pickDigits(TRAIN, positions)).loss, "that is the loss after the update."],
      ]),
    ).toBeCloseTo(before.loss, 12);
    expect(
      got.accuracy,
      explain(
        "the accuracy digitStep returns: the share of the batch read right before the update",
        right,
        got.accuracy,
        [[right * 64, "that is the number of right images: divide by the batch's size."]],
      ),
    ).toBeCloseTo(right, 12);
  });

  test("calls the optimizer's zeroGrad before backward and its step after, once each", () => {
    const model = small(8);
    const calls: string[] = [];
    const spy: Updater = {
      zeroGrad: () => {
        model.zeroGrad();
        calls.push("zeroGrad");
      },
      step: () => calls.push(model.layers[1].bias.grad.some((g) => g !== 0) ? "step after backward" : "step, no grads"),
    };
    digitStep(model, digitBatch(TRAIN, [0, 1]), spy);
    expect(calls, "zeroGrad(), then forward, loss and backward, then step()").toEqual([
      "zeroGrad",
      "step after backward",
    ]);
  });
});

describe("trainDigits(model, options)", () => {
  const options = (model: MLP, extra: object = {}) => ({
    train: FEW,
    test: TEST,
    epochs: 2,
    batchSize: 32,
    seed: 11,
    optimizer: sgd(model, 0.1),
    ...extra,
  });

  /** The loop written out plainly: one Random(seed); each epoch miniBatches with it, then each batch's shifts. */
  function trainedByHand(model: MLP, epochs: number, batchSize: number, seed: number, maxShift: number, lr: number) {
    const rng = new Random(seed);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const positions of miniBatches(FEW.count, batchSize, rng)) {
        const { x, labels } = digitBatch(FEW, positions, maxShift > 0 ? { rng, maxShift } : undefined);
        model.zeroGrad();
        crossEntropy(model.forward(x), labels).backward();
        model.update(lr);
      }
    }
  }

  test("follows miniBatches(count, batchSize, rng) with one generator made from the seed, a new order every epoch", () => {
    const model = tiny(9);
    const copy = tiny(9);
    trainDigits(model, options(model));
    trainedByHand(copy, 2, 32, 11, 0, 0.1);
    const { index, difference } = largestDifference(weights(model), weights(copy));
    expect(
      difference,
      `weight ${index} differs by ${difference} from digitStep on miniBatches(96, 32, rng), epoch after epoch, ` +
        "rng = new Random(seed) made once: shuffle with it every epoch",
    ).toBeLessThan(1e-12);
  });

  test("with maxShift, moves every training image with digitBatch's shift, drawn from the same generator", () => {
    const model = tiny(9);
    const copy = tiny(9);
    trainDigits(model, options(model, { maxShift: 2 }));
    trainedByHand(copy, 2, 32, 11, 2, 0.1);
    const { index, difference } = largestDifference(weights(model), weights(copy));
    expect(
      difference,
      `weight ${index} differs by ${difference} from the loop with digitBatch(train, positions, { rng, maxShift }): ` +
        "pass the shift, with the generator that shuffles, to every training batch",
    ).toBeLessThan(1e-12);
  });

  test("returns one row per epoch: the means over the epoch's images as it trained, and the test set after it", () => {
    const model = tiny(10);
    const copy = tiny(10);
    const rows = trainDigits(model, options(model, { epochs: 2, batchSize: 40 }));
    expect(
      rows.map((row) => row.epoch),
      "epochs count from 1",
    ).toEqual([1, 2]);
    const rng = new Random(11);
    const expected = [1, 2].map((epoch) => {
      let loss = 0;
      let right = 0;
      for (const positions of miniBatches(FEW.count, 40, rng)) {
        const batch = digitBatch(FEW, positions);
        const measured = digitStep(copy, batch, sgd(copy, 0.1));
        loss += measured.loss * positions.length;
        right += measured.accuracy * positions.length;
      }
      const onTest = evaluateDigits(copy, TEST);
      return {
        epoch,
        trainLoss: loss / 96,
        trainAccuracy: right / 96,
        testLoss: onTest.loss,
        testAccuracy: onTest.accuracy,
      };
    });
    const differs = (key: keyof DigitHistoryRow) =>
      rows.some((row, i) => Math.abs(row[key] - expected[i][key]) > 1e-12);
    expect(
      differs("trainLoss") || differs("trainAccuracy"),
      "the training loss and accuracy of an epoch: the mean over its images of each batch's, measured before its " +
        "update, each batch weighed by its size (96 = 2 × 40 + 16: the last batch is smaller)",
    ).toBe(false);
    expect(rows, "the test loss and accuracy: evaluateDigits on the test set after the epoch's updates").toEqual(
      expected,
    );
  });

  test("calls onEpoch with each row as soon as its epoch is done", () => {
    const model = tiny(12);
    const seen: number[] = [];
    const rows = trainDigits(model, options(model, { onEpoch: (row: DigitHistoryRow) => seen.push(row.epoch) }));
    expect(seen).toEqual(rows.map((row) => row.epoch));
  });

  test("reads digits: 784-16-10 from a scaled start with Adam, 160 images for 3 epochs, pinned on the reference", () => {
    const model = new MLP(784, [16, 10], { rng: new Random(13) });
    scaledInit(model, new Random(13));
    const rows = trainDigits(model, {
      train: pickDigits(TRAIN, [...Array(160).keys()]),
      test: TEST,
      epochs: 3,
      batchSize: 32,
      seed: 13,
      maxShift: 1,
      optimizer: new Adam(entries(model.parameters()), { lr: 0.01 }),
    });
    const last = rows[rows.length - 1];
    expect(last.testAccuracy, "the test accuracy after 3 epochs on 160 digits (1 in 10 is chance)").toBeGreaterThan(
      0.6,
    );
    expect(last.trainLoss, "the training loss fell").toBeLessThan(rows[0].trainLoss);
    expect(
      rows.map((row) => [row.trainLoss, row.testLoss].map((x) => Number(x.toFixed(9)))),
      "the losses of each epoch, as the reference code gives them (to 9 decimals)",
    ).toEqual(PINNED_LOSSES);
  });
});

/** trainLoss and testLoss of each epoch of the last test, as the reference code in solutions/ gives them. */
const PINNED_LOSSES = [
  [1.969232244, 1.594087898],
  [1.326561836, 1.258107682],
  [1.053045775, 1.133888521],
];
