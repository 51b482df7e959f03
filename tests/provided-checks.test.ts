/**
 * The provided argument checks around the exercise regions (engine, nn, loss, data, gradcheck): a wrong call
 * fails at once with a message that says what was wrong. The lessons test the regions; these test the rest.
 */
import { describe, expect, test } from "vitest";
import { makeMoons, trainTestSplit } from "../solutions/data";
import { Value } from "../solutions/engine";
import { formatReport } from "../solutions/gradcheck";
import { meanSeLoss } from "../solutions/loss";
import { ANN, Layer, Neuron } from "../solutions/nn";

describe("engine", () => {
  test("names what it got instead of a number: null, an array or a string", () => {
    const a = new Value(1);
    // @ts-expect-error: null is not an Operand
    expect(() => a.add(null)).toThrow("add: expected a Value or a number, got null.");
    // @ts-expect-error: an array is not an Operand
    expect(() => a.mul([2])).toThrow("mul: expected a Value or a number, got an array.");
    // @ts-expect-error: a string is not an Operand
    expect(() => a.sub("2")).toThrow('sub: expected a Value or a number, got the string "2".');
    // @ts-expect-error: undefined is not a number
    expect(() => new Value(undefined)).toThrow("new Value(): expected a Value or a number, got undefined.");
  });
});

describe("nn", () => {
  test("rejects sizes that are not whole numbers of at least 1", () => {
    expect(() => new Neuron(0)).toThrow("Neuron: the number of inputs must be a whole number of at least 1, got 0.");
    expect(() => new Layer(2, 1.5)).toThrow("Layer: the number of neurons must be a whole number");
    expect(() => new ANN(2, [])).toThrow("ANN: give at least one layer size");
  });

  test("rejects inputs that are not an array with one number per weight", () => {
    const neuron = new Neuron(2);
    // @ts-expect-error: a single number is not a list of inputs
    expect(() => neuron.forward(3)).toThrow("Neuron.forward: expected an array of 2 inputs, got number.");
    expect(() => neuron.forward([1, 2, 3])).toThrow("Neuron.forward: expected 2 inputs (one per weight), got 3.");
  });
});

describe("loss", () => {
  test("meanSeLoss rejects a batch whose targets do not match its predictions", () => {
    expect(() => meanSeLoss([new Value(1)], [1, 2])).toThrow("got 1 and 2");
    expect(() => meanSeLoss([], [])).toThrow("at least one");
  });
});

describe("data", () => {
  test("makeMoons(2) puts one point on each moon", () => {
    expect(makeMoons(2, { noise: 0 }).y.sort()).toEqual([0, 1]);
  });

  test("trainTestSplit rejects mismatched labels and a fraction outside (0, 1)", () => {
    const data = { x: [[0], [1]], y: [0, 1] };
    expect(() => trainTestSplit({ x: data.x, y: [0] })).toThrow("2 examples but 1 labels");
    expect(() => trainTestSplit(data, { testFraction: 1 })).toThrow("strictly between 0 and 1, got 1");
  });
});

describe("gradcheck", () => {
  test("formatReport prints an infinite or NaN gradient as is", () => {
    const report = {
      ok: false,
      rows: [{ input: "a", analytic: Number.NaN, numeric: Infinity, error: NaN, ok: false }],
    };
    expect(formatReport(report)).toMatch(/✗\s+a\s+NaN\s+Infinity/);
  });
});
