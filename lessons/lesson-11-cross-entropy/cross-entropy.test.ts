/**
 * Lesson 11: sigmoid, log and softplus in the engine, and binary cross-entropy on a probability and from a logit.
 * Make these pass by writing the `lesson-11` regions of src/engine.ts and src/loss.ts.
 */
import { type Dataset, makeMoons, trainTestSplit } from "@course/data";
import { Value } from "@course/engine";
import { expectGradientsToMatch } from "@course/gradcheck";
import { bceLoss, bceWithLogitsLoss, seLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { explain, rangeErrorFrom, type Suspect } from "../test-helpers";

const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

/** One call of `out.localBackward()` for `out = op(x)`, with `out.grad` set and `x.grad` already `before`. */
function localGrad(x: number, op: (v: Value) => Value, outGrad: number, before = 0): number {
  const input = new Value(x);
  input.grad = before;
  const out = op(input);
  out.grad = outGrad;
  out.localBackward();
  return input.grad;
}

/** The mistakes of a local step that every op can make, given the right local derivative. */
function commonSuspects(derivative: number, outGrad: number, before: number): Suspect[] {
  return [
    [derivative * outGrad, "the grad that was already there is gone: the local step must add to it (+=, not =)."],
    [before + derivative, "that is the local derivative alone: multiply it by out.grad."],
  ];
}

describe("sigmoid", () => {
  test("squashes any number into (0, 1): sigmoid(0) = 0.5, sigmoid(2) ≈ 0.8808, sigmoid(-2) ≈ 0.1192", () => {
    for (const x of [0, 2, -2]) {
      const got = new Value(x).sigmoid().data;
      expect(
        got,
        explain(`sigmoid(${x})`, sigmoidOf(x), got, [
          [1 / (1 + Math.exp(x)), "that is 1 / (1 + e^x): the exponent is -x."],
          [Math.exp(-x) / (1 + Math.exp(-x)), "that is 1 - sigmoid(x): the numerator is 1, not e^-x."],
        ]),
      ).toBeCloseTo(sigmoidOf(x), 15);
    }
  });

  test("records one child and the op 'sigmoid'", () => {
    const x = new Value(0.5);
    const out = x.sigmoid();
    expect(out.children, "sigmoid(x) was computed from x alone").toEqual([x]);
    expect(out.op).toBe("sigmoid");
  });

  test("its local derivative is s · (1 − s), times out.grad", () => {
    const s = sigmoidOf(0.5);
    const expected = s * (1 - s) * 2;
    const got = localGrad(0.5, (v) => v.sigmoid(), 2);
    expect(
      got,
      explain("sigmoid's local step at x = 0.5, out.grad = 2: x.grad", expected, got, [
        ...commonSuspects(s * (1 - s), 2, 0),
        [s * 2, "that is s · out.grad: the derivative of sigmoid is s · (1 − s), not s."],
        [(1 - s) * 2, "that is (1 − s) · out.grad: the derivative of sigmoid is s · (1 − s)."],
        [(1 - s * s) * 2, "that is (1 − s²) · out.grad, tanh's derivative: sigmoid's is s · (1 − s)."],
      ]),
    ).toBeCloseTo(expected, 12);
  });

  test("its local step adds to the grad already in x (+=, not =)", () => {
    const s = sigmoidOf(0.5);
    const expected = 3 + s * (1 - s);
    const got = localGrad(0.5, (v) => v.sigmoid(), 1, 3);
    expect(
      got,
      explain("sigmoid's local step with x.grad = 3 before, out.grad = 1: x.grad", expected, got, [
        ...commonSuspects(s * (1 - s), 1, 3),
      ]),
    ).toBeCloseTo(expected, 12);
  });

  test("a Value read by two sigmoids gets the gradient of both", () => {
    const x = new Value(0.5);
    x.sigmoid().add(x.sigmoid()).backward();
    const slope = sigmoidOf(0.5) * (1 - sigmoidOf(0.5));
    expect(
      x.grad,
      explain("x.grad after backward() of sigmoid(x) + sigmoid(x)", 2 * slope, x.grad, [
        [slope, "the second sigmoid's local step overwrote the first's: x in sigmoid needs +=, not =."],
      ]),
    ).toBeCloseTo(2 * slope, 12);
  });

  test("stays finite at ±1000: sigmoid(1000) = 1 and sigmoid(-1000) = 0, both with slope 0", () => {
    for (const [x, expected] of [
      [1000, 1],
      [-1000, 0],
    ]) {
      const input = new Value(x);
      const out = input.sigmoid();
      expect(out.data, `sigmoid(${x}) should be ${expected} (got NaN? e^x overflowed: use 1 / (1 + e^-x))`).toBe(
        expected,
      );
      out.grad = 1;
      out.localBackward();
      expect(input.grad, `the slope of sigmoid at ${x} is s · (1 − s) = 0`).toBe(0);
    }
  });

  test("gradcheck: backward agrees with the numeric gradient through sigmoid", () => {
    const x = new Value(0.7, [], "", "x");
    const w = new Value(-1.3, [], "", "w");
    expectGradientsToMatch([x, w], () => x.mul(w).sigmoid());
  });
});

describe("log", () => {
  test("computes the natural logarithm: ln 1 = 0, ln e = 1, ln 0.5 ≈ −0.6931", () => {
    for (const x of [1, Math.E, 0.5]) {
      const got = new Value(x).log().data;
      expect(
        got,
        explain(`ln(${x})`, Math.log(x), got, [
          [Math.log10(x), "that is the base-10 logarithm: use Math.log, the natural one."],
        ]),
      ).toBeCloseTo(Math.log(x), 15);
    }
  });

  test("records one child and the op 'log'", () => {
    const x = new Value(2);
    const out = x.log();
    expect(out.children, "ln(x) was computed from x alone").toEqual([x]);
    expect(out.op).toBe("log");
  });

  test("its local derivative is 1 / x, times out.grad", () => {
    const got = localGrad(4, (v) => v.log(), 2);
    expect(
      got,
      explain("log's local step at x = 4, out.grad = 2: x.grad", 0.5, got, [
        ...commonSuspects(1 / 4, 2, 0),
        [4 * 2, "that is x · out.grad: the derivative of ln x is 1 / x."],
        [Math.log(4) * 2, "that is ln(x) · out.grad: the derivative of ln x is 1 / x."],
        [-2 / 16, "that is -1 / x² · out.grad, the derivative of 1 / x: the derivative of ln x is 1 / x."],
      ]),
    ).toBeCloseTo(0.5, 12);
  });

  test("its local step adds to the grad already in x (+=, not =)", () => {
    const got = localGrad(4, (v) => v.log(), 1, 3);
    expect(
      got,
      explain("log's local step with x.grad = 3 before, out.grad = 1: x.grad", 3.25, got, commonSuspects(0.25, 1, 3)),
    ).toBeCloseTo(3.25, 12);
  });

  test("a Value read by two logs gets the gradient of both", () => {
    const x = new Value(4);
    x.log().add(x.log()).backward();
    expect(
      x.grad,
      explain("x.grad after backward() of ln(x) + ln(x)", 0.5, x.grad, [
        [0.25, "the second log's local step overwrote the first's: x in log needs +=, not =."],
      ]),
    ).toBeCloseTo(0.5, 12);
  });

  test("refuses 0 and negative numbers with a RangeError that names the op and the number", () => {
    for (const x of [0, -1]) {
      const error = rangeErrorFrom(() => new Value(x).log(), `ln(${x}) is undefined`);
      expect(error.message, `the RangeError for ln(${x}) should say "log" and ${x}`).toMatch(new RegExp(`log.*${x}`));
    }
  });

  test("gradcheck: backward agrees with the numeric gradient through log", () => {
    const x = new Value(0.3, [], "", "x");
    const y = new Value(2.5, [], "", "y");
    expectGradientsToMatch([x, y], () => x.mul(y).log());
  });
});

describe("softplus", () => {
  test("computes ln(1 + e^x): softplus(0) = ln 2, softplus(2) ≈ 2.1269, softplus(-2) ≈ 0.1269", () => {
    for (const x of [0, 2, -2]) {
      const expected = Math.log(1 + Math.exp(x));
      const got = new Value(x).softplus().data;
      expect(
        got,
        explain(`softplus(${x})`, expected, got, [
          [Math.log(1 + Math.exp(-x)), "that is ln(1 + e^-x), softplus(-x): the exponent is +x."],
          [Math.max(x, 0), "that is max(x, 0) alone: add ln(1 + e^-|x|)."],
          [Math.log1p(Math.exp(-Math.abs(x))), "that is ln(1 + e^-|x|) alone: add max(x, 0)."],
        ]),
      ).toBeCloseTo(expected, 14);
    }
  });

  test("records one child and the op 'softplus'", () => {
    const x = new Value(1);
    const out = x.softplus();
    expect(out.children, "softplus(x) was computed from x alone").toEqual([x]);
    expect(out.op).toBe("softplus");
  });

  test("its local derivative is sigmoid(x), times out.grad", () => {
    for (const x of [0.5, -0.5]) {
      const expected = sigmoidOf(x) * 2;
      const got = localGrad(x, (v) => v.softplus(), 2);
      expect(
        got,
        explain(`softplus's local step at x = ${x}, out.grad = 2: x.grad`, expected, got, [
          ...commonSuspects(sigmoidOf(x), 2, 0),
          [sigmoidOf(-x) * 2, "that is sigmoid(-x) · out.grad: the derivative of ln(1 + e^x) is sigmoid(+x)."],
          [Math.exp(x) * 2, "that is e^x · out.grad: divide by 1 + e^x, which gives sigmoid(x)."],
          [Math.log(1 + Math.exp(x)) * 2, "that is softplus(x) itself: its derivative is sigmoid(x)."],
        ]),
      ).toBeCloseTo(expected, 12);
    }
  });

  test("its local step adds to the grad already in x (+=, not =)", () => {
    const expected = 3 + sigmoidOf(0.5);
    const got = localGrad(0.5, (v) => v.softplus(), 1, 3);
    expect(
      got,
      explain(
        "softplus's local step with x.grad = 3 before, out.grad = 1: x.grad",
        expected,
        got,
        commonSuspects(sigmoidOf(0.5), 1, 3),
      ),
    ).toBeCloseTo(expected, 12);
  });

  test("a Value read by two softpluses gets the gradient of both", () => {
    const x = new Value(0.5);
    x.softplus().add(x.softplus()).backward();
    expect(
      x.grad,
      explain("x.grad after backward() of softplus(x) + softplus(x)", 2 * sigmoidOf(0.5), x.grad, [
        [sigmoidOf(0.5), "the second softplus's local step overwrote the first's: x in softplus needs +=, not =."],
      ]),
    ).toBeCloseTo(2 * sigmoidOf(0.5), 12);
  });

  test("stays finite where e^x overflows: softplus(1000) = 1000 with slope 1, softplus(-1000) = 0 with slope 0", () => {
    for (const [x, value, slope] of [
      [1000, 1000, 1],
      [-1000, 0, 0],
    ]) {
      const input = new Value(x);
      const out = input.softplus();
      expect(
        out.data,
        `softplus(${x}) should be ${value}. Infinity? ln(1 + e^${x}) overflowed: use max(x, 0) + ln(1 + e^-|x|)`,
      ).toBe(value);
      out.grad = 1;
      out.localBackward();
      expect(input.grad, `the slope of softplus at ${x} is sigmoid(${x}) = ${slope}`).toBe(slope);
    }
  });

  test("gradcheck: backward agrees with the numeric gradient through softplus", () => {
    const x = new Value(-0.4, [], "", "x");
    const w = new Value(2.2, [], "", "w");
    expectGradientsToMatch([x, w], () => x.mul(w).softplus());
  });
});

describe("bceLoss(prob, label): binary cross-entropy on a probability", () => {
  test("is −ln p for the label 1: p = 0.8 costs −ln 0.8 ≈ 0.2231", () => {
    const got = bceLoss(new Value(0.8), 1).data;
    expect(
      got,
      explain("bceLoss(0.8, 1)", -Math.log(0.8), got, [
        [-Math.log(0.2), "that is −ln(1 − p), the cost for the label 0: for the label 1 it is −ln p."],
        [Math.log(0.8), "that is ln p: the loss is its negative, −ln p, so that it is never below 0."],
      ]),
    ).toBeCloseTo(-Math.log(0.8), 14);
  });

  test("is −ln(1 − p) for the label 0: p = 0.8 costs −ln 0.2 ≈ 1.6094", () => {
    const got = bceLoss(new Value(0.8), 0).data;
    expect(
      got,
      explain("bceLoss(0.8, 0)", -Math.log(0.2), got, [
        [-Math.log(0.8), "that is −ln p, the cost for the label 1: for the label 0 it is −ln(1 − p)."],
        [Math.log(0.2), "that is ln(1 − p): the loss is its negative."],
      ]),
    ).toBeCloseTo(-Math.log(0.2), 14);
  });

  test("a confident right answer costs almost nothing and a confident wrong one a lot", () => {
    expect(bceLoss(new Value(0.99), 1).data, "p = 0.99 for the label 1: −ln 0.99 ≈ 0.01").toBeCloseTo(
      -Math.log(0.99),
      14,
    );
    expect(bceLoss(new Value(0.99), 0).data, "p = 0.99 for the label 0: −ln 0.01 ≈ 4.6").toBeCloseTo(
      -Math.log(0.01),
      12,
    );
  });

  test("its gradient is −1/p for the label 1 and 1/(1 − p) for the label 0", () => {
    const p1 = new Value(0.8);
    bceLoss(p1, 1).backward();
    expect(p1.grad, explain("d bceLoss(p, 1)/dp at p = 0.8", -1.25, p1.grad)).toBeCloseTo(-1.25, 12);
    const p0 = new Value(0.8);
    bceLoss(p0, 0).backward();
    expect(
      p0.grad,
      explain("d bceLoss(p, 0)/dp at p = 0.8", 5, p0.grad, [
        [-5, "the sign is wrong: build 1 − p as new Value(1).sub(p), so that p is subtracted."],
      ]),
    ).toBeCloseTo(5, 12);
  });

  test("refuses a probability of 1 for the label 0 (−ln 0) with a RangeError, not Infinity", () => {
    const error = rangeErrorFrom(() => bceLoss(new Value(1), 0), "bceLoss(1, 0) is −ln 0, which is Infinity");
    expect(error.message, "the RangeError comes from log, which refuses 0").toMatch(/log/);
  });

  test("gradcheck: backward agrees with the numeric gradient through sigmoid and bceLoss", () => {
    const z = new Value(0.6, [], "", "z");
    expectGradientsToMatch([z], () => bceLoss(z.sigmoid(), 1));
    expectGradientsToMatch([z], () => bceLoss(z.sigmoid(), 0));
  });
});

describe("bceWithLogitsLoss(logit, label): binary cross-entropy from a logit", () => {
  test("equals bceLoss of the sigmoid: z = 2 costs ≈ 0.1269 for the label 1 and ≈ 2.1269 for the label 0", () => {
    for (const label of [1, 0]) {
      const expected = label === 1 ? -Math.log(sigmoidOf(2)) : -Math.log(1 - sigmoidOf(2));
      const got = bceWithLogitsLoss(new Value(2), label).data;
      expect(
        got,
        explain(`bceWithLogitsLoss(2, ${label})`, expected, got, [
          [Math.log(1 + Math.exp(2)), "that is softplus(z) alone: subtract label · z."],
          [Math.log(1 + Math.exp(2)) + label * 2, "that adds label · z: softplus(z) − label · z."],
        ]),
      ).toBeCloseTo(expected, 14);
    }
  });

  test("its gradient with respect to the logit is sigmoid(z) − label", () => {
    for (const label of [1, 0]) {
      const z = new Value(2);
      bceWithLogitsLoss(z, label).backward();
      const expected = sigmoidOf(2) - label;
      expect(z.grad, explain(`d bceWithLogitsLoss(z, ${label})/dz at z = 2`, expected, z.grad)).toBeCloseTo(
        expected,
        12,
      );
    }
  });

  test("stays finite at z = ±1000: the loss is 1000 or 0 and the gradient sigmoid(z) − label", () => {
    const cases = [
      { z: 1000, label: 0, loss: 1000, grad: 1 },
      { z: -1000, label: 1, loss: 1000, grad: -1 },
      { z: 1000, label: 1, loss: 0, grad: 0 },
      { z: -1000, label: 0, loss: 0, grad: 0 },
    ];
    for (const c of cases) {
      const z = new Value(c.z);
      const loss = bceWithLogitsLoss(z, c.label);
      loss.backward();
      expect(
        loss.data,
        `bceWithLogitsLoss(${c.z}, ${c.label}) should be ${c.loss}. Infinity? softplus must not compute e^${c.z}`,
      ).toBe(c.loss);
      expect(z.grad, `its gradient is sigmoid(${c.z}) − ${c.label} = ${c.grad}`).toBe(c.grad);
    }
  });

  test("gradcheck: backward gives every parameter of a network the right gradient of the loss", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    const xs = [
      [0.5, -1],
      [1, 0.3],
      [-0.7, 0.2],
    ];
    const labels = [1, 0, 1];
    expectGradientsToMatch(net.parameters(), () =>
      xs.map((x, i) => bceWithLogitsLoss(net.forward(x)[0], labels[i])).reduce((sum, loss) => sum.add(loss)),
    );
  });
});

