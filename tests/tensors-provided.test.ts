/**
 * The provided parts of lessons 14 and 15 around the exercise regions: the tensor's constructor, readers and shape
 * checks, the tensor gradient checker, the batch and entry helpers, the label checks, the study's small helpers, the
 * tensor picture, and the bench's tensor row. The lessons test the regions; these test the rest.
 */
import { describe, expect, test } from "vitest";
import { scalarInBatches, tensorRow } from "../scripts/maintain/tensor-bench";
import { modernMarkdown } from "../scripts/study/modern-report";
import * as batches from "../solutions/batches";
import { makeMoons, toSigned } from "../solutions/data";
import { tensorToDot } from "../solutions/draw";
import {
  type BothWays,
  evaluateModernClaims,
  MODERN_RECIPE,
  type ModernRunResult,
  modernData,
  modernUpdates,
  notebookUpdates,
  runModern,
  updatesToReach,
} from "../solutions/modern-study";
import { evaluateModern, trainModern } from "../solutions/modern-training";
import * as nn from "../solutions/nn";
import { Adam } from "../solutions/optim";
import { Random } from "../solutions/random";
import {
  layerSizes,
  MODELS,
  type RunResult,
  runModel,
  STUDY_CONFIG,
  type StudyConfig,
  studyData,
} from "../solutions/study";
import { shapeText, Tensor } from "../solutions/tensor";
import { checkTensorGradients, expectTensorGradientsToMatch } from "../solutions/tensor-gradcheck";
import * as tensorNn from "../solutions/tensor-nn";

const { entries, Linear, MLP, meanBceWithLogits, mseLoss, toBatch } = tensorNn;
const square = () =>
  Tensor.from(
    [
      [1, 2],
      [3, 4],
    ],
    "a",
  );

describe("Tensor: the constructor and the readers", () => {
  test("a new tensor has the shape it was given, every entry and every grad 0", () => {
    const t = new Tensor([2, 3], [], "", "t");
    expect([t.shape, t.rows, t.cols, t.size]).toEqual([[2, 3], 2, 3, 6]);
    expect([...t.data, ...t.grad].every((x) => x === 0)).toBe(true);
    expect(String(t)).toBe("Tensor(t, 2×3)");
    expect(String(new Tensor([1, 1]))).toBe("Tensor(1×1)");
  });

  test("refuses a shape that is not two whole numbers of at least 1", () => {
    expect(() => new Tensor([0, 2])).toThrow(
      "Tensor: a shape is two whole numbers of at least 1, like [32, 2]; got [0, 2].",
    );
    expect(() => new Tensor([2, 1.5])).toThrow("got [2, 1.5]");
  });

  test("Tensor.from reads rows of numbers, and refuses ragged rows, non-numbers and nothing", () => {
    const t = square();
    expect([t.at(1, 0), t.toArray(), t.gradArray(), t.label]).toEqual([
      3,
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 0],
        [0, 0],
      ],
      "a",
    ]);
    expect(() => Tensor.from([[1, 2], [3]])).toThrow("Tensor.from: row 1 has 1 numbers, row 0 has 2.");
    expect(() => Tensor.from([[1, Number.NaN]])).toThrow("expected finite numbers, got NaN at row 0, column 1.");
    expect(() => Tensor.from([])).toThrow("Tensor.from: expected a list of rows");
    // @ts-expect-error: a flat list is not a list of rows
    expect(() => Tensor.from([1, 2])).toThrow("like [[1, 2], [3, 4]]");
  });

  test("item() gives the one number of a 1×1 tensor and refuses any other shape", () => {
    expect(Tensor.from([[7]]).item()).toBe(7);
    expect(() => square().item()).toThrow("item: expected a 1×1 tensor, got 2×2.");
  });
});

