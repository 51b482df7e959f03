/**
 * Lesson 05: a Neuron holds one weight per input and a bias, and computes w·x + b.
 * Make these pass by writing the `lesson-05` regions of src/nn.ts.
 */
import { Value } from "@course/engine";
import { expectGradientsToMatch } from "@course/gradcheck";
import { Neuron } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { dataOf, diagnose, draws } from "../test-helpers";

describe("a Neuron's parameters", () => {
  test("new Neuron(3) has 3 weights and 1 bias, all Values", () => {
    const n = new Neuron(3);
    expect(n.w.length, "one weight per input: new Neuron(3) needs 3 weights").toBe(3);
    for (const w of n.w) expect(w, "each weight must be a Value, so gradients can reach it").toBeInstanceOf(Value);
    expect(n.b, "the bias must be a single Value, not an array").toBeInstanceOf(Value);
  });

  test("the weights are labelled w0, w1, w2 and the bias b", () => {
    const n = new Neuron(3);
    expect(
      n.w.map((w) => w.label),
      "label each weight with its index (the 4th argument of new Value)",
    ).toEqual(["w0", "w1", "w2"]);
    expect(n.b.label).toBe("b");
  });

  test("every parameter is an input of the graph: no children and no op", () => {
    const n = new Neuron(2);
    for (const p of n.parameters()) {
      expect(p.children, `${p.label} was not computed from other Values: children should be []`).toEqual([]);
      expect(p.op, `${p.label} is an input, not the result of an operation: op should be ""`).toBe("");
    }
  });

  test("parameters() is [w0, w1, ..., b]: the neuron's own Values, weights first, bias last", () => {
    const n = new Neuron(3);
    const params = n.parameters();
    expect(params.length, "3 weights + 1 bias = 4 parameters").toBe(4);
    params.slice(0, 3).forEach((p, i) => {
      expect(p, `parameters()[${i}] should be w${i} itself (the same object, not a copy)`).toBe(n.w[i]);
    });
    expect(params[3], "the bias comes last").toBe(n.b);
  });

  test('init "ones" makes every parameter 1 and init "zeros" every parameter 0', () => {
    expect(dataOf(new Neuron(3, { init: "ones" }).parameters())).toEqual([1, 1, 1, 1]);
    expect(dataOf(new Neuron(3, { init: "zeros" }).parameters())).toEqual([0, 0, 0, 0]);
  });

  test('init "random" (the default) draws every parameter from [-1, 1)', () => {
    const values = dataOf(new Neuron(50).parameters());
    for (const v of values) {
      expect(v, "rng.uniform(-1, 1) gives numbers in [-1, 1)").toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThan(1);
    }
    const fromNext = values.every((v) => v >= 0 && v < 1)
      ? ": all 51 are in [0, 1), as rng.next() gives; use rng.uniform(-1, 1)"
      : "";
    expect(
      values.some((v) => v < 0) && values.some((v) => v > 0),
      `expected both signs among 51 random parameters${fromNext}`,
    ).toBe(true);
  });

  test("the weights are drawn first, in order, then the bias", () => {
    const n = new Neuron(3, { rng: new Random(7) });
    expect(
      dataOf(n.parameters()),
      "expected w0, w1, w2, b to be the first four rng.uniform(-1, 1) of the generator you were given",
    ).toEqual(draws(7, 4));
  });

  test("the same seed gives the same neuron; another seed gives another", () => {
    const a = new Neuron(4, { rng: new Random(7) });
    const b = new Neuron(4, { rng: new Random(7) });
    const c = new Neuron(4, { rng: new Random(8) });
    expect(dataOf(a.parameters()), "two generators with seed 7 draw the same numbers").toEqual(dataOf(b.parameters()));
    expect(dataOf(a.parameters()), "seed 8 should give other weights: is the rng option ignored?").not.toEqual(
      dataOf(c.parameters()),
    );
  });

  test("without a generator the neuron uses the default seed, so it is the same every time", () => {
    expect(dataOf(new Neuron(4).parameters())).toEqual(dataOf(new Neuron(4).parameters()));
  });

  test("two neurons drawn from one generator differ: each takes the next numbers", () => {
    const rng = new Random(7);
    const first = new Neuron(2, { rng });
    const second = new Neuron(2, { rng });
    expect(dataOf(first.parameters())).toEqual(draws(7, 3));
    expect(
      dataOf(second.parameters()),
      "the second neuron should continue where the first stopped: draw from the rng you are given, not a new one",
    ).toEqual(draws(7, 6).slice(3));
  });
});

