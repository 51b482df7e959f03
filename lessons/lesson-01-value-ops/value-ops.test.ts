/**
 * Lesson 01: a Value wraps a number and remembers how it was computed.
 * Make these pass by writing the `lesson-01` regions of src/engine.ts.
 */
import { Value } from "@course/engine";
import { describe, expect, test } from "vitest";

describe("a Value wraps a number", () => {
  test("it keeps the number in data and starts with grad 0", () => {
    const a = new Value(3.5);
    expect(a.data, "new Value(3.5).data should be the number you passed in").toBe(3.5);
    expect(a.grad, "a new Value has not been through backward(), so its grad starts at 0").toBe(0);
  });

  test("an input has no children and no op, and keeps the label you give it", () => {
    const a = new Value(-2, [], "", "a");
    expect(a.children, "an input was not computed from anything: children should be []").toEqual([]);
    expect(a.op, "an input has no op: op should be the empty string").toBe("");
    expect(a.label, "the 4th constructor argument is the label").toBe("a");
    expect(new Value(1).label, "the label defaults to the empty string").toBe("");
  });
});

describe("each operation builds a new node of the graph", () => {
  test("a.add(b) makes a node whose children are [a, b] and whose op is '+'", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const c = a.add(b);
    expect(c.children.length, "c = a + b was computed from exactly two values").toBe(2);
    expect(c.children[0], "the first child of a.add(b) should be a itself (the same object, not a copy)").toBe(a);
    expect(c.children[1], "the second child of a.add(b) should be b itself").toBe(b);
    expect(c.op).toBe("+");
  });

  test("the ops are named '+', '-', '*', '/', 'neg' and '**n'", () => {
    const a = new Value(2);
    expect(a.sub(1).op).toBe("-");
    expect(a.mul(1).op).toBe("*");
    expect(a.div(1).op).toBe("/");
    expect(a.neg().op).toBe("neg");
    expect(a.pow(3).op, "pow records its exponent in the op, like micrograd: '**3'").toBe("**3");
  });

  test("a plain number operand is wrapped in a Value child", () => {
    const a = new Value(2);
    const c = a.mul(5);
    expect(c.children[0]).toBe(a);
    expect(c.children[1], "a.mul(5) should wrap 5 in a new Value so it can sit in the graph").toBeInstanceOf(Value);
    expect(c.children[1].data).toBe(5);
  });

  test("neg and pow have a single child", () => {
    const a = new Value(2);
    expect(a.neg().children, "-a was computed from a alone").toEqual([a]);
    expect(a.pow(2).children, "a**2 was computed from a alone: the exponent is a plain number, not a node").toEqual([
      a,
    ]);
  });

  test("an operation never changes its inputs", () => {
    const a = new Value(2);
    const b = new Value(3);
    a.add(b).mul(a).sub(b).div(b).neg().pow(2);
    expect([a.data, b.data], "operations return a new Value; a and b must keep their data").toEqual([2, 3]);
    expect([a.grad, b.grad], "the forward pass must not touch grads").toEqual([0, 0]);
  });
});

describe("the forward pass computes the right numbers", () => {
  test("add, sub, mul and div", () => {
    const a = new Value(6);
    const b = new Value(-4);
    expect(a.add(b).data).toBe(2);
    expect(a.sub(b).data, "6 - (-4) is 10: did you compute b - a?").toBe(10);
    expect(a.mul(b).data).toBe(-24);
    expect(a.div(b).data, "6 / -4 is -1.5: did you compute b / a?").toBe(-1.5);
  });

  test("numbers are accepted as the other operand", () => {
    const a = new Value(6);
    expect(a.add(1).data).toBe(7);
    expect(a.sub(1).data).toBe(5);
    expect(a.mul(0.5).data).toBe(3);
    expect(a.div(4).data).toBe(1.5);
  });

  test("a number on the left is written by wrapping it: 2 - a is new Value(2).sub(a)", () => {
    const a = new Value(6);
    expect(new Value(2).sub(a).data).toBe(-4);
    expect(a.neg().add(2).data, "-a + 2 is the same number as 2 - a").toBe(-4);
  });

  test("neg and pow", () => {
    const a = new Value(3);
    expect(a.neg().data).toBe(-3);
    expect(a.pow(2).data).toBe(9);
    expect(a.pow(-1).data).toBeCloseTo(1 / 3, 15);
    expect(new Value(4).pow(0.5).data, "pow works for fractional exponents too: 4**0.5 = 2").toBe(2);
  });

  test("expressions chain: (a * b + c) ** 2", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const c = new Value(10);
    expect(a.mul(b).add(c).pow(2).data).toBe(16);
  });
});