describe("cross-entropy against squared error, for a classifier with a sigmoid output", () => {
  test("on a confident wrong answer (z = −6, label 1) the gradient on z is large with cross-entropy and tiny with squared error", () => {
    const zCe = new Value(-6);
    bceWithLogitsLoss(zCe, 1).backward();
    const zSe = new Value(-6);
    seLoss(zSe.sigmoid(), 1).backward();
    expect(zCe.grad, "cross-entropy: sigmoid(−6) − 1 ≈ −0.9975").toBeCloseTo(sigmoidOf(-6) - 1, 12);
    expect(
      Math.abs(zCe.grad),
      `squared error gives 2 · (p − 1) · p · (1 − p) = ${zSe.grad.toFixed(5)}: cross-entropy should be over 100 times larger`,
    ).toBeGreaterThan(100 * Math.abs(zSe.grad));
  });

  test("a confidently wrong network on two moons recovers in one epoch with cross-entropy, not with squared error", () => {
    for (const seed of [1, 2, 3]) {
      const se = confidentlyWrong(seed);
      const ce = confidentlyWrong(seed);
      const before = testAccuracy(se.net, se.test);
      epoch(se.net, se.train, (z, y) => seLoss(z.sigmoid(), y));
      epoch(ce.net, ce.train, bceWithLogitsLoss);
      const [afterSe, afterCe] = [testAccuracy(se.net, se.test), testAccuracy(ce.net, ce.test)];
      expect(
        afterCe,
        `seed ${seed}: test accuracy ${before} before, after one epoch ${afterSe} with squared error and ${afterCe} ` +
          "with cross-entropy. Cross-entropy should be at least 0.3 ahead",
      ).toBeGreaterThan(afterSe + 0.3);
    }
  });
});

// The experiment of the README, smaller: a network trained with cross-entropy, then told the opposite of what it
// learned, three times as confidently (its output neuron multiplied by -3).

function moons(seed: number): { train: Dataset; test: Dataset } {
  return trainTestSplit(makeMoons(100, { noise: 0.2, seed }), { seed });
}

function epoch(net: ANN, data: Dataset, loss: (z: Value, label: number) => Value): void {
  data.x.forEach((x, i) => {
    net.zeroGrad();
    loss(net.forward(x)[0], data.y[i]).backward();
    net.update(0.1);
  });
}

function testAccuracy(net: ANN, data: Dataset): number {
  const right = data.x.filter((x, i) => (net.forward(x)[0].data >= 0 ? 1 : 0) === data.y[i]).length;
  return right / data.x.length;
}

function confidentlyWrong(seed: number): { net: ANN; train: Dataset; test: Dataset } {
  const { train, test } = moons(seed);
  const net = new ANN(2, [8, 1], { rng: new Random(seed) });
  for (let i = 0; i < 10; i++) epoch(net, train, bceWithLogitsLoss);
  for (const p of net.layers[1].parameters()) p.data *= -3;
  return { net, train, test };
}
