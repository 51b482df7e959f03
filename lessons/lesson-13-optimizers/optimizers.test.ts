/**
 * Lesson 13: optimizers. SGD with momentum, RMSprop and Adam, each with its own state per parameter.
 * Make these pass by writing the `lesson-13` regions of src/optim.ts.
 *
 * Most tests minimise L = x² from x = 1 (its gradient is 2x) for a few steps, worked out by hand in the README.
 */
import { plainSgd, trainEpochInBatches } from "@course/batches";
import type { Dataset } from "@course/data";
import { Value } from "@course/engine";
import { meanSeLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { Adam, type Optimizer, RMSprop, SGD } from "@course/optim";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { explain, type Suspect } from "../test-helpers";

/** x after each of `steps` steps of `optimizer` on L = x², starting from x = 1. */
function stepsOnSquare(make: (params: Value[]) => Optimizer, steps: number): number[] {
  const x = new Value(1, [], "", "x");
  const optimizer = make([x]);
  const xs: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    x.pow(2).backward();
    optimizer.step();
    xs.push(x.data);
  }
  return xs;
}

/**
 * x after each of `steps` steps on L = x² from x = 1, for an update written out with plain numbers: the
 * reference formulas, and the likely mistakes, so a failure can say which mistake gives what came back.
 */
function pathOf(update: (x: number, grad: number) => number, steps: number): number[] {
  const xs: number[] = [];
  let x = 1;
  for (let i = 0; i < steps; i++) {
    x = update(x, 2 * x);
    xs.push(x);
  }
  return xs;
}

/** Expects the path of x step by step; when a step differs, says which mistake's path it is on, if any. */
function expectPath(name: string, got: number[], expected: number[], mistakes: [number[], string][]): void {
  got.forEach((x, i) => {
    const suspects: Suspect[] = mistakes.map(([path, mistake]) => [path[i], mistake]);
    expect(x, explain(`${name}: x after step ${i + 1}`, expected[i], x, suspects)).toBeCloseTo(expected[i], 7);
  });
}

describe("zeroGrad", () => {
  test("sets the grad of every parameter it was given to 0, and leaves other Values alone", () => {
    const [a, b, other] = [new Value(1), new Value(2), new Value(3)];
    a.grad = 5;
    b.grad = -2;
    other.grad = 7;
    new Adam([a, b]).zeroGrad();
    expect([a.grad, b.grad], "zeroGrad() clears the grads of the optimizer's own parameters").toEqual([0, 0]);
    expect(other.grad, "a Value the optimizer was not given is none of its business").toBe(7);
  });
});

