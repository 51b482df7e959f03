/**
 * Training the modern way, with everything of lessons 11 to 14 at once: the tensor engine (a batch is one tensor),
 * mini-batches shuffled every epoch, cross-entropy from the logit on labels 0 and 1, and an optimizer such as Adam.
 * It is the loop of every PyTorch program:
 *
 *     for epoch in range(epochs):
 *         for xb, yb in loader:  # shuffled mini-batches
 *             optimizer.zero_grad(); loss = F.binary_cross_entropy_with_logits(model(xb), yb)
 *             loss.backward(); optimizer.step()
 *
 * It records the same history as lesson 09's `train`, one row per epoch, so lesson 10's measurements apply as they are.
 *
 * Lesson 15.
 */
import { miniBatches, type Updater } from "./batches";
import type { Dataset } from "./data";
import { Random } from "./random";
import { MLP, meanBceWithLogits, toBatch } from "./tensor-nn";
import type { Evaluation, HistoryRow } from "./train";

export interface ModernOptions {
  /** Examples to learn from, labels 0 and 1 (makeMoons' own). */
  train: Dataset;
  /** Held-out examples, only evaluated, labels 0 and 1. */
  test: Dataset;
  epochs: number;
  /** Examples per update. */
  batchSize: number;
  /** Makes the updates, like `new Adam(entries(model.parameters()), { lr })`. */
  optimizer: Updater;
  /** Shuffles the examples anew every epoch (PyTorch's `shuffle=True`). */
  rng: Random;
  /** Called after every update with its number (1 for the first), for measurements between the epochs. */
  onUpdate?: (update: number) => void;
  /** Called with each history row as soon as its epoch is done. */
  onEpoch?: (row: HistoryRow) => void;
}

/**
 * The mean cross-entropy and the accuracy of `model` on `data`, in one forward pass of every example as one batch.
 * An example counts as right when its logit is 0 or more for the label 1, below 0 for the label 0.
 */
export function evaluateModern(model: MLP, data: Dataset): Evaluation {
  checkLabels(data, "evaluateModern");
  // BEGIN lesson-15
  throw new Error("lesson-15 is not done yet: write this part of src/modern-training.ts. Read lessons/lesson-15-study-again/README.md.");
  // END lesson-15
}

/** One update on the examples at the positions in `batch`. Returns the batch's loss, measured before the update. */
export function modernStep(model: MLP, data: Dataset, batch: number[], optimizer: Updater): number {
  // BEGIN lesson-15
  throw new Error("lesson-15 is not done yet: write this part of src/modern-training.ts. Read lessons/lesson-15-study-again/README.md.");
  // END lesson-15
}

/**
 * Trains `model` for `epochs` epochs: each epoch one `modernStep` per batch of `miniBatches`, shuffled with `rng`,
 * then `evaluateModern` on both sets. Returns one history row per epoch, as lesson 09's `train` does.
 */
export function trainModern(model: MLP, options: ModernOptions): HistoryRow[] {
  const { train, test, epochs, batchSize, optimizer, rng, onUpdate, onEpoch } = options;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(`trainModern: epochs must be a whole number of 0 or more, got ${epochs}.`);
  }
  checkLabels(train, "trainModern");
  checkLabels(test, "trainModern");
  // BEGIN lesson-15
  throw new Error("lesson-15 is not done yet: write this part of src/modern-training.ts. Read lessons/lesson-15-study-again/README.md.");
  // END lesson-15
}

// Provided check: lesson 09's -1/+1 targets would make cross-entropy refuse every batch, deep in the loss.

function checkLabels(data: Dataset, where: string): void {
  if (data.x.length !== data.y.length || data.x.length === 0) {
    throw new RangeError(
      `${where}: expected as many labels as examples (at least one), got ${data.x.length} and ${data.y.length}.`,
    );
  }
  const bad = data.y.find((label) => label !== 0 && label !== 1);
  if (bad !== undefined) {
    throw new RangeError(
      `${where}: labels must be 0 or 1, got ${bad}. Use makeMoons' labels as they are, not toSigned.`,
    );
  }
}
