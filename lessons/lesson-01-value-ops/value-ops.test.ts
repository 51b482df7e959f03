/**
 * Lesson 01: a Value wraps a number and remembers how it was computed.
 * Make these pass by writing the `lesson-01` regions of src/engine.ts.
 */
import { type Operand, Value } from "@course/engine";
import { describe, expect, test } from "vitest";
import { diagnose, show, term } from "../test-helpers";

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
    const difference = a.sub(b).data;
    expect(difference, `6 - (-4) is 10${diagnose(difference, 10, [[-10, "that is b - a"]])}`).toBe(10);
    expect(a.mul(b).data).toBe(-24);
    const quotient = a.div(b).data;
    expect(quotient, `6 / -4 is -1.5${diagnose(quotient, -1.5, [[-4 / 6, "that is b / a"]])}`).toBe(-1.5);
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
 * These tests set out.grad by hand and call out.localBackward() once per node (lesson 04's backward()
 * will do that for the whole graph).
 */

type Binary = "add" | "sub" | "mul" | "div";

/** The four operations with two operands and their local derivatives, as in the README's table. */
const BINARY: {
  op: Binary;
  symbol: string;
  /** d(a op b)/da: the share of `this`, the left operand. */
  dThis: (a: number, b: number) => number;
  /** d(a op b)/db: the share of `that`, the right operand. */
  dThat: (a: number, b: number) => number;
}[] = [
  { op: "add", symbol: "+", dThis: () => 1, dThat: () => 1 },
  { op: "sub", symbol: "-", dThis: () => 1, dThat: () => -1 },
  { op: "mul", symbol: "*", dThis: (_, b) => b, dThat: (a) => a },
  { op: "div", symbol: "/", dThis: (_, b) => 1 / b, dThat: (a, b) => -a / (b * b) },
];

/** Each binary operation once per operand: the left one (`this`) and the right one (`that`). */
const OPERANDS = BINARY.flatMap((c) => [
  { ...c, side: "left operand (this)", who: "this", d: c.dThis },
  { ...c, side: "right operand (that)", who: "that", d: c.dThat },
]);

/** `a.op(b)`, for an op named in a table. */
const apply = (op: Binary, a: Value, b: Operand): Value => a[op](b);

/** The operations with a single operand (`this`), and their local derivatives. */
const UNARY: { op: string; make: (v: Value) => Value; d: (x: number) => number }[] = [
  { op: "neg()", make: (v) => v.neg(), d: () => -1 },
  { op: "pow(2)", make: (v) => v.pow(2), d: (x) => 2 * x },
  { op: "pow(3)", make: (v) => v.pow(3), d: (x) => 3 * x * x },
];

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
    const forgot = "the local derivative 1 without out.grad: multiply by out.grad";
    expect(a.grad, `a.grad should be 1 * out.grad = 2${diagnose(a.grad, 2, [[1, forgot]])}`).toBe(2);
    expect(b.grad, `b.grad should be 1 * out.grad = 2${diagnose(b.grad, 2, [[1, forgot]])}`).toBe(2);
  });

  test("sub: d(a - b)/da = 1 and d(a - b)/db = -1, times out.grad", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.sub(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad, "a.grad should be 1 * out.grad = 2").toBe(2);
    expect(
      b.grad,
      `b is subtracted, so its grad is -1 * out.grad = -2${diagnose(b.grad, -2, [[2, "b needs the minus sign"]])}`,
    ).toBe(-2);
  });

  test("mul: d(a * b)/da = b and d(a * b)/db = a, times out.grad", () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.mul(b);
    out.grad = 2;
    out.localBackward();
    const swapped = "that is the operand's own data times out.grad: d(a*b)/da is the other factor";
    expect(
      a.grad,
      `d(a*b)/da is b: expected b.data * out.grad = -3 * 2 = -6${diagnose(a.grad, -6, [[4, swapped]])}`,
    ).toBe(-6);
    expect(
      b.grad,
      `d(a*b)/db is a: expected a.data * out.grad = 2 * 2 = 4${diagnose(b.grad, 4, [[-6, swapped]])}`,
    ).toBe(4);
  });

  test("div: d(a / b)/da = 1/b and d(a / b)/db = -a/b², times out.grad", () => {
    const a = new Value(3);
    const b = new Value(-2);
    const out = a.div(b);
    out.grad = 2;
    out.localBackward();
    expect(a.grad, "expected (1 / b) * out.grad = (1 / -2) * 2 = -1").toBeCloseTo(-1, 12);
    expect(
      b.grad,
      `expected (-a / b²) * out.grad = (-3 / 4) * 2 = -1.5${diagnose(b.grad, -1.5, [[1.5, "the minus of -a / b² is missing"]])}`,
    ).toBeCloseTo(-1.5, 12);
  });

  test("neg: d(-a)/da = -1, times out.grad", () => {
    const a = new Value(3);
    const out = a.neg();
    out.grad = 2;
    out.localBackward();
    expect(a.grad, `expected -1 * out.grad = -2${diagnose(a.grad, -2, [[2, "the minus sign is missing"]])}`).toBe(-2);
  });

  test("pow: d(a**n)/da = n * a**(n-1), times out.grad", () => {
    const a = new Value(3);
    const square = a.pow(2);
    square.grad = 2;
    square.localBackward();
    expect(
      a.grad,
      `d(a²)/da = 2a: expected 2 * 3 * out.grad = 12${diagnose(a.grad, 12, [
        [36, "that is n * a**n * out.grad: the exponent is n - 1"],
        [6, "that is 2a without out.grad: multiply by out.grad"],
      ])}`,
    ).toBe(12);

    const b = new Value(2);
    const inverse = b.pow(-1);
    inverse.grad = 1;
    inverse.localBackward();
    expect(b.grad, "d(b⁻¹)/db = -1 * b⁻² = -0.25").toBeCloseTo(-0.25, 12);
  });
});

