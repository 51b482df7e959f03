/**
 * Lesson 09: the training loop. predict, accuracy, one epoch of per-example SGD, evaluate, and train.
 * Make these pass by writing the `lesson-09` regions of src/train.ts.
 */
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { accuracy, evaluate, type HistoryRow, predict, train, trainEpoch } from "@course/train";
import { describe, expect, test } from "vitest";
import { diagnose, SEPARABLE_EIGHT, show } from "../test-helpers";

const separable = SEPARABLE_EIGHT;
const heldOut = {
  x: [
    [-0.6, 0.3],
    [0.6, -0.4],
  ],
  y: [-1, 1],
};

const snapshot = (net: ANN) => net.parameters().map((p) => [p.data, p.grad]);

describe("predict", () => {
  test("says +1 when the output is positive and -1 when it is negative", () => {
    // With init "ones", ANN(1, [1]) computes x + 1.
    const net = new ANN(1, [1], { init: "ones" });
    expect(predict(net, [2]), "output 3 is positive: predict +1").toBe(1);
    expect(predict(net, [-3]), "output -2 is negative: predict -1").toBe(-1);
  });

  test("says +1 for an output of exactly 0", () => {
    const net = new ANN(1, [1], { init: "zeros" });
    expect(predict(net, [5]), "a zero output counts as +1 (output >= 0), not as a third class").toBe(1);
  });
});

describe("accuracy", () => {
  test("is 0.75 when 3 of 4 predictions match their targets", () => {
    expect(accuracy([1, -1, 1, 1], [1, -1, -1, 1]), "3 matches out of 4").toBe(0.75);
  });

  test("is 1 when every prediction matches and 0 when none does", () => {
    expect(accuracy([1, -1], [1, -1])).toBe(1);
    expect(accuracy([1, -1], [-1, 1]), "count matches, not mismatches").toBe(0);
  });
});

describe("trainEpoch", () => {
  test("does zeroGrad, forward, loss, backward and update for an example, like a step by hand", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    const byHand = new ANN(2, [3, 1], { rng: new Random(1) });
    const one = { x: [[0.5, -1]], y: [1] };

    trainEpoch(net, one, 0.1);
    byHand.zeroGrad();
    const out = byHand.forward([0.5, -1])[0];
    out.sub(1).pow(2).backward();
    byHand.update(0.1);

    const got = net.parameters().map((p) => p.data);
    const expected = byHand.parameters().map((p) => p.data);
    got.forEach((w, i) => {
      expect(w, `parameter ${i} after one step`).toBeCloseTo(expected[i], 12);
    });
  });

  test("zeroes the gradients before every example, so steps do not pile up", () => {
    const net = new ANN(1, [1], { init: "ones" });
    // Two copies of x = 1 with target -1. Step 1: output 2, d loss/d output = 2·(2 + 1) = 6, so w and b
    // become 1 - 0.1·6 = 0.4. Step 2: output 0.8, gradient 3.6: both become 0.4 - 0.36 = 0.04.
    trainEpoch(net, { x: [[1], [1]], y: [-1, -1] }, 0.1);
    const [w, b] = net.parameters();
    expect(
      w.data,
      `w after two steps: 1 - 0.6 - 0.36 = 0.04${diagnose(w.data, 0.04, [
        [0.4 - 0.1 * (6 + 3.6), "the second step used 6 + 3.6: zeroGrad() before every example"],
      ])}`,
    ).toBeCloseTo(0.04, 12);
    expect(b.data).toBeCloseTo(0.04, 12);
  });

  test("returns the mean of the losses measured before each update", () => {
    const net = new ANN(1, [1], { init: "ones" });
    // x = 1, target -1: output 2 and loss 9, then w = b = 1 - 0.1·6 = 0.4, output 0.8 and loss 3.24.
    const mean = trainEpoch(net, { x: [[1], [1]], y: [-1, -1] }, 0.1);
    expect(mean, "(9 + 3.24) / 2").toBeCloseTo(6.12, 12);
  });
});

