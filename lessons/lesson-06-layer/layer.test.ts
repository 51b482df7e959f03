/**
 * Lesson 06: a Layer is `nout` neurons that all read the same inputs.
 * Make these pass by writing the `lesson-06` regions of src/nn.ts.
 */
import { Value } from "@course/engine";
import { Layer } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { dataOf, draws } from "../test-helpers";

describe("a Layer's shape", () => {
  test("new Layer(2, 3) has 3 neurons, each with 2 weights", () => {
    const layer = new Layer(2, 3);
    expect(layer.neurons.length, "nout = 3 neurons").toBe(3);
    for (const neuron of layer.neurons) {
      expect(neuron.w.length, "every neuron reads all nin = 2 inputs, so it has 2 weights").toBe(2);
    }
  });

  test("parameters() has nout · (nin + 1) values: 9 for new Layer(2, 3), 272 for new Layer(16, 16)", () => {
    expect(new Layer(2, 3).parameters().length, "3 neurons · (2 weights + 1 bias)").toBe(9);
    expect(new Layer(16, 16).parameters().length, "16 neurons · (16 weights + 1 bias)").toBe(272);
  });

  test("parameters() lists neuron by neuron, each neuron's weights then its bias", () => {
    const layer = new Layer(2, 2);
    const [n0, n1] = layer.neurons;
    const expected = [n0.w[0], n0.w[1], n0.b, n1.w[0], n1.w[1], n1.b];
    const params = layer.parameters();
    expect(params.length).toBe(6);
    params.forEach((p, i) => {
      expect(p, `parameters()[${i}] is in the wrong place: expected [n0.w0, n0.w1, n0.b, n1.w0, n1.w1, n1.b]`).toBe(
        expected[i],
      );
    });
  });
});

describe("initialising a Layer", () => {
  test("the neurons share one generator, so no two neurons start alike", () => {
    const [n0, n1, n2] = new Layer(2, 3).neurons;
    const a = dataOf(n0.parameters());
    expect(
      a,
      "neurons 0 and 1 start with the same weights: give every neuron the same rng object, not a new Random(seed) each",
    ).not.toEqual(dataOf(n1.parameters()));
    expect(a).not.toEqual(dataOf(n2.parameters()));
  });

  test("the parameters are the generator's draws in order: neuron 0's weights and bias, then neuron 1's, ...", () => {
    const layer = new Layer(2, 3, { rng: new Random(7) });
    expect(dataOf(layer.parameters())).toEqual(draws(7, 9));
  });

  test("the same seed gives the same layer; another seed gives another", () => {
    const a = dataOf(new Layer(3, 4, { rng: new Random(7) }).parameters());
    expect(a).toEqual(dataOf(new Layer(3, 4, { rng: new Random(7) }).parameters()));
    expect(a, "seed 8 should give other weights: pass the rng option on to every neuron").not.toEqual(
      dataOf(new Layer(3, 4, { rng: new Random(8) }).parameters()),
    );
  });

  test("the init option reaches every neuron", () => {
    const zeros = dataOf(new Layer(2, 3, { init: "zeros" }).parameters());
    expect(zeros, 'init "zeros": every parameter of every neuron is 0. Pass { init, rng } to each Neuron').toEqual(
      Array(9).fill(0),
    );
    expect(dataOf(new Layer(2, 3, { init: "ones" }).parameters())).toEqual(Array(9).fill(1));
  });
});

describe("forward(x) gives one output per neuron", () => {
  test('with init "ones", each of 3 neurons gives 1·1 + 1·2 + 1 = 4', () => {
    const out = new Layer(2, 3, { init: "ones" }).forward([1, 2]);
    expect(Array.isArray(out), "Layer.forward returns an array with one Value per neuron").toBe(true);
    expect(dataOf(out)).toEqual([4, 4, 4]);
  });

  test("output i is neuron i's forward of the same inputs", () => {
    const layer = new Layer(3, 4, { rng: new Random(5) });
    const x = [0.5, -1, 2];
    const out = layer.forward(x);
    expect(out.length, "one output per neuron").toBe(4);
    out.forEach((o, i) => {
      expect(o).toBeInstanceOf(Value);
      expect(o.data, `output ${i} should be layer.neurons[${i}].forward(x)`).toBe(layer.neurons[i].forward(x).data);
    });
  });

  test("a layer of one neuron still returns an array", () => {
    const out = new Layer(2, 1, { init: "ones" }).forward([1, 2]);
    expect(dataOf(out), "return [value], not the value itself: the next layer reads an array").toEqual([4]);
  });

  test("every input feeds every neuron, so an input's gradient adds up over the neurons", () => {
    const layer = new Layer(2, 3, { init: "ones" });
    const x = [new Value(1, [], "", "x0"), new Value(2, [], "", "x1")];
    const [o0, o1, o2] = layer.forward(x);
    o0.add(o1).add(o2).backward();
    expect(
      x.map((xi) => xi.grad),
      "x0 reaches the sum through 3 neurons with weight 1 each: 1 + 1 + 1 = 3",
    ).toEqual([3, 3]);
  });

  test("backward from one output reaches only that neuron's parameters", () => {
    const layer = new Layer(2, 2, { init: "ones" });
    const [o0] = layer.forward([1, 2]);
    o0.backward();
    const [n0, n1] = layer.neurons;
    expect(
      n0.parameters().map((p) => p.grad),
      "neuron 0's grads are its inputs and 1: [1, 2, 1]",
    ).toEqual([1, 2, 1]);
    expect(
      n1.parameters().map((p) => p.grad),
      "neuron 1 did not produce o0, so its grads stay 0: do the neurons share Values by mistake?",
    ).toEqual([0, 0, 0]);
  });

  test("a wrong number of inputs is a clear error that names the expected count", () => {
    const layer = new Layer(3, 2);
    expect(() => layer.forward([1, 2]), "new Layer(3, 2) reads 3 inputs").toThrow(/expected 3 inputs/);
  });
});