describe("a plain number as an operand: the backward step works either way round", () => {
  for (const c of BINARY) {
    test(`a.${c.op}(n): a gets d(a ${c.symbol} n)/da · out.grad, and the wrapped n gets its share too`, () => {
      const a = new Value(3, [], "", "a");
      const out = apply(c.op, a, -2);
      out.grad = 2;
      out.localBackward();
      const share = c.dThis(3, -2) * 2;
      expect(a.grad, `a = 3, out = a.${c.op}(-2), out.grad = 2: expected a.grad = ${show(share)}`).toBeCloseTo(
        share,
        12,
      );
      const wrapped = out.children[1];
      expect(wrapped, `a.${c.op}(-2) should wrap -2 in a Value child`).toBeInstanceOf(Value);
      const wrappedShare = c.dThat(3, -2) * 2;
      expect(
        wrapped.grad,
        `the Value that wraps -2 gets its share like any operand, even though nobody reads it: expected ${show(wrappedShare)}` +
          diagnose(wrapped.grad, wrappedShare, [[0, `${c.op}'s step skipped that: give it its share, number or not`]]),
      ).toBeCloseTo(wrappedShare, 12);
    });
  }

  for (const c of BINARY) {
    test(`new Value(n).${c.op}(a), a number on the left: a gets d(n ${c.symbol} a)/da · out.grad`, () => {
      const a = new Value(-2, [], "", "a");
      const n = new Value(3);
      const out = apply(c.op, n, a);
      out.grad = 2;
      out.localBackward();
      const share = c.dThat(3, -2) * 2;
      expect(
        a.grad,
        `a = -2, out = new Value(3).${c.op}(a), out.grad = 2: a is the right operand (that), expected a.grad = ${show(share)}`,
      ).toBeCloseTo(share, 12);
      expect(n.grad, `the number on the left gets its share too: expected ${show(c.dThis(3, -2) * 2)}`).toBeCloseTo(
        c.dThis(3, -2) * 2,
        12,
      );
    });
  }
});

