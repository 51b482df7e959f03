/**
 * Lesson 07: an ANN stacks layers, with tanh after every hidden layer and none after the output layer.
 * Make these pass by writing the `lesson-07` regions of src/nn.ts.
 * (Training: zeroGrad, update and gradients are in ann-training.test.ts.)
 */
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { dataOf, diagnose, draws } from "../test-helpers";

describe("an ANN's shape", () => {
  test("new ANN(2, [3, 1]) has 2 layers: 3 neurons reading 2 inputs, then 1 neuron reading those 3", () => {
    const net = new ANN(2, [3, 1]);
    expect(net.layers.length, "one layer per entry of [3, 1]").toBe(2);
    expect(net.layers[0].neurons.length).toBe(3);
    expect(net.layers[0].neurons[0].w.length, "the first layer reads the nin = 2 inputs").toBe(2);
    expect(net.layers[1].neurons.length).toBe(1);
    expect(
      net.layers[1].neurons[0].w.length,
      "the second layer reads the 3 outputs of the first, so its neuron has 3 weights",
    ).toBe(3);
  });

  test("new ANN(2, [16, 16, 1]) has 337 parameters: 16·(2+1) + 16·(16+1) + 1·(16+1)", () => {
    const count = new ANN(2, [16, 16, 1]).parameters().length;
    expect(
      count,
      `48 + 272 + 17 = 337${diagnose(count, 337, [
        [16 * 3 + 16 * 3 + 3, "every layer reads nin = 2 inputs: a layer must read the previous layer's size"],
      ])}`,
    ).toBe(337);
  });

  test("parameters() lists layer by layer, each layer in the order of Layer.parameters()", () => {
    const net = new ANN(2, [3, 2, 1]);
    const expected = net.layers.flatMap((layer) => layer.parameters());
    const params = net.parameters();
    expect(params.length).toBe(9 + 8 + 3);
    params.forEach((p, i) => {
      expect(p, `parameters()[${i}]: expected layer 0's parameters, then layer 1's, then layer 2's`).toBe(expected[i]);
    });
  });

  test("forward returns one Value per neuron of the output layer", () => {
    const net = new ANN(2, [3, 2]);
    const out = net.forward([0.5, -1]);
    expect(Array.isArray(out), "ANN.forward returns an array, even for a single output").toBe(true);
    expect(out.length, "the output layer has 2 neurons").toBe(2);
  });
});

describe("initialising an ANN", () => {
  test("all layers share one generator: the parameters are its draws in order, layer by layer", () => {
    const net = new ANN(2, [3, 2, 1], { rng: new Random(7) });
    expect(net.parameters().length, "new ANN(2, [3, 2, 1]) has 9 + 8 + 3 = 20 parameters (see the shape tests)").toBe(
      20,
    );
    expect(
      dataOf(net.parameters()),
      "pass the same rng object to every Layer: a new Random(seed) per layer would repeat the same numbers",
    ).toEqual(draws(7, 9 + 8 + 3));
  });

  test("the same seed gives the same network; another seed gives another", () => {
    const a = dataOf(new ANN(2, [4, 1], { rng: new Random(7) }).parameters());
    expect(a).toEqual(dataOf(new ANN(2, [4, 1], { rng: new Random(7) }).parameters()));
    expect(a, "seed 8 should give other weights: pass the rng option on to every layer").not.toEqual(
      dataOf(new ANN(2, [4, 1], { rng: new Random(8) }).parameters()),
    );
  });

  test("without a generator the network uses the default seed, so it is the same every time", () => {
    expect(dataOf(new ANN(2, [4, 1]).parameters())).toEqual(dataOf(new ANN(2, [4, 1]).parameters()));
  });

  test("the init option reaches every layer", () => {
    const ones = dataOf(new ANN(2, [3, 1], { init: "ones" }).parameters());
    expect(ones.length, "new ANN(2, [3, 1]) has 9 + 4 = 13 parameters (see the shape tests)").toBe(13);
    expect(ones, 'init "ones": every parameter of every layer is 1. Pass { init, rng } to each Layer').toEqual(
      Array(13).fill(1),
    );
    expect(dataOf(new ANN(2, [3, 1], { init: "zeros" }).parameters())).toEqual(Array(13).fill(0));
  });
});

