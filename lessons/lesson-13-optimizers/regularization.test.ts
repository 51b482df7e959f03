/**
 * Lesson 13: regularization. The L2 and L1 penalties, one more term in the loss (src/loss.ts), and decoupled
 * weight decay as AdamW does it (src/optim.ts). Make these pass by writing those files' `lesson-13` regions.
 *
 * AdamW is checked against PyTorch's documented algorithm (torch.optim.AdamW), written out below with plain
 * numbers: θ ← θ − γλθ, then Adam's step on the gradient, which never sees λ.
 */
import { Value } from "@course/engine";
import { l1Penalty, l2Penalty, seLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { AdamW, decayWeights } from "@course/optim";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { explain, type Suspect } from "../test-helpers";

/** Three weights of a small example: 3, −4 and 0.5. */
const weights = () => [3, -4, 0.5].map((w, i) => new Value(w, [], "", `w${i + 1}`));

describe("l2Penalty and l1Penalty", () => {
  test("l2Penalty is ½ Σ w²: 12.625 for the weights 3, −4 and 0.5", () => {
    const got = l2Penalty(weights()).data;
    expect(
      got,
      explain("l2Penalty([3, −4, 0.5])", 12.625, got, [
        [25.25, "that is Σ w² without the ½: the penalty is ½ Σ w², so that its gradient is w itself"],
        [-0.5, "that is Σ w, the weights themselves: square each one"],
        [7.5, "that is Σ |w|, the L1 penalty: L2 squares each weight"],
      ]),
    ).toBeCloseTo(12.625, 12);
  });

  test("l2Penalty's gradient is each weight itself: 3, −4 and 0.5", () => {
    const ws = weights();
    l2Penalty(ws).backward();
    ws.forEach((w, i) => {
      const expected = [3, -4, 0.5][i];
      expect(
        w.grad,
        explain(`${w.label}.grad after l2Penalty(...).backward()`, expected, w.grad, [
          [2 * expected, "2w is the gradient of w²: the ½ in ½ Σ w² makes it w"],
          [1, "the gradient of Σ w: square each weight"],
        ]),
      ).toBeCloseTo(expected, 12);
    });
  });

  test("l1Penalty is Σ |w|: 7.5 for the weights 3, −4 and 0.5", () => {
    const got = l1Penalty(weights()).data;
    expect(
      got,
      explain("l1Penalty([3, −4, 0.5])", 7.5, got, [
        [-0.5, "that is Σ w: a negative weight must count as much as a positive one, |w|"],
        [3.5, "only the positive weights were counted: |w| is relu(w) + relu(−w)"],
        [12.625, "that is ½ Σ w², the L2 penalty: L1 adds the absolute values"],
      ]),
    ).toBeCloseTo(7.5, 12);
  });

  test("l1Penalty's gradient is the sign of each weight: +1, −1, +1", () => {
    const ws = weights();
    l1Penalty(ws).backward();
    expect(
      ws.map((w) => w.grad),
      "the slope of |w| is +1 for a positive weight and −1 for a negative one, whatever its size",
    ).toEqual([1, -1, 1]);
  });

  test("l1Penalty's slope at a weight of exactly 0 is 0, not NaN", () => {
    const zero = new Value(0, [], "", "w");
    const penalty = l1Penalty([zero]);
    penalty.backward();
    expect(penalty.data).toBe(0);
    expect(
      zero.grad,
      "a weight at 0 should stay there: sqrt(w²) has no slope at 0 (NaN); relu(w) + relu(−w) gives 0",
    ).toBe(0);
  });

  test("a penalty of no weights is 0, so a network without weights needs no special case", () => {
    expect(l2Penalty([]).data).toBe(0);
    expect(l1Penalty([]).data).toBe(0);
  });
});

/**
 * PyTorch's AdamW (torch.optim.AdamW, without amsgrad or maximize) on L = x² from x = 1, with plain numbers;
 * `variant` writes out a likely mistake instead.
 */
function adamwPath(
  steps: number,
  { lr, weightDecay }: { lr: number; weightDecay: number },
  variant: "pytorch" | "l2 in the gradient" | "decay after the step" | "decay without lr" | "no decay" = "pytorch",
): number[] {
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let [x, m, v] = [1, 0, 0];
  const xs: number[] = [];
  for (let t = 1; t <= steps; t++) {
    let g = 2 * x;
    if (variant === "l2 in the gradient") g += weightDecay * x;
    if (variant === "pytorch") x -= lr * weightDecay * x;
    if (variant === "decay without lr") x -= weightDecay * x;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    x -= (lr * (m / (1 - beta1 ** t))) / (Math.sqrt(v / (1 - beta2 ** t)) + eps);
    if (variant === "decay after the step") x -= lr * weightDecay * x;
    xs.push(x);
  }
  return xs;
}

describe("decayWeights and AdamW", () => {
  test("decayWeights shrinks each parameter by lr · weightDecay of itself: 2 → 1.9 with lr 0.1 and 0.5", () => {
    const [a, b] = [new Value(2), new Value(-4)];
    decayWeights([a, b], 0.1, 0.5);
    const suspects: (p: number) => Suspect[] = (p) => [
      [
        p - 0.5 * p,
        "that is p − weightDecay · p: the decay is scaled by the learning rate too, p −= lr · weightDecay · p",
      ],
      [
        p - 0.1 * 0.5,
        "that subtracts lr · weightDecay from every parameter: the decay is a share of p, lr · weightDecay · p",
      ],
      [p + 0.1 * 0.5 * p, "the parameter grew: decay pulls it towards 0, p −= lr · weightDecay · p"],
    ];
    expect(a.data, explain("2 after decayWeights(lr 0.1, weightDecay 0.5)", 1.9, a.data, suspects(2))).toBeCloseTo(
      1.9,
      12,
    );
    expect(b.data, explain("−4 after decayWeights(lr 0.1, weightDecay 0.5)", -3.8, b.data, suspects(-4))).toBeCloseTo(
      -3.8,
      12,
    );
  });

  test("decayWeights changes the data, never the grad", () => {
    const p = new Value(2);
    p.grad = 0.7;
    decayWeights([p], 0.1, 0.5);
    expect(p.grad, "decoupled decay leaves the gradient as backward() left it: it moves p.data").toBe(0.7);
  });

  test("with plain SGD, λ · l2Penalty in the loss and decayWeights with weight decay λ take the same step", () => {
    const inLoss = new ANN(2, [3, 1], { rng: new Random(5) });
    const decayed = new ANN(2, [3, 1], { rng: new Random(5) });
    const [lr, rate] = [0.1, 0.3];
    const dataLoss = (model: ANN) => seLoss(model.forward([0.5, -1])[0], 1);
    dataLoss(inLoss).add(l2Penalty(inLoss.weights()).mul(rate)).backward();
    inLoss.update(lr);
    dataLoss(decayed).backward();
    decayWeights(decayed.weights(), lr, rate);
    decayed.update(lr);
    const [a, b] = [inLoss.parameters(), decayed.parameters()];
    a.forEach((p, i) => {
      const why = `parameter ${i}: L2 with SGD is weight decay, number for number (up to rounding)`;
      expect(p.data, why).toBeCloseTo(b[i].data, 12);
    });
  });

  test("AdamW follows PyTorch's formula: θ −= γλθ, then Adam's step (x² from 1, lr 0.1, weight decay 0.5)", () => {
    const x = new Value(1, [], "", "x");
    const adamw = new AdamW([x], { lr: 0.1, weightDecay: 0.5 });
    const expected = adamwPath(4, { lr: 0.1, weightDecay: 0.5 });
    const mistakes: [number[], string][] = [
      [
        adamwPath(4, { lr: 0.1, weightDecay: 0.5 }, "l2 in the gradient"),
        "the decay went into the gradient (grad += λ · p, then Adam): that is Adam with L2, which Adam's division by " +
          "√v̂ weakens. AdamW shrinks p.data itself: decayWeights(...), then Adam's step",
      ],
      [
        adamwPath(4, { lr: 0.1, weightDecay: 0.5 }, "decay after the step"),
        "the decay came after Adam's step: PyTorch shrinks θ(t−1), the value before the step, so decay first",
      ],
      [
        adamwPath(4, { lr: 0.1, weightDecay: 0.5 }, "decay without lr"),
        "the decay was not scaled by the learning rate: θ −= lr · weightDecay · θ",
      ],
      [adamwPath(4, { lr: 0.1, weightDecay: 0.5 }, "no decay"), "that is plain Adam: decay the parameters first"],
    ];
    for (let i = 0; i < expected.length; i++) {
      adamw.zeroGrad();
      x.pow(2).backward();
      adamw.step();
      const suspects: Suspect[] = mistakes.map(([path, mistake]) => [path[i], mistake]);
      expect(x.data, explain(`AdamW: x after step ${i + 1}`, expected[i], x.data, suspects)).toBeCloseTo(
        expected[i],
        10,
      );
    }
  });

  test("AdamW decays only the parameters in `decay`: a bias left out moves exactly as with Adam", () => {
    const [w, b] = [new Value(1, [], "", "w"), new Value(1, [], "", "b")];
    const adamw = new AdamW([w, b], { lr: 0.1, weightDecay: 0.5, decay: [w] });
    const withoutDecay = adamwPath(3, { lr: 0.1, weightDecay: 0.5 }, "no decay");
    const decayed = adamwPath(3, { lr: 0.1, weightDecay: 0.5 });
    for (let i = 0; i < 3; i++) {
      adamw.zeroGrad();
      w.pow(2).add(b.pow(2)).backward();
      adamw.step();
      expect(
        b.data,
        explain(`the bias after step ${i + 1}`, withoutDecay[i], b.data, [
          [
            decayed[i],
            "the bias was decayed too: shrink only this.decayed (here model.weights()), not every parameter",
          ],
        ]),
      ).toBeCloseTo(withoutDecay[i], 10);
      expect(w.data, `the weight after step ${i + 1}`).toBeCloseTo(decayed[i], 10);
    }
  });

  test("AdamW reads lr and weightDecay at every step: changed between steps, the next step uses the new ones", () => {
    const x = new Value(1);
    const adamw = new AdamW([x], { lr: 0.1, weightDecay: 0.5 });
    x.pow(2).backward();
    adamw.step();
    const after = x.data;
    adamw.zeroGrad();
    adamw.lr = 0.05;
    adamw.weightDecay = 0;
    x.pow(2).backward();
    adamw.step();
    // Step 2 of Adam alone (weight decay 0), at lr 0.05, from where step 1 left x: m and v as before.
    const g1 = 2;
    const g2 = 2 * after;
    const m = 0.9 * (0.1 * g1) + 0.1 * g2;
    const v = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
    const expected = after - (0.05 * (m / (1 - 0.9 ** 2))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(x.data, "the second step with lr 0.05 and no decay").toBeCloseTo(expected, 10);
  });
});