describe("a local step adds to a grad that is already there (+=, not =)", () => {
  // A node can feed several others: each of their steps adds its own share to the node's grad.

  for (const c of OPERANDS) {
    test(`${c.op} adds its share to the grad its ${c.side} already has`, () => {
      const a = new Value(3, [], "", "a");
      const b = new Value(-2, [], "", "b");
      const operand = c.who === "this" ? a : b;
      operand.grad = 10;
      const out = apply(c.op, a, b);
      out.grad = 2;
      out.localBackward();
      const share = c.d(3, -2) * 2;
      const got = operand.grad;
      expect(
        got,
        `a.${c.op}(b) with a = 3, b = -2, out.grad = 2: the ${c.side} already had grad 10 (from another use), and ` +
          `the step must add its share ${show(share)}: expected 10 + ${term(share)} = ${show(10 + share)}` +
          diagnose(got, 10 + share, [
            [share, `the share alone: ${c.op}'s step assigned (=) to ${c.who}.grad instead of adding to it (+=)`],
            [10 - share, `the share with the wrong sign, in ${c.op}'s step for ${c.who}`],
          ]),
      ).toBeCloseTo(10 + share, 12);
    });

    test(`a node used as the ${c.side} of two ${c.op} nodes gets both shares`, () => {
      const node = new Value(c.who === "this" ? 3 : -2, [], "", "x");
      const first = c.who === "this" ? apply(c.op, node, -2) : apply(c.op, new Value(3), node);
      const second = c.who === "this" ? apply(c.op, node, 4) : apply(c.op, new Value(5), node);
      first.grad = 2;
      second.grad = 3;
      first.localBackward();
      second.localBackward();
      const shares = c.who === "this" ? [c.d(3, -2) * 2, c.d(3, 4) * 3] : [c.d(3, -2) * 2, c.d(5, -2) * 3];
      const both = shares[0] + shares[1];
      const uses =
        c.who === "this" ? `x.${c.op}(-2) and x.${c.op}(4)` : `new Value(3).${c.op}(x) and new Value(5).${c.op}(x)`;
      expect(
        node.grad,
        `x is the ${c.side} of ${uses}, with out.grad 2 and 3: its grad is the sum of both shares, ` +
          `${show(shares[0])} + ${term(shares[1])} = ${show(both)}` +
          diagnose(node.grad, both, [
            [
              shares[1],
              `only the second node's share: ${c.op}'s step assigned (=) to ${c.who}.grad instead of adding (+=)`,
            ],
          ]),
      ).toBeCloseTo(both, 12);
    });
  }

  for (const c of BINARY) {
    test(`when the same Value is both operands, a.${c.op}(a), both shares add up`, () => {
      const a = new Value(2, [], "", "a");
      const out = apply(c.op, a, a);
      out.grad = 1;
      out.localBackward();
      const left = c.dThis(2, 2);
      const right = c.dThat(2, 2);
      const assigned = (who: string) =>
        `only one share: ${c.op}'s step assigned (=) to ${who}.grad instead of adding (+=)`;
      expect(
        a.grad,
        `a = 2 is both operands of a.${c.op}(a), out.grad = 1: a gets the left share ${show(left)} and the right ` +
          `share ${show(right)}, ${show(left + right)} in all` +
          diagnose(a.grad, left + right, [
            [right, assigned("that")],
            [left, assigned("this")],
          ]),
      ).toBeCloseTo(left + right, 12);
    });
  }

  for (const c of UNARY) {
    test(`${c.op} adds its share to the grad its operand already has`, () => {
      const a = new Value(3, [], "", "a");
      a.grad = 10;
      const out = c.make(a);
      out.grad = 2;
      out.localBackward();
      const share = c.d(3) * 2;
      expect(
        a.grad,
        `a = 3 already had grad 10, and a.${c.op} with out.grad = 2 must add its share ${show(share)}: ` +
          `expected 10 + ${term(share)} = ${show(10 + share)}` +
          diagnose(a.grad, 10 + share, [
            [share, `the share alone: ${c.op}'s step assigned (=) to this.grad instead of adding to it`],
            [10 - share, `the share with the wrong sign, in ${c.op}'s step`],
          ]),
      ).toBeCloseTo(10 + share, 12);
    });

    test(`a node used by two ${c.op} nodes gets both shares`, () => {
      const a = new Value(3, [], "", "a");
      const first = c.make(a);
      const second = c.make(a);
      first.grad = 2;
      second.grad = 3;
      first.localBackward();
      second.localBackward();
      const shares = [c.d(3) * 2, c.d(3) * 3];
      const both = shares[0] + shares[1];
      expect(
        a.grad,
        `a = 3 feeds two nodes a.${c.op}, with out.grad 2 and 3: its grad is the sum of both shares, ` +
          `${show(shares[0])} + ${term(shares[1])} = ${show(both)}` +
          diagnose(a.grad, both, [
            [shares[1], `only the second node's share: ${c.op}'s step assigned (=) to this.grad instead of adding`],
          ]),
      ).toBeCloseTo(both, 12);
    });
  }
});
