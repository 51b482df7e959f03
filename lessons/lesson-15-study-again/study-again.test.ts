/**
 * Lesson 15: the modern training loop (evaluateModern, modernStep, trainModern), then a reduced run of the study
 * that compares it with the notebook's way. Make these pass by writing the `lesson-15` regions of
 * src/modern-training.ts.
 */
import { miniBatches, type Updater } from "@course/batches";
import { type Dataset, makeMoons, trainTestSplit } from "@course/data";
import { type BothWays, evaluateModernClaims, MODERN_CLAIMS, modernData, runModern } from "@course/modern-study";
import { evaluateModern, modernStep, trainModern } from "@course/modern-training";
import { Adam } from "@course/optim";
import { Random } from "@course/random";
import { MODELS, runModel, type StudyConfig, studyData, verdictFor } from "@course/study";
import { entries, MLP, meanBceWithLogits, toBatch } from "@course/tensor-nn";
import type { HistoryRow } from "@course/train";
import { describe, expect, test } from "vitest";
import { explain, largestDifference } from "../test-helpers";

const softplus = (z: number) => Math.log(1 + Math.exp(z));

/** MLP(1, [1]) with every weight 1 computes the logit x + 1. */
const plusOne = () => new MLP(1, [1], { init: "ones" });
/** Logits −2, 0, 1.5 and 3 (with plusOne) for the labels 0, 1, 0, 1: right, right (0 counts as 1), wrong, right. */
const four: Dataset = { x: [[-3], [-1], [0.5], [2]], y: [0, 1, 0, 1] };

/** Plain SGD on an MLP, as lesson 12's plainSgd is on an ANN. */
const sgd = (model: MLP, lr: number): Updater => ({ zeroGrad: () => model.zeroGrad(), step: () => model.update(lr) });
const weights = (model: MLP) => model.parameters().flatMap((p) => Array.from(p.data));

const moons = (n: number, seed: number) => trainTestSplit(makeMoons(n, { noise: 0.1, seed }), { seed });

describe("evaluateModern(model, data)", () => {
  test("counts an example as right when the logit's sign gives its label: a logit of 0 or more means 1", () => {
    const got = evaluateModern(plusOne(), four).accuracy;
    expect(
      got,
      explain("the accuracy on logits −2, 0, 1.5, 3 for labels 0, 1, 0, 1", 0.75, got, [
        [0.5, "the logit 0 was counted as the label 0: a logit of 0 or more predicts 1 (>= 0, not > 0)."],
        [0.25, "the prediction is the wrong way round: a positive logit means the label 1."],
        [3, "that is the number of right answers: divide by the number of examples."],
      ]),
    ).toBe(0.75);
  });

  test("gives the mean cross-entropy over every example: mean(softplus(z) − y · z)", () => {
    const expected = [softplus(-2), softplus(0) - 0, softplus(1.5), softplus(3) - 3].reduce((s, l) => s + l, 0) / 4;
    const got = evaluateModern(plusOne(), four).loss;
    expect(got, explain("the loss on logits −2, 0, 1.5, 3 for labels 0, 1, 0, 1", expected, got)).toBeCloseTo(
      expected,
      12,
    );
  });

  test("only measures: no weight and no grad changes", () => {
    const model = new MLP(2, [3, 1], { rng: new Random(1) });
    const before = weights(model);
    const { test: data } = moons(40, 1);
    evaluateModern(model, data);
    expect(weights(model), "evaluating must not train").toEqual(before);
    const grads = model.parameters().flatMap((p) => Array.from(p.grad));
    expect(
      grads.every((g) => g === 0),
      "evaluating runs no backward pass: every grad is still 0",
    ).toBe(true);
  });
});

