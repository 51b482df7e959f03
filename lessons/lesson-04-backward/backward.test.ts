/**
 * Lesson 04: backward() applies the chain rule over the whole graph; zeroGrad() starts afresh.
 * Make these pass by writing the `lesson-04` regions of src/engine.ts.
 */
import { Value } from "@course/engine";
import { expectGradientsToMatch } from "@course/gradcheck";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { diagnose, withoutRecursion } from "../test-helpers";

describe("backward", () => {
  test("sets the root's own grad to 1 (d out / d out)", () => {
    const a = new Value(2);
    const out = a.mul(3);
    out.backward();
    expect(out.grad, "backward() starts by setting the root's grad to 1").toBe(1);
    expect(a.grad).toBe(3);
  });

  test("applies the chain rule through several operations", () => {
    // L = (a * b + c) * f, worked out by hand in the lesson README.
    const a = new Value(2, [], "", "a");
    const b = new Value(-3, [], "", "b");
    const c = new Value(10, [], "", "c");
    const f = new Value(-2, [], "", "f");
    const e = a.mul(b);
    const d = e.add(c);
    const L = d.mul(f);
    L.backward();
    expect(L.data).toBe(-8);
    expect(d.grad, "dL/dd = f = -2").toBe(-2);
    expect(f.grad, "dL/df = d = 4").toBe(4);
    expect(c.grad, "dL/dc = dL/dd * dd/dc = -2 * 1").toBe(-2);
    expect(e.grad, "dL/de = dL/dd * dd/de = -2 * 1").toBe(-2);
    expect(a.grad, "dL/da = dL/de * b = -2 * -3").toBe(6);
    expect(b.grad, "dL/db = dL/de * a = -2 * 2").toBe(-4);
  });

  test("a neuron by hand: o = tanh(x1·w1 + x2·w2 + b)", () => {
    const x1 = new Value(2, [], "", "x1");
    const x2 = new Value(0, [], "", "x2");
    const w1 = new Value(-3, [], "", "w1");
    const w2 = new Value(1, [], "", "w2");
    const b = new Value(6.881373587019543, [], "", "b");
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
    o.backward();
    expect(o.data).toBeCloseTo(Math.SQRT1_2, 12);
    expect(x1.grad).toBeCloseTo(-1.5, 12);
    expect(w1.grad).toBeCloseTo(1, 12);
    expect(x2.grad).toBeCloseTo(0.5, 12);
    expect(w2.grad).toBeCloseTo(0, 12);
    expect(b.grad, "do/db = 1 - o² = 0.5").toBeCloseTo(0.5, 12);
  });

  test("a node used twice gets both contributions: a + a gives a.grad = 2", () => {
    const a = new Value(3);
    a.add(a).backward();
    expect(
      a.grad,
      `a + a = 2a, so a.grad is 2${diagnose(a.grad, 2, [[1, "one share only: add's local step assigned (=) where it should add (+=)"]])}`,
    ).toBe(2);
  });

  test("b = a + a; c = b + b gives a.grad = 4", () => {
    const a = new Value(3);
    const b = a.add(a);
    const c = b.add(b);
    c.backward();
    expect(b.grad, "c = b + b = 2b").toBe(2);
    expect(a.grad, "c = 2b = 4a").toBe(4);
  });

  test("runs the local steps from the root down: b = a·a; c = b·b gives dc/da = 4a³", () => {
    const a = new Value(3);
    const b = a.mul(a);
    const c = b.mul(b);
    c.backward();
    expect(
      a.grad,
      `expected 4 * 3³ = 108${diagnose(a.grad, 108, [
        [0, "b's local step ran before b had its grad: call the steps in reverse topological order"],
        [27, "half of each share of b·b and of a·a: mul's local step assigned (=) where it should add (+=)"],
      ])}`,
    ).toBe(108);
  });

  test("calling backward twice accumulates the gradients (as in micrograd and PyTorch)", () => {
    const a = new Value(2);
    const b = new Value(5);
    const out = a.mul(b);
    out.backward();
    out.backward();
    expect(a.grad, "two backward passes add up: 2 * b = 10").toBe(10);
    expect(b.grad).toBe(4);
    expect(out.grad, "the root's grad is set to 1, not increased").toBe(1);
  });

  test("only nodes below the root get a grad", () => {
    const a = new Value(2);
    const b = a.mul(3);
    const unrelated = a.add(100);
    b.backward();
    expect(unrelated.grad, "a node that the root does not depend on keeps grad 0").toBe(0);
  });

  test("works on a chain of 100 000 operations", () => {
    const a = new Value(1);
    let x = a;
    for (let i = 0; i < 100_000; i++) x = x.neg();
    withoutRecursion("x.backward() on a chain of 100 000 negations", () => x.backward());
    expect(a.grad, "an even number of negations: d(x)/d(a) = (-1)^100000 = 1").toBe(1);
  });
});

