import { Neuron } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";

describe("Neuron", () => {
  test("has one weight per input and a bias", () => {
    const n = new Neuron(3);
    expect(n.w.length).toBe(3);
    expect(n.parameters()).toEqual([...n.w, n.b]);
  });

  test('with init "ones", forward([2, 3]) is 1·2 + 1·3 + 1 = 6', () => {
    expect(new Neuron(2, { init: "ones" }).forward([2, 3]).data).toBe(6);
  });

  test("the same seed gives the same neuron", () => {
    const a = new Neuron(4, { rng: new Random(7) });
    const b = new Neuron(4, { rng: new Random(7) });
    expect(a.parameters().map((p) => p.data)).toEqual(b.parameters().map((p) => p.data));
  });
});