describe("modernStep(model, data, batch, optimizer)", () => {
  test("zeroes the grads, takes the batch's mean cross-entropy, runs backward and one step, like a step by hand", () => {
    const { train } = moons(40, 2);
    const model = new MLP(2, [4, 1], { rng: new Random(2) });
    const byHand = new MLP(2, [4, 1], { rng: new Random(2) });
    const batch = [0, 3, 4, 9];
    modernStep(model, train, batch, sgd(model, 0.5));
    byHand.zeroGrad();
    const { x, y } = toBatch(train, batch);
    meanBceWithLogits(byHand.forward(x), y).backward();
    byHand.update(0.5);
    const { index, difference } = largestDifference(weights(model), weights(byHand));
    expect(difference, `weight ${index} differs from a step by hand by ${difference}`).toBeLessThan(1e-12);
  });

  test("returns the batch's loss, measured before the update", () => {
    const model = plusOne();
    const got = modernStep(model, four, [2], sgd(model, 0.1));
    // Logit 1.5 for the label 0: softplus(1.5) ≈ 1.7014, whatever the update does next.
    expect(
      got,
      explain("the loss modernStep returns", softplus(1.5), got, [
        [
          evaluateModern(model, { x: [[0.5]], y: [0] }).loss,
          "that is the loss after the update: return the one before it.",
        ],
      ]),
    ).toBeCloseTo(softplus(1.5), 12);
  });

  test("calls the optimizer's zeroGrad before backward and its step after, once each", () => {
    const model = plusOne();
    const calls: string[] = [];
    const spy: Updater = {
      zeroGrad: () => {
        model.zeroGrad();
        calls.push("zeroGrad");
      },
      step: () => calls.push(`step with the bias's grad ${model.layers[0].bias.grad[0].toFixed(4)}`),
    };
    modernStep(model, four, [3], spy);
    // Logit 3 for the label 1: d loss / d bias = sigmoid(3) − 1 ≈ −0.0474.
    expect(calls, "zeroGrad(), then forward, loss and backward, then step()").toEqual([
      "zeroGrad",
      `step with the bias's grad ${(1 / (1 + Math.exp(-3)) - 1).toFixed(4)}`,
    ]);
  });
});

describe("trainModern(model, options)", () => {
  const data = moons(48, 3);
  const options = (model: MLP, extra: object = {}) => ({
    ...data,
    epochs: 2,
    batchSize: 8,
    optimizer: sgd(model, 0.1),
    rng: new Random(3),
    ...extra,
  });

  test("makes one update per mini-batch: 36 examples in batches of 8 are 5 updates an epoch, 10 in two epochs", () => {
    const model = new MLP(2, [4, 1]);
    const updates: number[] = [];
    trainModern(model, options(model, { onUpdate: (update: number) => updates.push(update) }));
    expect(updates, "onUpdate is called after every update with its number, counting from 1").toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  test("calls onUpdate(k) once update k is made: the callback sees the weights after k modernSteps", () => {
    // The study measures the model from onUpdate (the loss after every update): called before the step, it
    // would see the weights one update late, which no count of the calls can tell.
    const model = new MLP(2, [4, 1], { rng: new Random(7) });
    const byHand = new MLP(2, [4, 1], { rng: new Random(7) });
    const seen: number[][] = [];
    trainModern(model, options(model, { epochs: 1, onUpdate: () => seen.push(weights(model)) }));
    miniBatches(data.train.x.length, 8, new Random(3)).forEach((batch, k) => {
      const before = weights(byHand);
      modernStep(byHand, data.train, batch, sgd(byHand, 0.1));
      const { index, difference } = largestDifference(seen[k], weights(byHand));
      const late = largestDifference(seen[k], before).difference === 0;
      expect(
        difference,
        `at onUpdate(${k + 1}), weight ${index} differs by ${difference} from the weights after update ${k + 1}` +
          (late ? ": they are the weights before it. Call onUpdate after modernStep, not before." : "."),
      ).toBeLessThan(1e-12);
    });
  });

  test("follows miniBatches(n, batchSize, rng): the same updates as modernStep on those batches, a new order every epoch", () => {
    const model = new MLP(2, [4, 1], { rng: new Random(4) });
    const byHand = new MLP(2, [4, 1], { rng: new Random(4) });
    trainModern(model, options(model));
    const rng = new Random(3);
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const batch of miniBatches(data.train.x.length, 8, rng))
        modernStep(byHand, data.train, batch, sgd(byHand, 0.1));
    }
    const { index, difference } = largestDifference(weights(model), weights(byHand));
    expect(
      difference,
      `weight ${index} differs by ${difference} from modernStep on miniBatches(36, 8, rng), epoch after epoch: ` +
        "shuffle with the generator you are given, once per epoch",
    ).toBeLessThan(1e-12);
  });

  test("returns one history row per epoch, measured with evaluateModern on both sets after the epoch's updates", () => {
    const model = new MLP(2, [4, 1], { rng: new Random(5) });
    const copy = new MLP(2, [4, 1], { rng: new Random(5) });
    const history = trainModern(model, options(model));
    expect(
      history.map((row) => row.epoch),
      "epochs count from 1",
    ).toEqual([1, 2]);
    const rng = new Random(3);
    const expected: HistoryRow[] = [1, 2].map((epoch) => {
      for (const batch of miniBatches(data.train.x.length, 8, rng)) modernStep(copy, data.train, batch, sgd(copy, 0.1));
      const onTrain = evaluateModern(copy, data.train);
      const onTest = evaluateModern(copy, data.test);
      return {
        epoch,
        trainLoss: onTrain.loss,
        testLoss: onTest.loss,
        trainAccuracy: onTrain.accuracy,
        testAccuracy: onTest.accuracy,
      };
    });
    expect(history, "each row: the losses and accuracies on the training and the test set after that epoch").toEqual(
      expected,
    );
  });

  test("calls onEpoch with each row as soon as its epoch is done", () => {
    const model = new MLP(2, [4, 1]);
    const seen: string[] = [];
    const history = trainModern(
      model,
      options(model, {
        onUpdate: (update: number) => seen.push(`update ${update}`),
        onEpoch: (row: HistoryRow) => seen.push(`epoch ${row.epoch}`),
      }),
    );
    expect(seen.filter((s) => s.startsWith("epoch")).length, "once per epoch").toBe(history.length);
    expect(seen.indexOf("epoch 1"), "epoch 1's row comes after its five updates and before the sixth").toBe(5);
  });

  test("trained the modern way for 20 epochs, a small network learns the moons", () => {
    const model = new MLP(2, [8, 1], { rng: new Random(6) });
    const history = trainModern(model, {
      ...data,
      epochs: 20,
      batchSize: 8,
      optimizer: new Adam(entries(model.parameters()), { lr: 0.05 }),
      rng: new Random(6),
    });
    const last = history[history.length - 1];
    expect(last.trainAccuracy, `the training accuracy after 20 epochs was ${last.trainAccuracy}`).toBeGreaterThan(0.8);
    expect(last.trainLoss, "the loss fell").toBeLessThan(history[0].trainLoss);
  });
});

