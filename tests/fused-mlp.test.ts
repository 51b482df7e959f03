/** The benchmark's hand-written baseline must be the same network as the engine's, or the ratio means nothing. */
import { describe, expect, test } from "vitest";
import { FusedMlp } from "../scripts/maintain/fused-mlp";
import { seLoss } from "../solutions/loss";
import { ANN } from "../solutions/nn";

describe("FusedMlp (the bench baseline)", () => {
  test("predicts what the engine's ANN predicts from the same weights", () => {
    const net = new ANN(2, [4, 3, 1]);
    const fused = new FusedMlp(
      [2, 4, 3, 1],
      net.parameters().map((p) => p.data),
    );
    for (const x of [
      [0.5, -1],
      [2, 0.25],
    ]) {
      expect(fused.predict(x)).toBeCloseTo(net.forward(x)[0].data, 14);
    }
  });

  test("one SGD step moves every weight as the engine's zeroGrad, backward and update do", () => {
    const net = new ANN(2, [4, 3, 1]);
    const fused = new FusedMlp(
      [2, 4, 3, 1],
      net.parameters().map((p) => p.data),
    );
    for (const [x, y] of [
      [[0.5, -1], 1],
      [[2, 0.25], -1],
    ] as [number[], number][]) {
      net.zeroGrad();
      seLoss(net.forward(x)[0], y).backward();
      net.update(0.1);
      fused.trainExample(x, y, 0.1);
    }
    const engineWeights = net.parameters().map((p) => p.data);
    fused.parameters().forEach((w, i) => {
      expect(w, `parameter ${i}`).toBeCloseTo(engineWeights[i], 14);
    });
  });

  test("refuses a parameter list of the wrong length", () => {
    expect(() => new FusedMlp([2, 1], [1, 2])).toThrow(/need 3 parameters, got 2/);
  });
});