describe("forward(x) = w·x + b", () => {
  test('with init "ones", forward([2, 3]) is 1·2 + 1·3 + 1 = 6', () => {
    const out = new Neuron(2, { init: "ones" }).forward([2, 3]);
    expect(out, "forward returns a Value (a node of the graph), not a number").toBeInstanceOf(Value);
    expect(
      out.data,
      `expected 1·2 + 1·3 + 1 = 6${diagnose(out.data, 6, [
        [5, "the bias is missing"],
        [7, "the bias was added twice (once per input?): add it once"],
        [1, "only the bias: the products w[i]·x[i] are missing"],
      ])}`,
    ).toBe(6);
  });

  test('with init "zeros", forward gives 0 whatever the input', () => {
    expect(new Neuron(2, { init: "zeros" }).forward([2, 3]).data).toBe(0);
  });

  test("with w = [2, -3] and b = 0.5, forward([4, 1]) is 2·4 + (-3)·1 + 0.5 = 5.5", () => {
    const n = new Neuron(2);
    n.w[0].data = 2;
    n.w[1].data = -3;
    n.b.data = 0.5;
    expect(n.forward([4, 1]).data, "multiply each weight with the input of the same index, then add the bias").toBe(
      5.5,
    );
  });

  test("there is no activation: the output can be far outside (-1, 1)", () => {
    const out = new Neuron(2, { init: "ones" }).forward([10, 20]);
    expect(
      out.data,
      `expected 10 + 20 + 1 = 31${diagnose(out.data, 31, [
        [
          Math.tanh(31),
          "that is tanh(31): do not apply tanh in the neuron, the ANN adds it between layers (lesson 07)",
        ],
      ])}`,
    ).toBe(31);
  });

  test("forward reads the weights as they are now, so training can change them", () => {
    const n = new Neuron(2, { init: "ones" });
    expect(n.forward([2, 3]).data).toBe(6);
    n.w[0].data = 5;
    expect(
      n.forward([2, 3]).data,
      "expected 5·2 + 1·3 + 1 = 14 after setting w0 to 5: build the sum from this.w and this.b on every call",
    ).toBe(14);
  });

  test("accepts Values as inputs, and a mix of numbers and Values", () => {
    const n = new Neuron(2, { init: "ones" });
    expect(n.forward([new Value(2), new Value(3)]).data).toBe(6);
    expect(n.forward([2, new Value(3)]).data).toBe(6);
  });

  test("backward through a neuron: d out/d wi = xi, d out/d b = 1 and d out/d xi = wi", () => {
    const n = new Neuron(2);
    n.w[0].data = 2;
    n.w[1].data = -3;
    const x = [new Value(4, [], "", "x0"), new Value(1, [], "", "x1")];
    n.forward(x).backward();
    expect(
      n.w.map((w) => w.grad),
      "each weight's gradient is the input it multiplies: [4, 1]",
    ).toEqual([4, 1]);
    expect(n.b.grad, "the bias is added once, so d out/d b = 1").toBe(1);
    expect(
      x.map((xi) => xi.grad),
      "the gradient must also reach the inputs (the next layer's inputs are the previous layer's outputs)",
    ).toEqual([2, -3]);
  });

  test("gradcheck: backward agrees with the numeric gradient for every weight, the bias and every input", () => {
    const n = new Neuron(3, { rng: new Random(3) });
    const x = [new Value(0.5, [], "", "x0"), new Value(-1.5, [], "", "x1"), new Value(2, [], "", "x2")];
    expectGradientsToMatch([...n.parameters(), ...x], () => n.forward(x));
  });

  test("a wrong number of inputs is a clear error that names the expected count, not NaN", () => {
    const n = new Neuron(3);
    expect(() => n.forward([1, 2]), "new Neuron(3) has 3 weights, so it needs exactly 3 inputs").toThrow(
      /expected 3 inputs/,
    );
    expect(() => n.forward([1, 2, 3, 4])).toThrow(/expected 3 inputs/);
  });
});
