/**
 * Training: the loop that turns a randomly initialised network into a classifier.
 *
 * The targets are -1 and +1 (use `toSigned` on the 0/1 labels of `makeMoons`); the network has one output
 * and predicts the class by the sign of that output. Training is per-example stochastic gradient descent,
 * as in the notebook: for every example, zeroGrad → forward → loss → backward → update.
 *
 * Lesson 09.
 */
// Everything your code in this file may use is imported here, as values: `new Value(0)`, `meanSeLoss(...)`
// and `new ANN(...)` all work in the regions below. (The reference solution does not use them all.)
import type { Dataset } from "./data";
// biome-ignore lint/correctness/noUnusedImports: for the learner's code in the regions (see above).
import { Value } from "./engine";
// biome-ignore lint/correctness/noUnusedImports: meanSeLoss is for the learner's code in the regions (see above).
import { meanSeLoss, seLoss } from "./loss";
import { ANN } from "./nn";

/** Loss and accuracy of a network on a set of examples. */
export interface Evaluation {
  /** The mean squared error over the examples. */
  loss: number;
  /** The share of examples whose predicted sign matches the target, from 0 to 1. */
  accuracy: number;
}

/** What `train` records after each epoch (one pass over the training set). */
export interface HistoryRow {
  /** 1 for the first epoch. */
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

export interface TrainOptions {
  /** Examples to learn from; targets -1/+1. */
  train: Dataset;
  /** Held-out examples, only evaluated, never learned from; targets -1/+1. */
  test: Dataset;
  epochs: number;
  /** The learning rate of `update(lr)`. */
  lr: number;
  /** Called with each history row as soon as its epoch is done (for progress bars and live plots). */
  onEpoch?: (row: HistoryRow) => void;
}

/** The class the network predicts for one example: +1 when its output is 0 or more, else -1. */
export function predict(model: ANN, x: number[]): number {
  // BEGIN lesson-09
  return model.forward(x)[0].data >= 0 ? 1 : -1;
  // END lesson-09
}

/** The share of `predictions` equal to the `targets` at the same position, from 0 to 1. */
export function accuracy(predictions: number[], targets: number[]): number {
  checkSameLength(predictions.length, targets.length, "accuracy");
  // BEGIN lesson-09
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) {
    if (predictions[i] === targets[i]) correct += 1;
  }
  return correct / predictions.length;
  // END lesson-09
}

/**
 * One epoch of per-example SGD over `data`, in order: for every example zeroGrad, forward, loss, backward,
 * update. Returns the mean of the losses seen along the way (each measured just before its own update).
 */
export function trainEpoch(model: ANN, data: Dataset, lr: number): number {
  checkTargets(data, "trainEpoch");
  // BEGIN lesson-09
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    model.zeroGrad();
    const loss = seLoss(model.forward(data.x[i])[0], data.y[i]);
    loss.backward();
    model.update(lr);
    total += loss.data;
  }
  return total / data.x.length;
  // END lesson-09
}

/** The mean squared error and the accuracy of `model` on `data`. Only forward passes: no parameter changes. */
export function evaluate(model: ANN, data: Dataset): Evaluation {
  checkTargets(data, "evaluate");
  // BEGIN lesson-09
  let total = 0;
  const predictions: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const output = model.forward(data.x[i])[0];
    total += seLoss(output, data.y[i]).data;
    predictions.push(output.data >= 0 ? 1 : -1);
  }
  return { loss: total / data.x.length, accuracy: accuracy(predictions, data.y) };
  // END lesson-09
}

/**
 * Trains `model` for `epochs` epochs and returns one history row per epoch, each measured with `evaluate`
 * on the training and the test set after that epoch's updates.
 */
export function train(model: ANN, { train, test, epochs, lr, onEpoch }: TrainOptions): HistoryRow[] {
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(`train: epochs must be a whole number of 0 or more, got ${epochs}.`);
  }
  // BEGIN lesson-09
  const history: HistoryRow[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    trainEpoch(model, train, lr);
    const onTrain = evaluate(model, train);
    const onTest = evaluate(model, test);
    const row = {
      epoch,
      trainLoss: onTrain.loss,
      testLoss: onTest.loss,
      trainAccuracy: onTrain.accuracy,
      testAccuracy: onTest.accuracy,
    };
    history.push(row);
    onEpoch?.(row);
  }
  return history;
  // END lesson-09
}

// Provided checks: a mistake in the data fails here with a message instead of training towards nonsense.

function checkSameLength(a: number, b: number, where: string): void {
  if (a !== b) throw new RangeError(`${where}: expected as many targets as predictions, got ${a} and ${b}.`);
  if (a === 0) throw new RangeError(`${where}: there is nothing to measure (no examples).`);
}

function checkTargets(data: Dataset, where: string): void {
  checkSameLength(data.x.length, data.y.length, where);
  const bad = data.y.find((t) => t !== 1 && t !== -1);
  if (bad !== undefined) {
    throw new RangeError(
      `${where}: targets must be -1 or +1, got ${bad}. makeMoons labels are 0/1: convert them with toSigned(y).`,
    );
  }
}
