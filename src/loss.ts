/**
 * The loss: one number that says how wrong a prediction is. Training makes it small.
 *
 * Lessons: 08 the squared error; 11 binary cross-entropy, from a probability or a logit; 13 L2 and L1 penalties.
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

/**
 * The L2 penalty ½ Σ w² of some weights (usually `model.weights()`), the term that regularization adds to the
 * loss: `loss.add(l2Penalty(weights).mul(rate))`. Its gradient is w itself, so every step also pulls each weight
 * towards 0 by lr · rate · w: PyTorch's `weight_decay` in `SGD`, and TensorFlow Playground's L2.
 */
export function l2Penalty(weights: Value[]): Value {
  // BEGIN lesson-13
  throw new Error("lesson-13 is not done yet: write this part of src/loss.ts. Read lessons/lesson-13-optimizers/README.md.");
  // END lesson-13
}

/**
 * The L1 penalty Σ |w|. Its gradient is the sign of each weight (+1 or −1, and 0 at exactly 0): every step pulls
 * each weight towards 0 by the same lr · rate, so small weights reach 0 and stay there.
 */
export function l1Penalty(weights: Value[]): Value {
  // BEGIN lesson-13
  throw new Error("lesson-13 is not done yet: write this part of src/loss.ts. Read lessons/lesson-13-optimizers/README.md.");
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
