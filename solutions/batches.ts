/**
 * Mini-batches: one update for every few examples, between lesson 09's one update per example and batch
 * gradient descent's one update per epoch. `miniBatches` is the job of PyTorch's `DataLoader(data,
 * batch_size, shuffle)`; `batchStep` is the body of every PyTorch training loop:
 *
 *     optimizer.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); optimizer.step()
 *
 * The targets are -1 and +1 and the loss is lesson 08's mean squared error, as in lesson 09.
 *
 * Lesson 12.
 */
import type { Dataset } from "./data";
import { Value } from "./engine";
import { meanSeLoss } from "./loss";
import { ANN } from "./nn";
import { Random } from "./random";

/**
 * What a training loop needs to make an update, in PyTorch's words: `zeroGrad()` (`zero_grad`) before the
 * backward pass, `step()` after it. `plainSgd` is lesson 07's update; lesson 13 writes better ones.
 */
export interface Updater {
  zeroGrad(): void;
  step(): void;
}

/** Lesson 07's `zeroGrad()` and `update(lr)`, under the names an optimizer uses. */
export function plainSgd(model: ANN, lr: number): Updater {
  return {
    zeroGrad: () => model.zeroGrad(),
    step: () => model.update(lr),
  };
}

export interface EpochOptions {
  /** Examples per update: 1 is lesson 09's per-example SGD, the whole set is batch gradient descent. */
  batchSize: number;
  /** Makes the updates: `plainSgd(model, lr)`, or one of lesson 13's optimizers. */
  optimizer: Updater;
  /** Shuffles the examples before the epoch when given (PyTorch's `shuffle=True`); in order without. */
  rng?: Random;
}

/**
 * The positions 0 to n - 1 of a data set's examples, shuffled with `rng` if one is given, then cut into
 * batches of `batchSize` (the last one smaller when `batchSize` does not divide n).
 */
export function miniBatches(n: number, batchSize: number, rng?: Random): number[][] {
  checkWhole(n, 1, "miniBatches: the number of examples");
  checkWhole(batchSize, 1, "miniBatches: the batch size");
  // BEGIN lesson-12
  const order = Array.from({ length: n }, (_, i) => i);
  rng?.shuffle(order);
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    batches.push(order.slice(start, start + batchSize));
  }
  return batches;
  // END lesson-12
}

/** The mean squared error of `model` over the examples of `data` at the positions in `batch`: one graph. */
export function batchLoss(model: ANN, data: Dataset, batch: number[]): Value {
  // BEGIN lesson-12
  const preds = batch.map((i) => model.forward(data.x[i])[0]);
  return meanSeLoss(
    preds,
    batch.map((i) => data.y[i]),
  );
  // END lesson-12
}

/**
 * One update on one batch: zero the gradients, build the batch's mean loss, one backward pass, one step.
 * Returns the loss, measured before the update.
 */
export function batchStep(model: ANN, data: Dataset, batch: number[], optimizer: Updater): number {
  // BEGIN lesson-12
  optimizer.zeroGrad();
  const loss = batchLoss(model, data, batch);
  loss.backward();
  optimizer.step();
  return loss.data;
  // END lesson-12
}

/** One epoch in mini-batches: a `batchStep` for every batch of `miniBatches`. Returns each update's loss, in order. */
export function trainEpochInBatches(model: ANN, data: Dataset, { batchSize, optimizer, rng }: EpochOptions): number[] {
  checkTargets(data, "trainEpochInBatches");
  // BEGIN lesson-12
  return miniBatches(data.x.length, batchSize, rng).map((batch) => batchStep(model, data, batch, optimizer));
  // END lesson-12
}

// Provided checks: a wrong size or 0/1 labels fail here with a message instead of training towards nonsense.

function checkWhole(n: number, least: number, what: string): void {
  if (!Number.isInteger(n) || n < least)
    throw new RangeError(`${what} must be a whole number of at least ${least}, got ${n}.`);
}

function checkTargets(data: Dataset, where: string): void {
  if (data.x.length !== data.y.length || data.x.length === 0) {
    throw new RangeError(
      `${where}: expected as many targets as examples (at least one), got ${data.x.length} and ${data.y.length}.`,
    );
  }
  const bad = data.y.find((t) => t !== 1 && t !== -1);
  if (bad !== undefined) {
    throw new RangeError(
      `${where}: targets must be -1 or +1, got ${bad}. makeMoons labels are 0/1: convert them with toSigned(y).`,
    );
  }
}
