/**
 * The loss: one number that says how wrong a prediction is. Training makes it small.
 *
 * Lessons: 08 the squared error; 11 binary cross-entropy, on a probability and from a logit.
 */
import { type Operand, Value } from "./engine";

/** The squared error (pred - target)², the notebook's `SELoss`. */
export function seLoss(pred: Value, target: Operand): Value {
  // BEGIN lesson-08
  throw new Error("lesson-08 is not done yet: write this part of src/loss.ts. Read lessons/lesson-08-loss/README.md.");
  // END lesson-08
}

/** The mean of the squared errors over a batch of predictions and their targets. */
export function meanSeLoss(preds: Value[], targets: Operand[]): Value {
  if (preds.length !== targets.length || preds.length === 0) {
    throw new RangeError(
      `meanSeLoss: expected as many targets as predictions (at least one), got ${preds.length} and ${targets.length}.`,
    );
  }
  // BEGIN lesson-08
  throw new Error("lesson-08 is not done yet: write this part of src/loss.ts. Read lessons/lesson-08-loss/README.md.");
  // END lesson-08
}

/**
 * Binary cross-entropy of a probability `prob` for the label 0 or 1 (PyTorch's `BCELoss`):
 * -ln(prob) for the label 1, -ln(1 - prob) for the label 0.
 */
export function bceLoss(prob: Value, label: number): Value {
  checkLabel(label, "bceLoss");
  // BEGIN lesson-11
  throw new Error("lesson-11 is not done yet: write this part of src/loss.ts. Read lessons/lesson-11-cross-entropy/README.md.");
  // END lesson-11
}

/**
 * Binary cross-entropy from a logit, the raw score before the sigmoid (PyTorch's `BCEWithLogitsLoss`):
 * softplus(logit) - label * logit, which equals bceLoss(logit.sigmoid(), label) but stays finite for any logit.
 */
export function bceWithLogitsLoss(logit: Value, label: number): Value {
  checkLabel(label, "bceWithLogitsLoss");
  // BEGIN lesson-11
  throw new Error("lesson-11 is not done yet: write this part of src/loss.ts. Read lessons/lesson-11-cross-entropy/README.md.");
  // END lesson-11
}

// Provided check: -1/+1 targets (lesson 09's) would silently train towards nonsense.

function checkLabel(label: number, where: string): void {
  if (label !== 0 && label !== 1) {
    throw new RangeError(
      `${where}: the label must be 0 or 1, got ${label}. Cross-entropy takes makeMoons' 0/1 labels, not toSigned's -1/+1.`,
    );
  }
}
