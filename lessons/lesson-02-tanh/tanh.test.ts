/**
 * Lesson 02: the non-linear operations a neuron needs: tanh (and exp and relu).
 * Make these pass by writing the `lesson-02` regions of src/engine.ts.
 */
import { Value } from "@course/engine";
import { describe, expect, test } from "vitest";
import { diagnose, show, term } from "../test-helpers";

/** Runs one local backward step with out.grad = outGrad and returns the input's grad. */
function localGrad(x: number, op: (v: Value) => Value, outGrad = 2): number {
  const v = new Value(x);
  const out = op(v);
  out.grad = outGrad;
  out.localBackward();
  return v.grad;
}

/**
 * new Value(x).tanh() for a huge x. The constructor rejects NaN, so a tanh that overflows to NaN throws there:
 * this says why, instead of leaving the learner with the constructor's message alone.
 */
function tanhOfHuge(x: number): Value {
  try {
    return new Value(x).tanh();
  } catch (error) {
    if (error instanceof RangeError && /NaN/.test(error.message)) {
      throw new Error(
        `tanh(${x}) came out as NaN (${error.message}) With the formula, e^${2 * Math.abs(x)} is Infinity and ` +
          "(e^2x - 1)/(e^2x + 1) is Infinity/Infinity = NaN: use Math.tanh, which gives ±1.",
      );
    }
    throw error;
  }
}

describe("tanh", () => {
  test("computes the hyperbolic tangent", () => {
    expect(new Value(0).tanh().data).toBe(0);
    expect(new Value(0.5).tanh().data).toBeCloseTo(0.46211715726000974, 15);
    expect(new Value(-2).tanh().data).toBeCloseTo(-0.9640275800758169, 15);
  });

  test("records one child and the op 'tanh'", () => {
    const a = new Value(0.5);
    const out = a.tanh();
    expect(out.children).toEqual([a]);
    expect(out.op).toBe("tanh");
  });

  test("its local derivative is 1 - tanh(x)², times out.grad", () => {
    const t = Math.tanh(0.5);
    const got = localGrad(0.5, (v) => v.tanh());
    expect(
      got,
      `expected (1 - t²) * out.grad = ${show((1 - t * t) * 2)} with t = tanh(0.5) = ${show(t)} and out.grad = 2` +
        diagnose(got, (1 - t * t) * 2, [
          [(1 - t) * 2, "that is (1 - t) * out.grad: the derivative squares t"],
          [1 - t * t, "that is 1 - t² alone: multiply by out.grad"],
        ]),
    ).toBeCloseTo((1 - t * t) * 2, 12);
    expect(
      localGrad(0, (v) => v.tanh(), 1),
      "tanh is steepest at 0, where its slope is exactly 1",
    ).toBe(1);
  });

  test("saturates to ±1 for huge inputs without overflowing to NaN", () => {
    const big = tanhOfHuge(1000);
    const small = tanhOfHuge(-1000);
    expect(big.data, "tanh(1000) is 1").toBe(1);
    expect(small.data, "tanh(-1000) is -1").toBe(-1);
    big.grad = 1;
    big.localBackward();
    expect(big.children[0].grad, "far from 0 tanh is flat, so its slope is 0 (and finite)").toBe(0);
  });
});

describe("exp", () => {
  test("computes e to the power of x", () => {
    expect(new Value(0).exp().data).toBe(1);
    expect(new Value(1).exp().data).toBeCloseTo(Math.E, 15);
    expect(new Value(-2).exp().data).toBeCloseTo(0.1353352832366127, 15);
  });

  test("records one child and the op 'exp'", () => {
    const a = new Value(1);
    const out = a.exp();
    expect(out.children).toEqual([a]);
    expect(out.op).toBe("exp");
  });

  test("its local derivative is e^x itself, times out.grad", () => {
    const got = localGrad(1, (v) => v.exp());
    expect(
      got,
      `d(e^x)/dx = e^x: expected e * out.grad = e * 2 = ${show(2 * Math.E)}` +
        diagnose(got, 2 * Math.E, [
          [2, "that is x * out.grad, the derivative of x²/2: the derivative of e^x is e^x"],
          [Math.E, "that is e^x alone: multiply by out.grad"],
        ]),
    ).toBeCloseTo(2 * Math.E, 12);
    expect(localGrad(-2, (v) => v.exp(), 1)).toBeCloseTo(Math.exp(-2), 15);
  });
});

describe("relu", () => {
  test("keeps positive numbers and turns the rest into 0", () => {
    expect(new Value(3).relu().data).toBe(3);
    expect(new Value(-3).relu().data).toBe(0);
    expect(new Value(0).relu().data).toBe(0);
  });

  test("records one child and the op 'relu'", () => {
    const a = new Value(1);
    const out = a.relu();
    expect(out.children).toEqual([a]);
    expect(out.op).toBe("relu");
  });

  test("its local derivative is 1 where x > 0 and 0 elsewhere, times out.grad", () => {
    expect(
      localGrad(3, (v) => v.relu()),
      "relu passes the grad through where x > 0: expected 1 * out.grad",
    ).toBe(2);
    expect(
      localGrad(-3, (v) => v.relu()),
      "relu blocks the grad where x < 0",
    ).toBe(0);
    expect(
      localGrad(0, (v) => v.relu()),
      "at exactly 0 we follow micrograd and use 0 (x > 0, not x >= 0)",
    ).toBe(0);
  });
});

/** The three operations of this lesson, each at a point where its slope is not 0, and that slope. */
const OPS: { op: string; make: (v: Value) => Value; x: number; slope: number }[] = [
  { op: "tanh()", make: (v) => v.tanh(), x: 0.5, slope: 1 - Math.tanh(0.5) ** 2 },
  { op: "exp()", make: (v) => v.exp(), x: 0.5, slope: Math.exp(0.5) },
  { op: "relu()", make: (v) => v.relu(), x: 1.5, slope: 1 },
];

describe("every local step adds to the grad already there (+=, not =)", () => {
  // A node can feed several others: each of their steps adds its own share to the node's grad.
  for (const c of OPS) {
    test(`${c.op} adds its share to the grad its input already has`, () => {
      const a = new Value(c.x, [], "", "a");
      a.grad = 10;
      const out = c.make(a);
      out.grad = 2;
      out.localBackward();
      const share = c.slope * 2;
      expect(
        a.grad,
        `a = ${c.x} already had grad 10, and a.${c.op} with out.grad = 2 must add its share ${show(share)}: ` +
          `expected 10 + ${term(share)} = ${show(10 + share)}` +
          diagnose(a.grad, 10 + share, [
            [share, `the share alone: ${c.op}'s step assigned (=) to this.grad instead of adding to it (+=)`],
          ]),
      ).toBeCloseTo(10 + share, 12);
    });

    test(`a node used by two ${c.op} nodes gets both shares`, () => {
      const a = new Value(c.x, [], "", "a");
      const first = c.make(a);
      const second = c.make(a);
      first.grad = 2;
      second.grad = 3;
      first.localBackward();
      second.localBackward();
      const shares = [c.slope * 2, c.slope * 3];
      const both = shares[0] + shares[1];
      expect(
        a.grad,
        `a = ${c.x} feeds two nodes a.${c.op}, with out.grad 2 and 3: its grad is the sum of both shares, ` +
          `${show(shares[0])} + ${term(shares[1])} = ${show(both)}` +
          diagnose(a.grad, both, [
            [
              shares[1],
              `only the second node's share: ${c.op}'s step assigned (=) to this.grad instead of adding (+=)`,
            ],
          ]),
      ).toBeCloseTo(both, 12);
    });
  }
});