describe("micrograd's reference cases, to 1e-9", () => {
  test("sanity check: y = h + q + q·x gives y = -20 and x.grad = 46", () => {
    const x = new Value(-4);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBeCloseTo(-20, 9);
    expect(x.grad).toBeCloseTo(46, 9);
  });

  test("more ops: g = f/2 + 10/f gives g = 24.704…, a.grad = 138.83…, b.grad = 645.57…", () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).sub(a));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(new Value(10).div(f));
    g.backward();
    expect(g.data).toBeCloseTo(24.70408163265306, 9);
    expect(a.grad).toBeCloseTo(138.83381924198252, 9);
    expect(b.grad).toBeCloseTo(645.5772594752187, 9);
  });
});

describe("gradients agree with the numeric gradient checker", () => {
  /** An operation of a random expression: how to build it, and how to write it (`x` and `y` are its operands). */
  interface Op<Build, Text> {
    build: Build;
    text: Text;
  }
  const unary: Op<(v: Value) => Value, (x: string) => string>[] = [
    { build: (v) => v.tanh(), text: (x) => `${x}.tanh()` },
    { build: (v) => v.exp(), text: (x) => `${x}.exp()` },
    { build: (v) => v.neg(), text: (x) => `${x}.neg()` },
    { build: (v) => v.pow(2), text: (x) => `${x}.pow(2)` },
    { build: (v) => v.relu(), text: (x) => `${x}.relu()` },
  ];
  const binary: Op<(u: Value, v: Value) => Value, (x: string, y: string) => string>[] = [
    { build: (u, v) => u.add(v), text: (x, y) => `${x}.add(${y})` },
    { build: (u, v) => u.sub(v), text: (x, y) => `${x}.sub(${y})` },
    { build: (u, v) => u.mul(v), text: (x, y) => `${x}.mul(${y})` },
    { build: (u, v) => u.div(v.pow(2).add(1)), text: (x, y) => `${x}.div(${y}.pow(2).add(1))` },
  ];

  /**
   * A random expression over the inputs, mixing every operation; inputs are reused, so nodes are shared.
   * Returns the expression and how it is written, so that a failure can show which operations it uses.
   */
  function randomExpression(inputs: Value[], rng: Random, depth: number): { value: Value; text: string } {
    if (depth === 0) {
      const input = inputs[rng.int(inputs.length)];
      return { value: input, text: input.label };
    }
    if (rng.next() < 0.4) {
      const op = unary[rng.int(unary.length)];
      const x = randomExpression(inputs, rng, depth - 1);
      return { value: op.build(x.value), text: op.text(x.text) };
    }
    const op = binary[rng.int(binary.length)];
    const x = randomExpression(inputs, rng, depth - 1);
    const y = randomExpression(inputs, rng, depth - 1);
    return { value: op.build(x.value, y.value), text: op.text(x.text, y.text) };
  }

  /** The names of the operations an expression uses, in a fixed order. */
  function opsIn(text: string): string[] {
    return ["add", "sub", "mul", "div", "neg", "pow", "tanh", "exp", "relu"].filter((op) => text.includes(`.${op}(`));
  }

  test.each([1, 2, 3, 4, 5, 6, 7, 8])("random expression %i", (seed) => {
    const rng = new Random(seed);
    const inputs = ["a", "b", "c"].map((label) => new Value(rng.uniform(-1.5, 1.5), [], "", label));
    // f() re-seeds its own generator, so it builds the same expression at every nudge of the inputs.
    const f = () => randomExpression(inputs, new Random(1000 + seed), 4);
    try {
      expectGradientsToMatch(inputs, () => f().value);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("backward() disagrees"))) throw error;
      const { text } = f();
      const at = inputs.map((x) => `${x.label} = ${x.data.toFixed(4)}`).join(", ");
      throw new Error(
        `The expression, with ${at}:\n  ${text}\nIt uses ${opsIn(text).join(", ")}: one of their local steps ` +
          `(lessons 01 and 02) gives a wrong share to the inputs marked ✗.\n${error.message}`,
        { cause: error },
      );
    }
  });
});

describe("zeroGrad", () => {
  test("sets the grad of every node in the graph back to 0", () => {
    const a = new Value(2);
    const b = new Value(-1);
    const out = a.mul(b).tanh().add(a);
    out.backward();
    out.zeroGrad();
    for (const node of [a, b, out, ...out.children]) {
      expect(node.grad, `${node} still has a grad after zeroGrad()`).toBe(0);
    }
  });

  test("after zeroGrad, backward gives the same grads as the first time", () => {
    const a = new Value(2);
    const out = a.mul(a).tanh();
    out.backward();
    const first = a.grad;
    out.zeroGrad();
    out.backward();
    expect(a.grad, "zeroGrad then backward should not accumulate").toBe(first);
  });

  test("works on a chain of 100 000 operations", () => {
    const a = new Value(1);
    let x = a;
    for (let i = 0; i < 100_000; i++) x = x.neg();
    a.grad = 5;
    withoutRecursion("x.zeroGrad() on a chain of 100 000 negations", () => x.zeroGrad());
    expect(a.grad, "the deepest input of a long chain must be reached too (without recursion)").toBe(0);
  });
});