describe("SGD", () => {
  test("without momentum, steps p −= lr · grad: on x² with lr 0.1, x goes 1 → 0.8 → 0.64 → 0.512", () => {
    const got = stepsOnSquare((p) => new SGD(p, { lr: 0.1 }), 3);
    expectPath(
      "SGD, lr 0.1",
      got,
      [0.8, 0.64, 0.512],
      [[pathOf((x, g) => x + 0.1 * g, 3), "x grew: subtract lr · grad, do not add it."]],
    );
  });

  test("without momentum, moves a network exactly as lesson 07's ANN.update(lr) does", () => {
    const net = new ANN(2, [3, 1], { rng: new Random(1) });
    const copy = new ANN(2, [3, 1], { rng: new Random(1) });
    for (const model of [net, copy])
      meanSeLoss([model.forward([0.5, -1])[0], model.forward([1, 1])[0]], [1, -1]).backward();
    new SGD(net.parameters(), { lr: 0.1 }).step();
    copy.update(0.1);
    expect(
      net.parameters().map((p) => p.data),
      "SGD without momentum is p.data −= lr · p.grad, the same update",
    ).toEqual(copy.parameters().map((p) => p.data));
  });

  test("with momentum 0.9, keeps a velocity b = 0.9 · b + grad: x goes 1 → 0.8 → 0.46 → 0.062", () => {
    // b: 2, then 0.9 · 2 + 1.6 = 3.4, then 0.9 · 3.4 + 0.92 = 3.98; x −= 0.1 · b each time.
    const got = stepsOnSquare((p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), 3);
    let b = 0;
    const average = pathOf((x, g) => {
      b = 0.9 * b + 0.1 * g;
      return x - 0.1 * b;
    }, 3);
    let late = 0;
    const stepBeforeVelocity = pathOf((x, g) => {
      const moved = x - 0.1 * late;
      late = 0.9 * late + g;
      return moved;
    }, 3);
    expectPath(
      "SGD, lr 0.1, momentum 0.9",
      got,
      [0.8, 0.46, 0.062],
      [
        [
          pathOf((x, g) => x - 0.1 * g, 3),
          "that is SGD without momentum: keep b = momentum · b + grad, step by lr · b.",
        ],
        [average, "b was an average, 0.9 · b + 0.1 · grad: PyTorch adds the whole grad, b = 0.9 · b + grad."],
        [stepBeforeVelocity, "the step used the old b: update b = momentum · b + grad first, then step by lr · b."],
      ],
    );
  });

  test("keeps one velocity per parameter, in the order of the parameters", () => {
    const [a, b] = [new Value(0), new Value(0)];
    const sgd = new SGD([a, b], { lr: 0.1, momentum: 0.5 });
    a.grad = 1;
    b.grad = -2;
    sgd.step();
    sgd.step();
    expect(sgd.velocity, "after two steps with grads 1 and −2: b = 0.5 · g + g = 1.5 g").toEqual([1.5, -3]);
    expect([a.data, b.data], "each parameter moved by 0.1 · (g + 1.5 g)").toEqual([-0.25, 0.5]);
  });

  test("with PyTorch's defaults (lr 0.001, no momentum), one step moves p by 0.001 · grad", () => {
    const p = new Value(1);
    p.grad = 2;
    new SGD([p]).step();
    expect(p.data, explain("p after one default step from 1 with grad 2", 0.998, p.data)).toBeCloseTo(0.998, 15);
  });
});

