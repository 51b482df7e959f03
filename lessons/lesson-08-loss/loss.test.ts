/**
 * Lesson 08: the squared-error loss, one number that says how far a prediction is from its target.
 * Make these pass by writing the `lesson-08` regions of src/loss.ts.
 * (Training steps with the loss are in sgd.test.ts.)
 */
import { Value } from "@course/engine";
import { expectGradientsToMatch } from "@course/gradcheck";
import { meanSeLoss, seLoss } from "@course/loss";
import { describe, expect, test } from "vitest";
import { diagnose } from "../test-helpers";

describe("seLoss(pred, target) = (pred − target)²", () => {
  test("a prediction of 0.5 for the target 1 costs (0.5 − 1)² = 0.25", () => {
    const loss = seLoss(new Value(0.5), 1);
    expect(loss, "seLoss returns a Value, so backward() can start from it").toBeInstanceOf(Value);
    expect(
      loss.data,
      `expected (0.5 − 1)² = 0.25${diagnose(loss.data, 0.25, [
        [-0.5, "that is pred − target, not squared"],
        [0.5, "that is |pred − target|, not squared"],
      ])}`,
    ).toBe(0.25);
  });

  test("too high costs as much as too low: 3 and -1 for the target 1 both cost 4", () => {
    expect(seLoss(new Value(3), 1).data).toBe(4);
    const low = seLoss(new Value(-1), 1).data;
    expect(
      low,
      `expected (−1 − 1)² = 4${diagnose(low, 4, [[-2, "that is pred − target, not squared: a loss is never negative"]])}`,
    ).toBe(4);
  });

  test("a perfect prediction costs 0", () => {
    expect(seLoss(new Value(0.7), 0.7).data).toBe(0);
  });

  test("the target may be a number or a Value", () => {
    expect(seLoss(new Value(-2), new Value(1)).data).toBe(9);
    expect(seLoss(new Value(-2), 1).data).toBe(9);
  });

  test("d loss/d pred = 2·(pred − target): 4 for pred 3, target 1; -4 for pred -1", () => {
    const high = new Value(3);
    seLoss(high, 1).backward();
    expect(high.grad, "the gradient pushes a prediction that is too high down (positive grad)").toBe(4);
    const low = new Value(-1);
    seLoss(low, 1).backward();
    expect(low.grad, "and one that is too low up (negative grad)").toBe(-4);
  });

  test("gradcheck: backward agrees with the numeric gradient for pred and target", () => {
    const pred = new Value(0.3, [], "", "pred");
    const target = new Value(-0.8, [], "", "target");
    expectGradientsToMatch([pred, target], () => seLoss(pred, target));
  });
});

describe("meanSeLoss(preds, targets): the mean over a batch", () => {
  test("preds [0, 3] for targets [1, 1] give ((0 − 1)² + (3 − 1)²) / 2 = 2.5", () => {
    const mean = meanSeLoss([new Value(0), new Value(3)], [1, 1]).data;
    expect(
      mean,
      `expected (1 + 4) / 2 = 2.5${diagnose(mean, 2.5, [[5, "the sum: divide it by the batch size"]])}`,
    ).toBe(2.5);
  });

  test("a batch of one example is that example's seLoss", () => {
    expect(meanSeLoss([new Value(0.5)], [1]).data, "its seLoss: (0.5 - 1)² = 0.25").toBe(0.25);
  });

  test("the mean does not grow with the batch: the same example 4 times costs what it costs once", () => {
    const preds = [0, 1, 2, 3].map(() => new Value(3));
    const mean = meanSeLoss(preds, [1, 1, 1, 1]).data;
    expect(
      mean,
      `expected (4 + 4 + 4 + 4) / 4 = 4${diagnose(mean, 4, [[16, "the sum: divide it by the batch size"]])}`,
    ).toBe(4);
  });

  test("gradcheck: backward agrees with the numeric gradient for every prediction of the batch", () => {
    const preds = [0.5, -1, 2].map((x, i) => new Value(x, [], "", `pred${i}`));
    expectGradientsToMatch(preds, () => meanSeLoss(preds, [1, -1, 0]));
  });
});