describe("forward: tanh after every hidden layer, none after the output layer", () => {
  // Worked out in the README: each hidden neuron gives 1·1 + 1·1 + 1 = 3, squashed to tanh(3);
  // the output neuron adds them with weight 1 and bias 1: tanh(3) + tanh(3) + 1.
  const expected = 2 * Math.tanh(3) + 1;

  test('with init "ones", new ANN(2, [2, 1]).forward([1, 1]) is 2·tanh(3) + 1 ≈ 2.990', () => {
    const [out] = new ANN(2, [2, 1], { init: "ones" }).forward([1, 1]);
    expect(out.data).toBeCloseTo(expected, 12);
  });

  test("the output layer has no tanh, so the output can leave (-1, 1)", () => {
    const [out] = new ANN(2, [2, 1], { init: "ones" }).forward([1, 1]);
    expect(
      out.data,
      `expected 2·tanh(3) + 1 ≈ 2.990${diagnose(out.data, expected, [
        [Math.tanh(expected), "that is tanh of it: do not apply tanh after the last layer"],
      ])}`,
    ).toBeGreaterThan(1);
    expect(out.data).toBeCloseTo(expected, 12);
  });

  test("a hidden layer is followed by tanh", () => {
    const [out] = new ANN(2, [2, 1], { init: "ones" }).forward([1, 1]);
    expect(
      out.data,
      `expected 2·tanh(3) + 1 ≈ 2.990${diagnose(out.data, expected, [
        [7, "that is 3 + 3 + 1: tanh was skipped after the hidden layer"],
      ])}`,
    ).toBeLessThan(3);
    expect(out.data).toBeCloseTo(expected, 12);
  });

  test("every hidden layer is followed by tanh, not only the first one", () => {
    // x = 1 → 2 → tanh(2) → tanh(2) + 1 → tanh(tanh(2) + 1) → tanh(tanh(2) + 1) + 1
    const [out] = new ANN(1, [1, 1, 1], { init: "ones" }).forward([1]);
    const right = Math.tanh(Math.tanh(2) + 1) + 1;
    expect(
      out.data,
      `expected tanh(tanh(2) + 1) + 1 ≈ 1.961${diagnose(out.data, right, [
        [
          Math.tanh(2) + 2,
          "that is tanh(2) + 1 + 1: tanh only after the first hidden layer; every hidden layer needs it",
        ],
        [Math.tanh(right), "that is tanh of it: do not apply tanh after the last layer"],
        [4, "that is 2 + 1 + 1 with no tanh at all: apply it after every hidden layer"],
      ])}`,
    ).toBeCloseTo(right, 12);
  });

  test("the activation is tanh, not relu: negative hidden outputs stay negative", () => {
    // Each hidden neuron gives -1 - 1 + 1 = -1, so the output is 2·tanh(-1) + 1 ≈ -0.523.
    const [out] = new ANN(2, [2, 1], { init: "ones" }).forward([-1, -1]);
    expect(
      out.data,
      `expected 2·tanh(-1) + 1 ≈ -0.523${diagnose(out.data, 2 * Math.tanh(-1) + 1, [
        [1, "relu cut each hidden -1 to 0: use tanh"],
        [-1, "that is (-1) + (-1) + 1: tanh was skipped after the hidden layer"],
      ])}`,
    ).toBeCloseTo(2 * Math.tanh(-1) + 1, 12);
  });

  test("a network of one layer has no hidden layer, so no tanh at all", () => {
    const [out] = new ANN(2, [1], { init: "ones" }).forward([10, 20]);
    expect(out.data, "expected 10 + 20 + 1 = 31: the only layer is the output layer").toBe(31);
  });

  test("a wrong number of inputs is a clear error that names the expected count", () => {
    const net = new ANN(3, [4, 1]);
    expect(() => net.forward([1, 2]), "new ANN(3, ...) reads 3 inputs").toThrow(/expected 3 inputs/);
  });
});
