import { Value } from "@course/engine";
import { meanSeLoss, seLoss } from "@course/loss";
import { describe, expect, test } from "vitest";

describe("seLoss", () => {
  test("is (pred - target)²", () => {
    expect(seLoss(new Value(0.5), 1).data).toBe(0.25);
    expect(seLoss(new Value(-2), new Value(1)).data).toBe(9);
  });

  test("meanSeLoss averages over the batch", () => {
    expect(meanSeLoss([new Value(0), new Value(3)], [1, 1]).data).toBe(2.5);
  });
});
