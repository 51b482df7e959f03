/**
 * The provided argument checks around the exercise regions (engine, nn, loss, data, gradcheck): a wrong call
 * fails at once with a message that says what was wrong. The lessons test the regions; these test the rest.
 */
import { describe, expect, test } from "vitest";
import { meanSd, setbacks, tailMean } from "../solutions/analysis";
import { miniBatches, plainSgd, trainEpochInBatches } from "../solutions/batches";
import { makeMoons, trainTestSplit } from "../solutions/data";
import { Value } from "../solutions/engine";
import { formatReport } from "../solutions/gradcheck";
import { bceLoss, bceWithLogitsLoss, meanSeLoss } from "../solutions/loss";
import { ANN, Layer, Neuron } from "../solutions/nn";
import { Adam, AdamW, RMSprop, SGD } from "../solutions/optim";
import { evaluateClaims, MODELS, type RunResult, runModel, type SeedRuns, type StudyConfig } from "../solutions/study";
import { accuracy, evaluate, train } from "../solutions/train";

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

describe("cross-entropy (lesson 11)", () => {
  test("refuses labels other than 0 and 1, and says to use makeMoons' 0/1 labels", () => {
    expect(() => bceLoss(new Value(0.5), -1)).toThrow("bceLoss: the label must be 0 or 1, got -1.");
    expect(() => bceWithLogitsLoss(new Value(0.5), 2)).toThrow("not toSigned's -1/+1");
  });
});

describe("mini-batches (lesson 12)", () => {
  test("miniBatches rejects a size or a number of examples that is not a whole number of at least 1", () => {
    expect(() => miniBatches(4, 0)).toThrow("miniBatches: the batch size must be a whole number of at least 1, got 0.");
    expect(() => miniBatches(0, 2)).toThrow("the number of examples must be a whole number of at least 1, got 0.");
    expect(() => miniBatches(4, 1.5)).toThrow("got 1.5");
  });

  test("trainEpochInBatches rejects mismatched or empty data and 0/1 labels", () => {
    const net = new ANN(1, [1]);
    const optimizer = plainSgd(net, 0.1);
    expect(() => trainEpochInBatches(net, { x: [[1]], y: [1, 1] }, { batchSize: 1, optimizer })).toThrow(
      "as many targets as examples (at least one), got 1 and 2.",
    );
    expect(() => trainEpochInBatches(net, { x: [], y: [] }, { batchSize: 1, optimizer })).toThrow("got 0 and 0");
    expect(() => trainEpochInBatches(net, { x: [[1]], y: [0] }, { batchSize: 1, optimizer })).toThrow(
      "convert them with toSigned(y)",
    );
  });
});

