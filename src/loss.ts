/**
 * The loss: one number that says how wrong a prediction is. Training makes it small.
 *
 * Lesson 08.
 */
// Value is imported as a value, not only as a type, so that your code can write `new Value(0)`.
// biome-ignore lint/style/useImportType: the regions below may construct a Value (the reference does not).
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
