import { ANN } from "@course/nn";
import { describe, expect, test } from "vitest";

describe("ANN", () => {
  test("new ANN(2, [16, 16, 1]) has 337 parameters", () => {
    expect(new ANN(2, [16, 16, 1]).parameters().length).toBe(337);
  });

  test('applies tanh after the hidden layer only: with init "ones", forward([1, 1]) is 2·tanh(3) + 1', () => {
    const out = new ANN(2, [2, 1], { init: "ones" }).forward([1, 1]);
    expect(out[0].data).toBeCloseTo(2 * Math.tanh(3) + 1, 12);
  });

  test("update(lr) moves every parameter against its grad", () => {
    const net = new ANN(1, [1], { init: "ones" });
    net.forward([2])[0].backward();
    net.update(0.1);
    expect(net.parameters().map((p) => p.data)).toEqual([1 - 0.1 * 2, 1 - 0.1 * 1]);
    net.zeroGrad();
    expect(net.parameters().map((p) => p.grad)).toEqual([0, 0]);
  });
});