describe("bad input fails at once, with a clear message", () => {
  test("an operand that is not a Value or a number", () => {
    const a = new Value(1);
    // @ts-expect-error: a string is not an Operand; the check also protects plain JavaScript callers.
    expect(() => a.add("2")).toThrow(/expected a Value or a number/);
    // @ts-expect-error: neither is an array
    expect(() => a.mul([2])).toThrow(/expected a Value or a number/);
  });

  test("a non-finite number", () => {
    const a = new Value(1);
    expect(() => a.add(Number.NaN)).toThrow(/NaN/);
    expect(() => a.mul(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

/**
 * The local backward step: each op stores, on its output, how to pass the output's grad to its
 * children (the chain rule for one node): child.grad += (d out / d child) * out.grad.
 * These tests set out.grad by hand and call out.localBackward() once.
 */
describe("each op knows its local derivative", () => {
  test("an input's localBackward does nothing (and does not throw)", () => {
    const a = new Value(5);
    a.grad = 1;
    a.localBackward();
    expect(a.grad).toBe(1);
  });

  test("add: d(a + b)/da = 1 and d(a + b)/db = 1, times out.grad", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.add(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad, "a.grad should be 1 * out.grad = 2: did you multiply by out.grad?").toBe(2);
    expect(b.grad, "b.grad should be 1 * out.grad = 2").toBe(2);
  });

  test("sub: d(a - b)/da = 1 and d(a - b)/db = -1, times out.grad", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.sub(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad).toBe(2);
    expect(b.grad, "b is subtracted, so its grad is -1 * out.grad = -2").toBe(-2);
  });

  test("mul: d(a * b)/da = b and d(a * b)/db = a, times out.grad", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.mul(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad, "d(a*b)/da is b: expected b.data * out.grad = -3 * 2. Did you use a.data instead of b.data?").toBe(
      -6,
    );
    expect(b.grad, "d(a*b)/db is a: expected a.data * out.grad = 2 * 2").toBe(4);
  });

  test("div: d(a / b)/da = 1/b and d(a / b)/db = -a/b², times out.grad", () => {
    const a = new Value(3);
    const b = new Value(-2);
    const out = a.div(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad, "expected (1 / b) * out.grad = (1 / -2) * 2").toBeCloseTo(-1, 12);
    expect(b.grad, "expected (-a / b²) * out.grad = (-3 / 4) * 2").toBeCloseTo(-1.5, 12);
  });

  test("neg: d(-a)/da = -1, times out.grad", () => {
    const a = new Value(3);
    const out = a.neg();
    out.grad = 2;
    out.localBackward();
    expect(a.grad).toBe(-2);
  });

  test("pow: d(a**n)/da = n * a**(n-1), times out.grad", () => {
    const a = new Value(3);
    const square = a.pow(2);
    square.grad = 2;
    square.localBackward();
    expect(a.grad, "d(a²)/da = 2a: expected 2 * 3 * out.grad = 12").toBe(12);

    const b = new Value(2);
    const inverse = b.pow(-1);
    inverse.grad = 1;
    inverse.localBackward();
    expect(b.grad, "d(b⁻¹)/db = -1 * b⁻² = -0.25").toBeCloseTo(-0.25, 12);
  });

  test("a number operand gets a grad too, even though nobody reads it", () => {
    const a = new Value(2);
    const out = a.mul(5);
    out.grad = 1;
    out.localBackward();
    expect(a.grad).toBe(5);
    expect(out.children[1].grad).toBe(2);
  });

  test("when the same Value is both operands, both contributions add up (+=, not =)", () => {
    const a = new Value(3);
    const sum = a.add(a);
    sum.grad = 1;
    sum.localBackward();
    expect(a.grad, "a + a = 2a, so the grad is 2. Got 1? The second assignment overwrote the first: use +=").toBe(2);

    const b = new Value(3);
    const product = b.mul(b);
    product.grad = 1;
    product.localBackward();
    expect(b.grad, "b * b = b², so the grad is 2b = 6. Got 3? Use += in mul's local step").toBe(6);
  });

  test("a local step adds to a grad that is already there (+=, not =)", () => {
    const a = new Value(2);
    const b = new Value(4);
    a.grad = 10;
    const out = a.mul(b);
    out.grad = 1;
    out.localBackward();
    expect(a.grad, "gradients accumulate: 10 + b = 14. Got 4? You assigned instead of adding").toBe(14);
  });
});
