import { Layer } from "@course/nn";
import { describe, expect, test } from "vitest";

describe("Layer", () => {
  test("has nout neurons and one output per neuron", () => {
    const layer = new Layer(2, 3, { init: "ones" });
    expect(layer.neurons.length).toBe(3);
    expect(layer.forward([1, 2]).map((v) => v.data)).toEqual([4, 4, 4]);
  });

  test("has nout · (nin + 1) parameters", () => {
    expect(new Layer(2, 3).parameters().length).toBe(9);
  });
});
