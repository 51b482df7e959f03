/**
 * The loss: one number that says how wrong a prediction is. Training makes it small.
 *
 * Lessons: 08 the squared error; 11 binary cross-entropy, on a probability and from a logit.
 */
import { type Operand, Value } from "./engine";

/** The squared error (pred - target)², the notebook's `SELoss`. */
export function seLoss(pred: Value, target: Operand): Value {
  // BEGIN lesson-08
  return pred.sub(target).pow(2);
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
  let total = seLoss(preds[0], targets[0]);
  for (let i = 1; i < preds.length; i++) {
    total = total.add(seLoss(preds[i], targets[i]));
  }
  return total.div(preds.length);
  // END lesson-08
}

/**
 * Binary cross-entropy of a probability `prob` for the label 0 or 1 (PyTorch's `BCELoss`):
 * -ln(prob) for the label 1, -ln(1 - prob) for the label 0.
 */
export function bceLoss(prob: Value, label: number): Value {
  checkLabel(label, "bceLoss");
  // BEGIN lesson-11
  // The probability the model gave to the right answer: prob for the label 1, 1 - prob for the label 0.
  const right = label === 1 ? prob : new Value(1).sub(prob);
  return right.log().neg();
  // END lesson-11
}

/**
 * Binary cross-entropy from a logit, the raw score before the sigmoid (PyTorch's `BCEWithLogitsLoss`):
 * softplus(logit) - label * logit, which equals bceLoss(logit.sigmoid(), label) but stays finite for any logit.
 */
export function bceWithLogitsLoss(logit: Value, label: number): Value {
  checkLabel(label, "bceWithLogitsLoss");
  // BEGIN lesson-11
  return logit.softplus().sub(logit.mul(label));
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