describe("Tensor: shapes that do not fit fail at the call, naming both shapes", () => {
  const a = square();

  test("add and sub take the same shape or one row", () => {
    expect(() => a.add(Tensor.from([[1, 2, 3]]))).toThrow(
      "add: the shapes 2×2 and 1×3 do not fit: expected 2×2, or one row of 1×2 to use for every row.",
    );
    expect(() => a.sub(new Tensor([3, 2]))).toThrow("sub: the shapes 2×2 and 3×2 do not fit");
  });

  test("mul takes the same shape, matmul the left one's columns as the right one's rows", () => {
    expect(() => a.mul(new Tensor([1, 2]))).toThrow("mul: the shapes 2×2 and 1×2 differ: expected the same shape.");
    expect(() => a.matmul(new Tensor([3, 1]))).toThrow(
      "matmul: cannot multiply 2×2 by 3×1: the left one's columns (2) must equal the right one's rows (3).",
    );
  });

  test("a number where a tensor belongs says to use scale, and scale and pow want finite numbers", () => {
    // @ts-expect-error: a number is not a Tensor
    expect(() => a.mul(2)).toThrow("mul: expected a Tensor, got a number (to multiply by a number, use scale).");
    // @ts-expect-error: a string is not a Tensor
    expect(() => a.add("x")).toThrow("add: expected a Tensor, got string.");
    expect(() => a.scale(Number.POSITIVE_INFINITY)).toThrow("scale: expected a finite number, got Infinity.");
    // @ts-expect-error: the exponent is a number
    expect(() => a.pow("2")).toThrow("pow: expected a finite number, got 2.");
  });

  test("backward starts only from a 1×1 tensor", () => {
    expect(() => a.tanh().backward()).toThrow(
      "backward: start from a 1×1 tensor (one number, like a loss), got 2×2: take its mean() or sum() first.",
    );
    expect(shapeText(a)).toBe("2×2");
  });
});

describe("the tensor gradient checker", () => {
  test("finds every entry's gradient right for a correct graph, with one row per entry", () => {
    const a = square();
    const w = Tensor.from([[0.5], [-1]], "w");
    const report = checkTensorGradients([a, w], () => a.matmul(w).tanh().sum());
    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => r.input)).toEqual(["a[0][0]", "a[0][1]", "a[1][0]", "a[1][1]", "w[0][0]", "w[1][0]"]);
    expect(checkTensorGradients([new Tensor([1, 1])], () => new Tensor([1, 1]).sum()).rows[0].input).toBe("#0[0][0]");
  });

  test("reports a wrong local step with a table, and refuses an f() that is not 1×1", () => {
    const x = square();
    const broken = () => {
      const out = x.sum();
      out.localBackward = () => x.grad.fill(2);
      return out;
    };
    expect(() => expectTensorGradientsToMatch([x], broken)).toThrow(/disagrees with the numeric gradient[\s\S]*✗/);
    expect(() => checkTensorGradients([x], () => x.tanh())).toThrow(
      "checkTensorGradients: f() must give a 1×1 tensor, got 2×2.",
    );
  });
});

