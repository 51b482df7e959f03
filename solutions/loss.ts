/**
 * The loss: one number that says how wrong a prediction is. Training makes it small.
 *
 * Lessons: 08 the squared error; 11 binary cross-entropy, from a probability or a logit; 13 L2 and L1 penalties.
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

/**
 * The L2 penalty ½ Σ w² of some weights (usually `model.weights()`), the term that regularization adds to the
 * loss: `loss.add(l2Penalty(weights).mul(rate))`. Its gradient is w itself, so every step also pulls each weight
 * towards 0 by lr · rate · w: PyTorch's `weight_decay` in `SGD`, and TensorFlow Playground's L2.
 */
export function l2Penalty(weights: Value[]): Value {
  // BEGIN lesson-13
  let squares = new Value(0);
  for (const w of weights) squares = squares.add(w.pow(2));
  return squares.mul(0.5);
  // END lesson-13
}

/**
 * The L1 penalty Σ |w|. Its gradient is the sign of each weight (+1 or −1, and 0 at exactly 0): every step pulls
 * each weight towards 0 by the same lr · rate, so small weights reach 0 and stay there.
 */
export function l1Penalty(weights: Value[]): Value {
  // BEGIN lesson-13
  let total = new Value(0);
  // |w| = relu(w) + relu(−w), from the engine's own operations: its slope is 1 for w > 0, −1 for w < 0, 0 at 0.
  for (const w of weights) total = total.add(w.relu().add(w.neg().relu()));
  return total;
  // END lesson-13
}

// Provided check: -1/+1 targets (lesson 09's) would silently train towards nonsense.

function checkLabel(label: number, where: string): void {
  if (label !== 0 && label !== 1) {
    throw new RangeError(
      `${where}: the label must be 0 or 1, got ${label}. Cross-entropy takes makeMoons' 0/1 labels, not toSigned's -1/+1.`,
    );
  }
}
