/**
 * Lesson 07, continued: what training needs from an ANN: gradients for every parameter,
 * zeroGrad() to clear them and update(lr) to take a step of gradient descent.
 * Make these pass by writing the `lesson-07` regions of src/nn.ts.
 */
import { expectGradientsToMatch } from "@course/gradcheck";
import { ANN } from "@course/nn";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { diagnose, show } from "../test-helpers";

describe("gradients of a whole network", () => {
  test("gradcheck: backward gives every parameter of new ANN(2, [4, 4, 1]) the right gradient", () => {
    const net = new ANN(2, [4, 4, 1], { rng: new Random(1) });
    expect(net.parameters().length).toBe(37);
    expectGradientsToMatch(net.parameters(), () => net.forward([0.5, -1])[0]);
  });
});

describe("zeroGrad()", () => {
  test("sets the grad of every parameter to 0", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    net.forward([0.5, -1])[0].backward();
    expect(
      net.parameters().some((p) => p.grad !== 0),
      "after backward() some parameters should have a grad",
    ).toBe(true);
    net.zeroGrad();
    expect(
      net.parameters().map((p) => p.grad),
      "zeroGrad() must reach every parameter of every layer",
    ).toEqual(Array(13).fill(0));
  });

  test("after zeroGrad(), a second backward gives the same grads as the first (without it they would add up)", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    net.forward([0.5, -1])[0].backward();
    const first = net.parameters().map((p) => p.grad);
    net.zeroGrad();
    net.forward([0.5, -1])[0].backward();
    const second = net.parameters().map((p) => p.grad);
    second.forEach((g, i) => {
      expect(
        g,
        `parameter ${i}: expected the first grad again, ${show(first[i])}` +
          diagnose(g, first[i], [[2 * first[i], "twice the first grad: zeroGrad() did not clear it"]]),
      ).toBeCloseTo(first[i], 12);
    });
  });
});

describe("update(lr)", () => {
  test("moves every parameter against its gradient: p.data -= lr · p.grad", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    net.forward([0.5, -1])[0].backward();
    const expected = net.parameters().map((p) => p.data - 0.1 * p.grad);
    const climbed = net.parameters().map((p) => p.data + 0.1 * p.grad);
    net.update(0.1);
    net.parameters().forEach((p, i) => {
      expect(
        p.data,
        `parameter ${i}: expected data - 0.1 · grad = ${show(expected[i])}` +
          diagnose(p.data, expected[i], [[climbed[i], "that is data + 0.1 · grad: adding climbs the loss"]]),
      ).toBeCloseTo(expected[i], 12);
    });
  });

  test('by hand: new ANN(1, [1]) with init "ones" on x = 2 has grads [2, 1], so update(0.1) gives w = 0.8, b = 0.9', () => {
    const net = new ANN(1, [1], { init: "ones" });
    net.forward([2])[0].backward();
    expect(net.parameters().map((p) => p.grad)).toEqual([2, 1]);
    net.update(0.1);
    const [w, b] = net.parameters().map((p) => p.data);
    expect(w, "1 - 0.1 · 2").toBeCloseTo(0.8, 12);
    expect(b, "1 - 0.1 · 1").toBeCloseTo(0.9, 12);
  });

  test("a small step lowers the loss on that example", () => {
    const net = new ANN(2, [4, 1], { rng: new Random(1) });
    const x = [0.5, -1];
    // The squared error against the target 1, written with the engine (lesson 08 names it seLoss).
    const lossOf = () => net.forward(x)[0].sub(1).pow(2);
    const before = lossOf();
    net.zeroGrad();
    before.backward();
    net.update(0.01);
    expect(
      lossOf().data,
      "the loss should go down after one small step: update must subtract lr · grad from every parameter",
    ).toBeLessThan(before.data);
  });
});