describe("RMSprop", () => {
  test("divides each step by the root of a running mean of squared grads: on x² with lr 0.01, x goes 1 → 0.9 → 0.8329", () => {
    // v = 0.99 · 0 + 0.01 · 2² = 0.04, √v = 0.2, step 0.01 · 2 / 0.2 = 0.1.
    // v = 0.99 · 0.04 + 0.01 · 1.8² = 0.072, √v ≈ 0.26833, step 0.01 · 1.8 / 0.26833 ≈ 0.067082.
    const got = stepsOnSquare((p) => new RMSprop(p, { lr: 0.01 }), 2);
    const withV = (next: (v: number, g: number) => number, scale: (v: number) => number) => {
      let v = 0;
      return pathOf((x, g) => {
        v = next(v, g);
        return x - (0.01 * g) / scale(v);
      }, 2);
    };
    const mean = (v: number, g: number) => 0.99 * v + 0.01 * g * g;
    expectPath(
      "RMSprop, lr 0.01",
      got,
      [0.9, 0.83291797],
      [
        [pathOf((x, g) => x - 0.01 * g, 2), "that is plain SGD: divide lr · grad by √v + eps."],
        [withV(mean, (v) => v + 1e-8), "the step was divided by v: divide by its root, √v + eps."],
        [
          withV(
            (v, g) => 0.99 * v + g * g,
            (v) => Math.sqrt(v) + 1e-8,
          ),
          "v = alpha · v + (1 − alpha) · grad²: the grad² is weighted by 1 − alpha.",
        ],
        [
          withV(
            (v, g) => 0.01 * v + 0.99 * g * g,
            (v) => Math.sqrt(v) + 1e-8,
          ),
          "alpha and 1 − alpha are swapped: v = alpha · v + (1 − alpha) · grad².",
        ],
      ],
    );
  });

  test("adds eps to the root, not under it (PyTorch's order): with eps 0.5, the first step is 0.1 · 2 / (√0.4 + 0.5)", () => {
    const p = new Value(1);
    p.grad = 2;
    new RMSprop([p], { lr: 0.1, alpha: 0.9, eps: 0.5 }).step();
    const expected = 1 - (0.1 * 2) / (Math.sqrt(0.4) + 0.5);
    expect(
      p.data,
      explain("p after one step, v = 0.1 · 2² = 0.4", expected, p.data, [
        [1 - (0.1 * 2) / Math.sqrt(0.4 + 0.5), "eps went under the root: divide by √v + eps."],
        [1 - (0.1 * 2) / (Math.sqrt(0.4) - 0.5), "eps was subtracted: it is added to √v."],
        [1 - (0.1 * 2) / Math.sqrt(0.4), "eps is missing: divide by √v + eps."],
      ]),
    ).toBeCloseTo(expected, 12);
  });

  test("keeps one running mean of squared grads per parameter", () => {
    const [a, b] = [new Value(0), new Value(0)];
    const rms = new RMSprop([a, b], { alpha: 0.5 });
    a.grad = 2;
    b.grad = -4;
    rms.step();
    rms.step();
    expect(rms.squareAvg, "v after two steps with g² = 4 and 16: 0.5 · (0.5 g²) + 0.5 g² = 0.75 g²").toEqual([3, 12]);
  });

  test("with PyTorch's defaults (lr 0.01, alpha 0.99), the first step is 0.1 against the sign of the grad, whatever its size", () => {
    for (const grad of [1000, -0.01]) {
      const p = new Value(0);
      p.grad = grad;
      new RMSprop([p]).step();
      // v = 0.01 · g², so lr · g / √v = 0.01 · g / (0.1 · |g|) = 0.1 · sign(g): ten times lr, as v starts at 0.
      expect(
        p.data,
        explain(`p after one default step from 0 with grad ${grad}`, -0.1 * Math.sign(grad), p.data),
      ).toBeCloseTo(-0.1 * Math.sign(grad), 5);
    }
  });
});