describe("the network's helpers on tensors", () => {
  test("Linear.forward wants a tensor of one column per input, and an MLP at least one layer", () => {
    const layer = new Linear(2, 3);
    expect(() => layer.forward(new Tensor([4, 3]))).toThrow(
      "Linear.forward: expected a batch of 2 columns (one per input), got 4×3.",
    );
    // @ts-expect-error: a list is not a tensor
    expect(() => layer.forward([[1, 2]])).toThrow("Linear.forward: expected a Tensor of one example per row.");
    expect(() => new MLP(2, [])).toThrow("MLP: give at least one layer size, like new MLP(2, [16, 1]).");
    expect(new Linear(1, 1, { init: "zeros" }).weight.data[0]).toBe(0);
  });

  test("the losses want targets of the predictions' shape, and cross-entropy labels 0 and 1", () => {
    expect(() => mseLoss(new Tensor([3, 1]), new Tensor([2, 1]))).toThrow(
      "mseLoss: the predictions are 3×1 but the targets 2×1: expected the same shape.",
    );
    expect(() => meanBceWithLogits(new Tensor([1, 1]), Tensor.from([[-1]]))).toThrow(
      "meanBceWithLogits: the labels must be 0 or 1, got -1. Cross-entropy takes makeMoons' 0/1 labels",
    );
  });

  test("toBatch gives the examples at the positions as rows of x, their targets as the column y", () => {
    const { x, y } = toBatch(
      {
        x: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        y: [7, 8, 9],
      },
      [2, 0],
    );
    expect([x.toArray(), y.toArray(), x.label, y.label]).toEqual([
      [
        [5, 6],
        [1, 2],
      ],
      [[9], [7]],
      "x",
      "y",
    ]);
    expect(() => toBatch({ x: [[1]], y: [1] }, [])).toThrow("toBatch: expected at least one position, got none.");
  });

  test("entries shows every number of the tensors as a Parameter that reads and writes it", () => {
    const a = square();
    a.grad.set([5, 6, 7, 8]);
    const [first, , third] = entries([a]);
    expect([first.data, first.grad, third.data, third.grad, entries([a, a]).length]).toEqual([1, 5, 3, 7, 8]);
    third.data -= 1;
    third.grad = 0;
    expect([a.at(1, 0), a.grad[2]]).toEqual([2, 0]);
  });
});

describe("lesson 15's provided parts", () => {
  test("the modern loop refuses ±1 targets, mismatched data and a number of epochs that is not whole", () => {
    const model = new MLP(2, [1]);
    const data = { x: [[0, 0]], y: [-1] };
    expect(() => evaluateModern(model, data)).toThrow(
      "evaluateModern: labels must be 0 or 1, got -1. Use makeMoons' labels as they are, not toSigned.",
    );
    const options = {
      train: { x: [[0, 0]], y: [1] },
      test: { x: [[0, 0]], y: [1, 0] },
      epochs: 1,
      batchSize: 1,
      optimizer: new Adam(entries(model.parameters())),
      rng: new Random(1),
    };
    expect(() => trainModern(model, options)).toThrow(
      "trainModern: expected as many labels as examples (at least one), got 1 and 2.",
    );
    expect(() => trainModern(model, { ...options, epochs: 0.5 })).toThrow("trainModern: epochs must be a whole number");
  });

  test("the modern way uses lesson 10's points and split, with makeMoons' 0/1 labels", () => {
    const modern = modernData(STUDY_CONFIG, 3);
    const notebook = studyData(STUDY_CONFIG, 3);
    expect(modern.train.x).toEqual(notebook.train.x);
    expect(toSigned(modern.test.y)).toEqual(notebook.test.y);
  });

  test("counts the updates of a run both ways, and finds the first update at a mark", () => {
    expect([notebookUpdates(STUDY_CONFIG), modernUpdates(STUDY_CONFIG)]).toEqual([7500, 250]);
    expect(updatesToReach([0.9, 0.5, 0.88, 0.92], 0.9), "index 0 is before training, and does not count").toBe(3);
    expect(updatesToReach([0.5, 0.7], 0.9)).toBeNull();
    expect(updatesToReach([0.5, 0.9], 0.9 + 1e-12), "equal to rounding").toBe(1);
  });
});