describe("evaluate", () => {
  test("gives the mean squared error and the accuracy", () => {
    // x + 1 on x = 1 (target 1) and x = -3 (target 1): outputs 2 and -2, losses 1 and 9, one right of two.
    const result = evaluate(new ANN(1, [1], { init: "ones" }), { x: [[1], [-3]], y: [1, 1] });
    expect(result.loss, "(1 + 9) / 2").toBeCloseTo(5, 12);
    expect(result.accuracy, "output 2 is right (+1), output -2 is wrong").toBe(0.5);
  });

  test("counts an output of exactly 0 as +1, as predict does", () => {
    // init "zeros": every output is exactly 0, so every prediction is +1 and both targets +1 are met.
    const result = evaluate(new ANN(1, [1], { init: "zeros" }), { x: [[1], [2]], y: [1, 1] });
    expect(
      result.accuracy,
      `an output of 0 is predicted +1${diagnose(result.accuracy, 1, [[0, "an output of 0 counted as -1: use >= 0, like predict"]])}`,
    ).toBe(1);
  });

  test("never changes the weights or their gradients", () => {
    const net = new ANN(2, [4, 1], { rng: new Random(3) });
    const before = snapshot(net);
    evaluate(net, separable);
    expect(snapshot(net), "evaluate must only run forward passes: no backward, no update").toEqual(before);
  });
});

describe("train", () => {
  const run = (epochs: number, seed: number) =>
    train(new ANN(2, [4, 1], { rng: new Random(seed) }), { train: separable, test: heldOut, epochs, lr: 0.05 });

  test("returns one row per epoch, numbered from 1, with losses and accuracies", () => {
    const history = run(5, 1);
    expect(
      history.map((row) => row.epoch),
      "one row per epoch, epochs 1 to 5",
    ).toEqual([1, 2, 3, 4, 5]);
    for (const row of history) {
      expect(Object.keys(row).sort()).toEqual(["epoch", "testAccuracy", "testLoss", "trainAccuracy", "trainLoss"]);
    }
  });

  test("reaches 100 % accuracy on a small separable set", () => {
    const last = run(40, 1).at(-1);
    expect(last?.trainAccuracy, "a line separates these points: after 40 epochs every one should be right").toBe(1);
  });

  test("makes the training loss fall", () => {
    const history = run(20, 2);
    expect(history[19].trainLoss, "the loss after epoch 20 should be well below that after epoch 1").toBeLessThan(
      history[0].trainLoss / 2,
    );
  });

  test("each row is evaluate() on both sets after that epoch's trainEpoch, all four numbers, to 1e-12", () => {
    const history = run(4, 5);
    // The same network, trained by hand: after each trainEpoch, evaluate both sets.
    const byHand = new ANN(2, [4, 1], { rng: new Random(5) });
    expect(history, "train(..., { epochs: 4 }) should return 4 rows").toHaveLength(4);
    history.forEach((row, i) => {
      const before = { train: evaluate(byHand, separable), test: evaluate(byHand, heldOut) };
      const runningMean = trainEpoch(byHand, separable, 0.05);
      const after = { train: evaluate(byHand, separable), test: evaluate(byHand, heldOut) };
      const columns: [keyof HistoryRow, number, number, number | undefined][] = [
        ["trainLoss", after.train.loss, before.train.loss, runningMean],
        ["testLoss", after.test.loss, before.test.loss, undefined],
        ["trainAccuracy", after.train.accuracy, before.train.accuracy, undefined],
        ["testAccuracy", after.test.accuracy, before.test.accuracy, undefined],
      ];
      for (const [column, expected, beforeUpdates, mean] of columns) {
        const set = column.startsWith("train") ? "training" : "test";
        const mistakes: [number, string][] = [
          [
            beforeUpdates,
            `that is the ${set} set evaluated before epoch ${i + 1}'s updates: evaluate after trainEpoch`,
          ],
        ];
        if (mean !== undefined) {
          mistakes.unshift([
            mean,
            "that is the mean that trainEpoch returns, measured during the epoch while the weights were still " +
              "changing: the row's training loss is evaluate(model, train).loss after the epoch",
          ]);
        }
        expect(
          row[column],
          `row ${i + 1} (epoch ${i + 1}), ${column}: expected evaluate(model, ${set === "training" ? "train" : "test"}) ` +
            `after that epoch's trainEpoch, ${show(expected)}${diagnose(row[column], expected, mistakes)}`,
        ).toBeCloseTo(expected, 12);
      }
    });
  });

  test("gives the same history for the same seed", () => {
    expect(run(5, 7), "training must not use Math.random(): only the seeded network").toEqual(run(5, 7));
  });

  test("calls onEpoch with each row as it is recorded", () => {
    const seen: number[] = [];
    const history = train(new ANN(2, [4, 1]), {
      train: separable,
      test: heldOut,
      epochs: 3,
      lr: 0.05,
      onEpoch: (row) => seen.push(row.epoch),
    });
    expect(seen, "onEpoch is called once per epoch, in order").toEqual([1, 2, 3]);
    expect(history).toHaveLength(3);
  });
});