describe("optimizers (lesson 13)", () => {
  test("need parameters, and name the optimizer that got none", () => {
    expect(() => new Adam([])).toThrow("Adam: give it the parameters to optimize, like model.parameters(); got none.");
  });

  test("reject a learning rate or eps that is not a positive number, and a momentum or beta outside [0, 1)", () => {
    const params = [new Value(1)];
    expect(() => new SGD(params, { lr: 0 })).toThrow("SGD: lr must be a positive number, got 0.");
    expect(() => new SGD(params, { lr: 0.1, momentum: 1 })).toThrow("SGD: momentum must lie in [0, 1), got 1.");
    expect(() => new RMSprop(params, { alpha: -0.1 })).toThrow("RMSprop: alpha must lie in [0, 1), got -0.1.");
    expect(() => new RMSprop(params, { eps: 0 })).toThrow("RMSprop: eps must be a positive number, got 0.");
    expect(() => new Adam(params, { lr: Number.POSITIVE_INFINITY })).toThrow("Adam: lr must be a positive number");
    expect(() => new Adam(params, { betas: [0.9, 1] })).toThrow("Adam: betas[1] must lie in [0, 1), got 1.");
    expect(() => new Adam(params, { betas: [1.5, 0.9] })).toThrow("Adam: betas[0] must lie in [0, 1), got 1.5.");
    expect(() => new Adam(params, { eps: -1 })).toThrow("Adam: eps must be a positive number, got -1.");
  });

  test("AdamW names itself, refuses a negative weight decay and decays only parameters it optimizes", () => {
    const [w, b] = [new Value(1), new Value(2)];
    expect(() => new AdamW([w], { lr: 0 })).toThrow("AdamW: lr must be a positive number, got 0.");
    expect(() => new AdamW([w], { weightDecay: -0.01 })).toThrow(
      "AdamW: weightDecay must be 0 or a positive number, got -0.01.",
    );
    expect(() => new AdamW([w], { decay: [w, b] })).toThrow(
      "AdamW: decay lists a parameter that is not among those it optimizes.",
    );
    const adamw = new AdamW([w, b]);
    expect([adamw.weightDecay, adamw.decayed], "PyTorch's default: 0.01, on every parameter").toEqual([0.01, [w, b]]);
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

describe("train and analysis", () => {
  const tiny = { x: [[1], [-1]], y: [1, -1] };

  test("train rejects a number of epochs that is not a whole number of 0 or more", () => {
    const net = new ANN(1, [1]);
    expect(() => train(net, { train: tiny, test: tiny, epochs: -1, lr: 0.1 })).toThrow("train: epochs must be");
    expect(() => train(net, { train: tiny, test: tiny, epochs: 1.5, lr: 0.1 })).toThrow("got 1.5");
  });

  test("accuracy and evaluate need as many targets as predictions, and at least one", () => {
    expect(() => accuracy([1], [1, -1])).toThrow("accuracy: expected as many targets as predictions, got 1 and 2.");
    expect(() => evaluate(new ANN(1, [1]), { x: [], y: [] })).toThrow("evaluate: there is nothing to measure");
  });

  test("evaluate says how to fix 0/1 labels", () => {
    expect(() => evaluate(new ANN(1, [1]), { x: [[1]], y: [0] })).toThrow("convert them with toSigned(y)");
  });

  test("the analysis helpers reject an empty series and a tail that is not a whole number", () => {
    expect(() => meanSd([])).toThrow("meanSd: expected at least one value, got none.");
    expect(() => setbacks([], "lower")).toThrow("setbacks: expected at least one value");
    expect(() => tailMean([1, 2], 0)).toThrow("tailMean: count must be a whole number of at least 1, got 0.");
  });
});

describe("study", () => {
  const config: StudyConfig = { n: 20, noise: 0.1, testFraction: 0.25, hidden: 4, epochs: 3, seeds: [1] };

  test("a run whose numbers blow up is reported as diverged, keeping the epochs it finished", () => {
    const explosive = { ...MODELS[4], lr: 1e6 };
    const { result } = runModel(explosive, config, 1);
    expect(result.diverged).toMatch(/^diverged after \d+ epochs: /);
    expect(result.history.length).toBeLessThan(config.epochs);
  });

  test("a loss that overflows to Infinity stops the run before the row is recorded", () => {
    // Found by a sweep: with 2 hidden neurons, lr 7 drives the outputs past 1e154, where the square overflows.
    const { result } = runModel({ ...MODELS[1], lr: 7 }, { ...config, hidden: 2, epochs: 10 }, 1);
    expect(result.diverged).toMatch(/the loss became Infinity at epoch \d+/);
    for (const row of result.history) expect(Number.isFinite(row.trainLoss)).toBe(true);
  });

  test("any other error is not hidden as divergence", () => {
    const fails = () => {
      throw new Error("a bug in the callback");
    };
    expect(() => runModel(MODELS[0], config, 1, fails)).toThrow("a bug in the callback");
    const outOfRange = () => {
      throw new RangeError("an index out of range");
    };
    expect(() => runModel(MODELS[0], config, 1, outOfRange)).toThrow("an index out of range");
  });

  test("a seed whose runs all diverged counts as not holding, for every claim", () => {
    const diverged = (model: RunResult["model"]): RunResult => ({
      model,
      seed: 1,
      start: { train: { loss: 1, accuracy: 0.5 }, test: { loss: 1, accuracy: 0.5 } },
      history: [],
      diverged: "diverged after 0 epochs: the loss became Infinity at epoch 1",
    });
    const runs = Object.fromEntries(MODELS.map((m) => [m.id, diverged(m.id)])) as SeedRuns;
    for (const claim of evaluateClaims([runs], config)) {
      expect([claim.holdsIn, claim.divergedIn, claim.verdict], claim.id).toEqual([0, 1, "not reproduced"]);
      expect(claim.measurements).toEqual([]);
    }
  });
});
