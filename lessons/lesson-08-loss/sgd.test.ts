/**
 * Lesson 08, continued: the loss drives training. Gradients of a network's loss, one SGD step,
 * per-example SGD over a small data set, and the batch mean.
 * Make these pass by writing the `lesson-08` regions of src/loss.ts.
 */
import { expectGradientsToMatch } from "@course/gradcheck";
import { meanSeLoss, seLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";

// Four examples of a small regression problem: the target is x0 · x1.
const xs = [
  [0.5, -1],
  [1, 1],
  [-0.5, 0.5],
  [-1, -1],
];
const ys = [-0.5, 1, -0.25, 1];

function meanLossOf(net: ANN): number {
  return meanSeLoss(
    xs.map((x) => net.forward(x)[0]),
    ys,
  ).data;
}

describe("the loss of a network", () => {
  test("gradcheck: backward gives every parameter the right gradient of the mean loss over a batch", () => {
    const net = new ANN(2, [4, 4, 1], { rng: new Random(1) });
    expectGradientsToMatch(net.parameters(), () =>
      meanSeLoss(
        xs.map((x) => net.forward(x)[0]),
        ys,
      ),
    );
  });

  test("the gradient of the batch mean is the mean of the per-example gradients", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    const params = net.parameters();
    const sum = params.map(() => 0);
    xs.forEach((x, k) => {
      net.zeroGrad();
      seLoss(net.forward(x)[0], ys[k]).backward();
      params.forEach((p, i) => {
        sum[i] += p.grad;
      });
    });
    net.zeroGrad();
    meanSeLoss(
      xs.map((x) => net.forward(x)[0]),
      ys,
    ).backward();
    params.forEach((p, i) => {
      expect(p.grad, `parameter ${i}: the mean's gradient is the sum of the example gradients / 4`).toBeCloseTo(
        sum[i] / xs.length,
        12,
      );
    });
  });
});

describe("gradient descent on the loss", () => {
  test('by hand: new ANN(1, [1]) with init "ones", x = 1, target 0: loss 4, one step of 0.1 gives loss 1.44', () => {
    const net = new ANN(1, [1], { init: "ones" });
    const loss = seLoss(net.forward([1])[0], 0);
    expect(loss.data, "pred = 1·1 + 1 = 2, loss = (2 − 0)² = 4").toBe(4);
    loss.backward();
    expect(
      net.parameters().map((p) => p.grad),
      "d loss/d w = 2·(pred − target)·x = 4 and d loss/d b = 2·(pred − target) = 4",
    ).toEqual([4, 4]);
    net.update(0.1);
    expect(seLoss(net.forward([1])[0], 0).data, "w = b = 0.6, pred = 1.2, loss = 1.44").toBeCloseTo(1.44, 12);
  });

  test("by hand: the same step with lr = 1 overshoots: w = b = -3, pred = -6, loss 36", () => {
    const net = new ANN(1, [1], { init: "ones" });
    seLoss(net.forward([1])[0], 0).backward();
    net.update(1);
    expect(seLoss(net.forward([1])[0], 0).data, "a step too large jumps past the minimum").toBe(36);
  });

  test("a small step lowers the loss on that example", () => {
    const net = new ANN(2, [4, 1], { rng: new Random(1) });
    const before = seLoss(net.forward(xs[0])[0], ys[0]);
    net.zeroGrad();
    before.backward();
    net.update(0.01);
    expect(seLoss(net.forward(xs[0])[0], ys[0]).data).toBeLessThan(before.data);
  });

  test("per-example SGD: updating after each example for 50 passes lowers the mean loss a lot", () => {
    const net = new ANN(2, [4, 1], { rng: new Random(1) });
    const start = meanLossOf(net);
    for (let pass = 0; pass < 50; pass++) {
      xs.forEach((x, k) => {
        const loss = seLoss(net.forward(x)[0], ys[k]);
        net.zeroGrad();
        loss.backward();
        net.update(0.05);
      });
    }
    const end = meanLossOf(net);
    expect(end, `the mean loss went from ${start} to ${end}: expected it to fall below a tenth`).toBeLessThan(
      start / 10,
    );
  });
});