describe("Adam", () => {
  test("on x² with lr 0.1, x goes 1 → 0.9 → 0.80041 → 0.70159 (worked out in the README)", () => {
    const got = stepsOnSquare((p) => new Adam(p, { lr: 0.1 }), 3);
    const adam = (correct: (t: number) => [number, number]) => {
      let [m, v, t] = [0, 0, 0];
      return pathOf((x, g) => {
        t += 1;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const [c1, c2] = correct(t);
        return x - (0.1 * (m / c1)) / (Math.sqrt(v / c2) + 1e-8);
      }, 3);
    };
    expectPath(
      "Adam, lr 0.1",
      got,
      [0.9, 0.80041223, 0.70158627],
      [
        [adam(() => [1, 1]), "that is Adam without bias correction: divide m by 1 − β1^t and v by 1 − β2^t."],
        [
          adam((t) => [1 - 0.9 ** (t - 1), 1 - 0.999 ** (t - 1)]),
          "the correction used t before counting this step: add 1 to t first.",
        ],
        [
          adam((t) => [1 - 0.999 ** t, 1 - 0.9 ** t]),
          "β1 and β2 are swapped in the correction: m goes with β1, v with β2.",
        ],
        [pathOf((x, g) => x - 0.1 * g, 3), "that is plain SGD: step by lr · m̂ / (√v̂ + eps)."],
      ],
    );
  });

  test("its first step is lr against the sign of the grad, whatever the grad's size (PyTorch's default lr is 0.001)", () => {
    for (const grad of [1000, -0.01]) {
      const p = new Value(0);
      p.grad = grad;
      new Adam([p]).step();
      // m̂ = g and v̂ = g² after one step, so lr · m̂ / √v̂ = lr · sign(g).
      expect(
        p.data,
        explain(`p after one default step from 0 with grad ${grad}`, -0.001 * Math.sign(grad), p.data),
      ).toBeCloseTo(-0.001 * Math.sign(grad), 8);
    }
  });

  test("counts its steps in t and keeps m and v per parameter: m = β1 · m + (1 − β1) · g, v = β2 · v + (1 − β2) · g²", () => {
    const [a, b] = [new Value(0), new Value(0)];
    const adam = new Adam([a, b], { betas: [0.5, 0.75] });
    a.grad = 2;
    b.grad = -4;
    adam.step();
    adam.step();
    expect(adam.t, "two steps taken").toBe(2);
    expect(adam.expAvg, "m = 0.5 · (0.5 g) + 0.5 g = 0.75 g").toEqual([1.5, -3]);
    expect(adam.expAvgSq, "v = 0.75 · (0.25 g²) + 0.25 g² = 0.4375 g²").toEqual([1.75, 7]);
  });

  test("adds eps to the root of v̂, not under it: with eps 1, the first step from grad 2 is lr · 2 / (2 + 1)", () => {
    const p = new Value(1);
    p.grad = 2;
    new Adam([p], { lr: 0.3, eps: 1 }).step();
    const expected = 1 - (0.3 * 2) / (2 + 1);
    expect(
      p.data,
      explain("p after one step (m̂ = 2, v̂ = 4)", expected, p.data, [
        [1 - (0.3 * 2) / Math.sqrt(4 + 1), "eps went under the root: divide by √v̂ + eps."],
        [1 - (0.3 * 2) / (2 - 1), "eps was subtracted: it is added to √v̂."],
      ]),
    ).toBeCloseTo(expected, 12);
  });
});

describe("the optimizers in a training loop", () => {
  const data: Dataset = {
    x: [
      [-1, 0.5],
      [-0.5, 0.1],
      [0.3, 0.8],
      [0.8, 0.4],
      [1, -0.7],
      [-0.3, -0.9],
    ],
    y: [-1, -1, 1, 1, 1, -1],
  };
  const makers: [string, (net: ANN) => Optimizer][] = [
    ["SGD", (net) => new SGD(net.parameters(), { lr: 0.05 })],
    ["SGD with momentum", (net) => new SGD(net.parameters(), { lr: 0.05, momentum: 0.9 })],
    ["RMSprop", (net) => new RMSprop(net.parameters(), { lr: 0.01 })],
    ["Adam", (net) => new Adam(net.parameters(), { lr: 0.01 })],
  ];

  test("each lowers the loss of a small network trained in mini-batches of 2 for 30 epochs", () => {
    for (const [name, make] of makers) {
      const net = new ANN(2, [4, 1], { rng: new Random(1) });
      const optimizer = make(net);
      const loss = () =>
        meanSeLoss(
          data.x.map((x) => net.forward(x)[0]),
          data.y,
        ).data;
      const before = loss();
      for (let epoch = 0; epoch < 30; epoch++) trainEpochInBatches(net, data, { batchSize: 2, optimizer });
      const after = loss();
      expect(after, `${name}: the mean loss went from ${before} to ${after}; it should fall below half`).toBeLessThan(
        before / 2,
      );
    }
  });

  test("an optimizer is a drop-in for lesson 12's plainSgd: SGD without momentum gives the same epoch", () => {
    const net = new ANN(2, [4, 1], { rng: new Random(2) });
    const copy = new ANN(2, [4, 1], { rng: new Random(2) });
    const losses = trainEpochInBatches(net, data, { batchSize: 2, optimizer: new SGD(net.parameters(), { lr: 0.1 }) });
    const expected = trainEpochInBatches(copy, data, { batchSize: 2, optimizer: plainSgd(copy, 0.1) });
    expect(losses, "the same updates give the same losses, update by update").toEqual(expected);
  });
});
