/**
 * Lesson 02: the non-linear operations a neuron needs: tanh (and exp and relu).
 * Make these pass by writing the `lesson-02` regions of src/engine.ts.
 */
import { Value } from "@course/engine";
import { describe, expect, test } from "vitest";

/** Runs one local backward step with out.grad = outGrad and returns the input's grad. */
function localGrad(x: number, op: (v: Value) => Value, outGrad = 2): number {
  const v = new Value(x);
  const out = op(v);
  out.grad = outGrad;
  out.localBackward();
  return v.grad;
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
    expect(
      localGrad(0.5, (v) => v.tanh()),
      `expected (1 - t²) * out.grad with t = tanh(0.5) = ${t.toFixed(4)}. ` +
        "Got (1 - t) * 2 = 1.0758? The derivative squares t. Got 1 - t² without the 2? Multiply by out.grad",
    ).toBeCloseTo((1 - t * t) * 2, 12);
    expect(
      localGrad(0, (v) => v.tanh(), 1),
      "tanh is steepest at 0, where its slope is exactly 1",
    ).toBe(1);
  });

  test("the local step adds to the input's grad (+=)", () => {
    const a = new Value(0);
    a.grad = 3;
    const out = a.tanh();
    out.grad = 1;
    out.localBackward();
    expect(a.grad, "3 + 1: the step must add to the grad already there").toBe(4);
  });

  test("saturates to ±1 for huge inputs without overflowing to NaN", () => {
    const big = new Value(1000).tanh();
    const small = new Value(-1000).tanh();
    expect(big.data, "tanh(1000) is 1. NaN? (e^2000 - 1)/(e^2000 + 1) is Infinity/Infinity: use Math.tanh").toBe(1);
    expect(small.data).toBe(-1);
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
    expect(
      localGrad(1, (v) => v.exp()),
      "d(e^x)/dx = e^x; expected e * 2",
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
      "at exactly 0 we follow micrograd and use 0",
    ).toBe(0);
  });
});