describe("lesson 15's study when a run blows up", () => {
  const config: StudyConfig = { n: 20, noise: 0.1, testFraction: 0.25, hidden: 4, epochs: 3, seeds: [1] };

  test("a modern run whose loss stops being a number is reported as diverged, keeping the epochs it finished", () => {
    const { result } = runModern({ ...MODELS[1], lr: 1e308 }, config, 1);
    expect(result.diverged).toMatch(/^diverged after \d+ epochs: the loss became NaN at epoch \d+$/);
    expect(result.history.length).toBeLessThan(3);
  });

  test("any other error is not hidden as divergence", () => {
    const fails = () => {
      throw new RangeError("an index out of range");
    };
    expect(() => runModern(MODELS[0], config, 1, fails)).toThrow("an index out of range");
  });

  test("a seed whose runs all diverged counts as not holding, for every claim", () => {
    const diverged = (model: RunResult["model"]): ModernRunResult => ({
      model,
      seed: 1,
      start: { train: { loss: 1, accuracy: 0.5 }, test: { loss: 1, accuracy: 0.5 } },
      history: [],
      diverged: "diverged after 0 epochs: the loss became NaN at epoch 1",
      testAccuracyByUpdate: [0.5],
    });
    const runs = Object.fromEntries(MODELS.map((m) => [m.id, diverged(m.id)])) as BothWays["modern"];
    for (const claim of evaluateModernClaims([{ notebook: runs, modern: runs }], config)) {
      expect([claim.holdsIn, claim.divergedIn, claim.verdict], claim.id).toEqual([0, 1, "not reproduced"]);
    }
  });
});

describe("the tensor picture and the bench's tensor row", () => {
  test("tensorToDot draws one record per tensor with its shape, and one node per operation", () => {
    const a = square();
    const dot = tensorToDot(a.matmul(Tensor.from([[1], [2]])).sum());
    expect(dot).toContain('t0 [shape=record, label="{ a | 2 × 2 }"];');
    expect(dot).toContain('label="2 × 1"];');
    expect(dot).toContain('[shape=circle, width=0.3, margin=0, label="matmul"];');
    expect(dot.match(/shape=record/g)?.length, "a, the column, the product and the sum").toBe(4);
  });

  test("the tensor row trains to the weights of lesson 12's loop on the same batches", () => {
    const moons = makeMoons(20, { noise: 0.1, seed: 42 });
    const data = { x: moons.x, y: toSigned(moons.y) };
    const initial = new nn.ANN(2, [4, 1]).parameters().map((p) => p.data);
    const options = { lr: 0.05, batchSize: 8, initial };
    const row = tensorRow(tensorNn, batches, [2, 4, 1], data, options);
    row.epoch();
    row.epoch();
    const scalar = scalarInBatches(nn, batches, [2, 4, 1], data, { ...options, epochs: 2 });
    const gap = Math.max(...row.weights().map((w, i) => Math.abs(w - scalar[i])));
    expect(gap).toBeLessThan(1e-12);
    expect(row.outputs(data.x)).toHaveLength(20);
  });
});

describe("lesson 15's generated section", () => {
  test("puts both ways side by side per model, the claims with their verdicts, the rules and the figures", () => {
    const config: StudyConfig = { n: 20, noise: 0.1, testFraction: 0.25, hidden: 3, epochs: 2, seeds: [1] };
    const bySeed = [
      {
        notebook: Object.fromEntries(MODELS.map((m) => [m.id, runModel(m, config, 1).result])),
        modern: Object.fromEntries(MODELS.map((m) => [m.id, runModern(m, config, 1).result])),
      },
    ] as BothWays[];
    const results = {
      config,
      recipe: { ...MODERN_RECIPE },
      models: MODELS.map((m) => ({ ...m, layers: [2, ...layerSizes(m, config)] })),
      updates: { notebook: 30, modern: 2 },
      claims: evaluateModernClaims(bySeed, config),
      runs: MODELS.map((m) => bySeed[0].modern[m.id]),
    };
    const text = modernMarkdown(results, bySeed, "results/", "src");
    expect(text).toMatch(/^_Generated by `npm run experiments -- --lesson 15 --target src` from the code in `src\/`/);
    expect(text).toContain("30 updates per run");
    expect(text.match(/^\| Model \d /gm), "one row per model").toHaveLength(5);
    expect(text.match(/^\| \d +\| /gm), "one row per claim").toHaveLength(5);
    expect(text).toContain(
      "![Test accuracy per epoch, the notebook's way and the modern way, per model](results/accuracy-by-epoch.svg)",
    );
  });
});