describe("a reduced study", () => {
  // A few seconds' worth of the real study: small networks and data, short runs, two seeds.
  const small: StudyConfig = { n: 40, noise: 0.1, testFraction: 0.25, hidden: 4, epochs: 6, seeds: [1, 2] };
  let runs: BothWays[] | undefined;
  /** Both ways of every seed, trained once, by the first test that needs them (a failure shows in every test). */
  const reduced = (): BothWays[] => {
    runs ??= small.seeds.map((seed) => ({
      notebook: Object.fromEntries(MODELS.map((spec) => [spec.id, runModel(spec, small, seed).result])),
      modern: Object.fromEntries(MODELS.map((spec) => [spec.id, runModern(spec, small, seed).result])),
    })) as BothWays[];
    return runs;
  };

  test("both ways start from the same network: the untrained test accuracy is lesson 10's", () => {
    for (const seeds of reduced()) {
      for (const spec of MODELS) {
        expect(
          seeds.modern[spec.id].start.test.accuracy,
          `${spec.name}, seed ${seeds.modern[spec.id].seed}: the same points, split and initial weights as lesson 10`,
        ).toBe(seeds.notebook[spec.id].start.test.accuracy);
      }
    }
    expect(modernData(small, 1).test.x, "the same test points as lesson 10's").toEqual(studyData(small, 1).test.x);
  });

  test("measures the test accuracy after every update: 1 + 6 epochs × 1 batch of 30", () => {
    const run = reduced()[0].modern.model1;
    expect(run.testAccuracyByUpdate, "before training, then after each of the 6 updates").toHaveLength(7);
    expect(run.testAccuracyByUpdate.at(-1), "the last one is the last epoch's").toBe(run.history.at(-1)?.testAccuracy);
  });

  test("judges all five claims in every seed and gives each a verdict from its count", () => {
    const claims = evaluateModernClaims(reduced(), small);
    expect(claims.map((c) => c.id)).toEqual(MODERN_CLAIMS.map((c) => c.id));
    for (const claim of claims) {
      expect(claim.seeds).toBe(2);
      expect(claim.verdict, `${claim.id} holds in ${claim.holdsIn} of 2 seeds`).toBe(verdictFor(claim.holdsIn, 2));
    }
  });

  test("finds that Model 4 barely learns the modern way too, in every seed", () => {
    const tiny = evaluateModernClaims(reduced(), small).find((c) => c.id === "tiny-rate");
    expect(tiny?.holdsIn, "Adam's steps are about lr in size: 6 of 0.000001 move nothing").toBe(2);
  });
});
