/**
 * Lesson 12: mini-batches. One update per batch of examples: the batch's mean loss, one backward, one step.
 * Make these pass by writing the `lesson-12` regions of src/batches.ts.
 */
import { batchLoss, batchStep, miniBatches, plainSgd, trainEpochInBatches, type Updater } from "@course/batches";
import type { Dataset } from "@course/data";
import { meanSeLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { trainEpoch } from "@course/train";
import { describe, expect, test } from "vitest";
import { explain, largestDifference, SEPARABLE_EIGHT } from "../test-helpers";

const eight: Dataset = SEPARABLE_EIGHT;

const weights = (net: ANN) => net.parameters().map((p) => p.data);
const network = (seed = 1) => new ANN(2, [4, 1], { rng: new Random(seed) });
const sorted = (batches: number[][]) => batches.flat().sort((a, b) => a - b);

describe("miniBatches(n, batchSize, rng?)", () => {
  test("cuts the positions 0 to n − 1, in order, into batches of batchSize: n = 7 in threes is [0,1,2] [3,4,5] [6]", () => {
    expect(miniBatches(7, 3), "the last batch holds what is left over: one example").toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6],
    ]);
  });

  test("a batch size of n gives one batch of every example, a batch size of 1 gives n batches of one", () => {
    expect(miniBatches(4, 4), "one batch: full-batch gradient descent").toEqual([[0, 1, 2, 3]]);
    expect(miniBatches(3, 1), "one example per batch: lesson 09's per-example SGD").toEqual([[0], [1], [2]]);
    expect(miniBatches(3, 10), "a batch size larger than n is one batch of every example").toEqual([[0, 1, 2]]);
  });

  test("with a generator, shuffles the positions first (Random's shuffle), each example still exactly once", () => {
    const expected = new Random(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const got = miniBatches(10, 4, new Random(5));
    expect(got.flat(), "the order should be new Random(5).shuffle([0, 1, ..., 9]), then cut into batches").toEqual(
      expected,
    );
    expect(
      got.map((b) => b.length),
      "batches of 4, 4 and the 2 left over",
    ).toEqual([4, 4, 2]);
  });

  test("gives a new order each epoch when the same generator is passed again", () => {
    const rng = new Random(3);
    const first = miniBatches(10, 10, rng)[0];
    const second = miniBatches(10, 10, rng)[0];
    expect(second, "the generator moved on, so the second epoch's order differs from the first").not.toEqual(first);
    expect(sorted([second]), "and it still holds every example once").toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("batchLoss(model, data, batch)", () => {
  // With init "ones", ANN(1, [1]) computes x + 1.
  const data: Dataset = { x: [[1], [-3], [0]], y: [1, 1, -1] };

  test("is the mean squared error over the batch's examples: outputs 2 and −2 for targets 1 and 1 give (1 + 9) / 2 = 5", () => {
    const got = batchLoss(new ANN(1, [1], { init: "ones" }), data, [0, 1]).data;
    expect(
      got,
      explain("batchLoss over the examples 0 and 1", 5, got, [
        [10, "that is the sum of the squared errors: divide by the batch size."],
        [1, "that is the first example's loss alone: take the mean over every example of the batch."],
      ]),
    ).toBe(5);
  });

  test("reads only the examples of the batch: the batch [2] costs (1 − (−1))² = 4", () => {
    const got = batchLoss(new ANN(1, [1], { init: "ones" }), data, [2]).data;
    expect(got, explain("batchLoss over the example 2 alone", 4, got)).toBe(4);
  });

  test("is one graph: every parameter appears in it once, and each example adds the same number of nodes", () => {
    const net = network();
    const nodes = (b: number) =>
      batchLoss(
        net,
        eight,
        Array.from({ length: b }, (_, i) => i),
      ).topoSort();
    const graph = nodes(3);
    for (const p of net.parameters()) {
      expect(graph.filter((node) => node === p).length, "a parameter is one node, shared by all the examples").toBe(1);
    }
    const counts = [1, 2, 3, 4].map((b) => nodes(b).length);
    const steps = counts.slice(1).map((c, i) => c - counts[i]);
    expect(
      steps,
      `node counts for batches of 1 to 4 were ${counts.join(", ")}: every example should add as many`,
    ).toEqual([steps[0], steps[0], steps[0]]);
  });
});

describe("batchStep(model, data, batch, optimizer)", () => {
  test("zeroes the grads, builds the batch's mean loss, runs one backward and one step, like a step by hand", () => {
    const net = network();
    const byHand = network();
    batchStep(net, eight, [0, 5, 6], plainSgd(net, 0.1));
    byHand.zeroGrad();
    meanSeLoss(
      [0, 5, 6].map((i) => byHand.forward(eight.x[i])[0]),
      [0, 5, 6].map((i) => eight.y[i]),
    ).backward();
    byHand.update(0.1);
    const { index, difference } = largestDifference(weights(net), weights(byHand));
    expect(difference, `parameter ${index} differs from a step by hand by ${difference}`).toBeLessThan(1e-12);
  });

  test("returns the batch's loss measured before the update", () => {
    // x + 1 on x = 1 with target -1: output 2, loss 9, whatever the update does next.
    const net = new ANN(1, [1], { init: "ones" });
    const got = batchStep(net, { x: [[1]], y: [-1] }, [0], plainSgd(net, 0.1));
    expect(
      got,
      explain("the loss batchStep returns", 9, got, [
        [3.24, "that is the loss after the update: return the one before it."],
      ]),
    ).toBe(9);
  });

  test("zeroes the gradients before every step, so two steps do not pile up", () => {
    // Step 1: output 2, d loss/d output = 2·(2 + 1) = 6, so w = b = 1 − 0.1·6 = 0.4.
    // Step 2: output 0.8, gradient 3.6, so w = b = 0.4 − 0.36 = 0.04 (−0.56 if the 6 were still there).
    const net = new ANN(1, [1], { init: "ones" });
    const sgd = plainSgd(net, 0.1);
    const data = { x: [[1]], y: [-1] };
    batchStep(net, data, [0], sgd);
    batchStep(net, data, [0], sgd);
    const [w] = weights(net);
    expect(
      w,
      explain("w after two steps", 0.04, w, [
        [-0.56, "the first step's gradient was still there: call zeroGrad() first."],
      ]),
    ).toBeCloseTo(0.04, 12);
  });

  test("calls the optimizer's zeroGrad before backward and its step after, once each", () => {
    const net = new ANN(1, [1], { init: "ones" });
    const calls: string[] = [];
    const spy: Updater = {
      zeroGrad: () => {
        calls.push("zeroGrad");
        net.zeroGrad();
      },
      // x + 1 at x = 1, target −1: d loss/d w = d loss/d b = 2·(2 + 1)·1 = 6 when step() is called.
      step: () => calls.push(`step with grads ${net.parameters().map((p) => p.grad)}`),
    };
    batchStep(net, { x: [[1]], y: [-1] }, [0], spy);
    expect(calls, "zeroGrad(), then forward, loss and backward, then step()").toEqual([
      "zeroGrad",
      "step with grads 6,6",
    ]);
  });
});

describe("trainEpochInBatches(model, data, { batchSize, optimizer, rng })", () => {
  test("with a batch size of 1 and no generator, gives exactly the weights of lesson 09's trainEpoch", () => {
    const net = network(2);
    const lesson09 = network(2);
    for (let epoch = 0; epoch < 3; epoch++) {
      trainEpochInBatches(net, eight, { batchSize: 1, optimizer: plainSgd(net, 0.1) });
      trainEpoch(lesson09, eight, 0.1);
    }
    const { index, difference } = largestDifference(weights(net), weights(lesson09));
    expect(
      difference,
      `after 3 epochs, parameter ${index} differs from lesson 09's by ${difference}: batches of one, in order, ` +
        "are per-example SGD",
    ).toBeLessThan(1e-12);
  });

  test("with a batch size of n, makes one update with the mean gradient of every example: batch gradient descent", () => {
    const net = network(3);
    const byHand = network(3);
    trainEpochInBatches(net, eight, { batchSize: eight.x.length, optimizer: plainSgd(net, 0.5) });
    byHand.zeroGrad();
    meanSeLoss(
      eight.x.map((x) => byHand.forward(x)[0]),
      eight.y,
    ).backward();
    byHand.update(0.5);
    const { index, difference } = largestDifference(weights(net), weights(byHand));
    expect(difference, `parameter ${index} differs from one full-batch step by ${difference}`).toBeLessThan(1e-12);
  });

  test("returns the loss of every update, in order: ⌈n / batchSize⌉ of them", () => {
    const net = network(4);
    const copy = network(4);
    const losses = trainEpochInBatches(net, eight, { batchSize: 3, optimizer: plainSgd(net, 0.1) });
    expect(losses.length, "8 examples in threes: 3 updates, the last on 2 examples").toBe(3);
    const expected = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ].map((batch) => batchStep(copy, eight, batch, plainSgd(copy, 0.1)));
    expect(losses, "each update's batch loss, measured before its update").toEqual(expected);
  });

  test("with a generator, follows the shuffled batches of miniBatches, one update per batch", () => {
    const net = network(5);
    const byHand = network(5);
    trainEpochInBatches(net, eight, { batchSize: 3, optimizer: plainSgd(net, 0.1), rng: new Random(9) });
    for (const batch of miniBatches(eight.x.length, 3, new Random(9))) {
      batchStep(byHand, eight, batch, plainSgd(byHand, 0.1));
    }
    const { index, difference } = largestDifference(weights(net), weights(byHand));
    expect(
      difference,
      `parameter ${index} differs by ${difference} from steps on miniBatches(8, 3, new Random(9)): shuffle with the generator`,
    ).toBeLessThan(1e-12);
  });
});
