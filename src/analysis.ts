/**
 * Turning a training history into evidence: small, exact measurements of the curves that the notebook
 * describes in words ("it oscillates", "it overfits"). The experiments of lesson 10 state every claim as a
 * threshold on these numbers, measured over several seeds.
 *
 * Lesson 10.
 */
import type { HistoryRow } from "./train";

/** A mean and a sample standard deviation. */
export interface MeanSd {
  mean: number;
  /** The sample standard deviation (divides by n - 1); 0 for a single value. */
  sd: number;
}

/** Which way a series improves: losses get better when lower, accuracies when higher. */
export type Better = "lower" | "higher";

/** Where the test loss was lowest, and how far it climbed back afterwards. */
export interface LowestTestLoss {
  /** The epoch of the lowest test loss (the first one, if it is reached twice). */
  epoch: number;
  /** The lowest test loss. */
  loss: number;
  /** How much higher the test loss is at the end (the mean of the last `tail` epochs) than at its lowest. */
  rise: number;
  /** `rise` as a share of `loss`: 0.25 means the test loss ended 25 % above its best. */
  relativeRise: number;
}

/** The mean and the sample standard deviation of `values`. */
export function meanSd(values: number[]): MeanSd {
  checkNotEmpty(values, "meanSd");
  // BEGIN lesson-10
  throw new Error("lesson-10 is not done yet: write this part of src/analysis.ts. Read lessons/lesson-10-experiments/README.md.");
  // END lesson-10
}

/** The change over the run: the last value minus the first. */
export function change(values: number[]): number {
  checkNotEmpty(values, "change");
  // BEGIN lesson-10
  throw new Error("lesson-10 is not done yet: write this part of src/analysis.ts. Read lessons/lesson-10-experiments/README.md.");
  // END lesson-10
}

/** The mean of the last `count` values: where a noisy run ended up, less sensitive to its very last epoch. */
export function tailMean(values: number[], count: number): number {
  checkNotEmpty(values, "tailMean");
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`tailMean: count must be a whole number of at least 1, got ${count}.`);
  }
  // BEGIN lesson-10
  throw new Error("lesson-10 is not done yet: write this part of src/analysis.ts. Read lessons/lesson-10-experiments/README.md.");
  // END lesson-10
}

/**
 * How far a series went the wrong way, added up over the run: the sum of every step that made it worse.
 * A curve that only improves has setbacks 0; one that climbs 0.1 and falls back has setbacks 0.1.
 * This is the measure of oscillation: the steady progress does not count, only the backsliding.
 */
export function setbacks(values: number[], better: Better): number {
  checkNotEmpty(values, "setbacks");
  // BEGIN lesson-10
  throw new Error("lesson-10 is not done yet: write this part of src/analysis.ts. Read lessons/lesson-10-experiments/README.md.");
  // END lesson-10
}

/** The epoch of the lowest test loss and how far the test loss rose after it (see `LowestTestLoss`). */
export function lowestTestLoss(history: HistoryRow[], tail: number): LowestTestLoss {
  checkNotEmpty(history, "lowestTestLoss");
  // BEGIN lesson-10
  throw new Error("lesson-10 is not done yet: write this part of src/analysis.ts. Read lessons/lesson-10-experiments/README.md.");
  // END lesson-10
}

function checkNotEmpty(values: unknown[], where: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new RangeError(`${where}: expected at least one value, got none.`);
  }
}
