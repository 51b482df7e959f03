/**
 * Many classes: a network with K outputs gives each example a row of K raw scores, its logits. Softmax turns a row
 * into probabilities, cross-entropy scores them against the true class, and argmax reads off the prediction:
 *
 *     softmax(z)[j] = e^z[j] / Σ_k e^z[k]        log-softmax(z)[j] = z[j] − log Σ_k e^z[k]
 *     loss = mean over the rows i of −log-softmax(z_i)[label_i]        d loss / d z_i = (softmax(z_i) − onehot_i) / B
 *
 * All of them work on a batch, one example per row, on lesson 14's tensors. `crossEntropy` is PyTorch's
 * `CrossEntropyLoss()` with its defaults: logits in, integer class labels (0 to K − 1), the mean over the batch.
 *
 * Lesson 16.
 */
import { shapeText, Tensor } from "./tensor";

/** Each row turned into probabilities: positive, adding up to 1, in the order of the logits. */
export function softmax(logits: Tensor): Tensor {
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

/** Each row's log-probabilities, z − log Σ e^z, computed without overflow (PyTorch's `log_softmax`). */
export function logSoftmax(logits: Tensor): Tensor {
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

/** One row per label, `classes` columns: 1 in the label's column, 0 elsewhere. Labels count from 0. */
export function oneHot(labels: number[], classes: number): Tensor {
  checkLabels(labels, classes, "oneHot");
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

/**
 * The mean cross-entropy of a batch of logits (rows × K) against integer labels (one per row, 0 to K − 1): the mean
 * over the rows of −log-softmax(row)[label], as a 1 × 1 tensor. Its local step gives every logit
 * (softmax − onehot) / rows times the loss's grad.
 */
export function crossEntropy(logits: Tensor, labels: number[]): Tensor {
  checkBatchLabels(logits, labels, "crossEntropy");
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

/** The column of each row's largest entry: the predicted class. On a tie, the first of them (as PyTorch's). */
export function argmax(scores: Tensor): number[] {
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

/** The share of rows whose argmax is their label, from 0 to 1. */
export function classAccuracy(logits: Tensor, labels: number[]): number {
  checkBatchLabels(logits, labels, "classAccuracy");
  // BEGIN lesson-16
  throw new Error("lesson-16 is not done yet: write this part of src/softmax.ts. Read lessons/lesson-16-softmax/README.md.");
  // END lesson-16
}

// Provided checks: a label that is not a column, or one label too few, fails here with both numbers, instead of
// reading past a row (a Float64Array answers undefined, and then NaN everywhere).

function checkLabels(labels: number[], classes: number, where: string): void {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`${where}: the number of classes must be a whole number of at least 1, got ${classes}.`);
  }
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new RangeError(`${where}: expected a list of class labels, like [3, 0, 9], got ${labels}.`);
  }
  const bad = labels.findIndex((label) => !Number.isInteger(label) || label < 0 || label >= classes);
  if (bad >= 0) {
    throw new RangeError(
      `${where}: label ${bad} is ${labels[bad]}, but the classes are the whole numbers 0 to ${classes - 1} ` +
        "(a class is a column, counted from 0).",
    );
  }
}

function checkBatchLabels(logits: Tensor, labels: number[], where: string): void {
  if (!(logits instanceof Tensor)) throw new TypeError(`${where}: expected a Tensor of logits, one row per example.`);
  checkLabels(labels, logits.cols, where);
  if (labels.length !== logits.rows) {
    throw new RangeError(
      `${where}: ${labels.length} labels for logits of ${shapeText(logits)}: expected one label per row.`,
    );
  }
}
