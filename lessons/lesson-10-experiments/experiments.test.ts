/**
 * Lesson 10: the measuring instruments of the study (meanSd, change, tailMean, setbacks, lowestTestLoss),
 * then a reduced run of the study itself. Make these pass by writing the `lesson-10` regions of src/analysis.ts.
 */
import { change, lowestTestLoss, meanSd, setbacks, tailMean } from "@course/analysis";
import { evaluateClaims, MODELS, runModel, type SeedRuns, type StudyConfig, verdictFor } from "@course/study";
import type { HistoryRow } from "@course/train";
import { beforeAll, describe, expect, test } from "vitest";
import { diagnose, show } from "../test-helpers";

/** A history from test losses alone (the other columns do not matter to lowestTestLoss). */
const withTestLosses = (losses: number[]): HistoryRow[] =>
  losses.map((testLoss, i) => ({ epoch: i + 1, trainLoss: 0, testLoss, trainAccuracy: 0, testAccuracy: 0 }));

describe("meanSd", () => {
  test("gives the mean and the sample standard deviation (dividing by n - 1)", () => {
    const { mean, sd } = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean, "the sum 40 over 8 values").toBe(5);
    expect(
      sd,
      `squares sum to 32; √(32 / 7) = ${show(Math.sqrt(32 / 7))}` +
        diagnose(sd, Math.sqrt(32 / 7), [[2, "that is √(32 / 8): divide by n - 1, not n"]]),
    ).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  test("gives a standard deviation of 0 for a single value", () => {
    expect(meanSd([0.8]), "one seed: no spread, and no division by zero").toEqual({ mean: 0.8, sd: 0 });
  });
});

describe("change and tailMean", () => {
  test("change is the last value minus the first", () => {
    expect(change([0.5, 0.9, 0.7]), "0.7 - 0.5: the middle values do not matter").toBeCloseTo(0.2, 12);
  });

  test("tailMean averages the last count values", () => {
    expect(tailMean([1, 2, 3, 4, 5], 2), "the mean of 4 and 5").toBe(4.5);
    expect(tailMean([1, 2], 5), "asking for more values than there are averages them all").toBe(1.5);
  });
});

describe("setbacks", () => {
  test("adds up only the steps that go the wrong way", () => {
    // Accuracy 0.5 → 0.7 → 0.6 → 0.8 → 0.7: two drops of 0.1.
    expect(setbacks([0.5, 0.7, 0.6, 0.8, 0.7], "higher"), "two drops of 0.1 each").toBeCloseTo(0.2, 12);
  });

  test("counts rises as setbacks for a loss, where lower is better", () => {
    expect(setbacks([1, 0.5, 0.6, 0.3], "lower"), "one rise of 0.1; the falls are progress").toBeCloseTo(0.1, 12);
  });

  test("is 0 for a curve that only improves", () => {
    expect(setbacks([0.9, 0.5, 0.4, 0.4], "lower"), "no step went up").toBe(0);
  });
});

describe("lowestTestLoss", () => {
  test("finds the epoch of the lowest test loss and how far the end rose above it", () => {
    const result = lowestTestLoss(withTestLosses([0.8, 0.4, 0.2, 0.3, 0.3]), 2);
    expect(
      result.epoch,
      `the lowest, 0.2, is epoch 3${diagnose(result.epoch, 3, [[2, "that is the row's index: epochs count from 1"]])}`,
    ).toBe(3);
    expect(result.loss).toBe(0.2);
    expect(result.rise, "the last 2 epochs average 0.3, that is 0.1 above 0.2").toBeCloseTo(0.1, 12);
    expect(result.relativeRise, "0.1 is 50 % of 0.2").toBeCloseTo(0.5, 12);
  });

  test("on a tie, reports the first epoch that reached the lowest test loss", () => {
    const result = lowestTestLoss(withTestLosses([0.5, 0.2, 0.4, 0.2, 0.6]), 1);
    expect(
      result.epoch,
      `0.2 is first reached at epoch 2${diagnose(result.epoch, 2, [
        [4, "the last epoch that reaches it: keep the first lowest (<, not <=)"],
        [1, "that is the row's index: epochs count from 1"],
      ])}`,
    ).toBe(2);
  });

  test("reports no rise when the test loss is still falling at the end", () => {
    const result = lowestTestLoss(withTestLosses([0.8, 0.6, 0.5]), 1);
    expect(result.epoch).toBe(3);
    expect(result.rise, "the last epoch is the lowest: nothing to rise from").toBe(0);
  });
});

describe("a reduced study", () => {
  // A few seconds' worth of the real study: small networks and data, short runs, two seeds.
  const small: StudyConfig = { n: 40, noise: 0.1, testFraction: 0.25, hidden: 4, epochs: 12, seeds: [1, 2] };
  let bySeed: SeedRuns[] = [];
  beforeAll(() => {
    bySeed = small.seeds.map(
      (seed) =>
        Object.fromEntries(MODELS.map((spec) => [spec.id, runModel(spec, small, seed).result])) as unknown as SeedRuns,
    );
  });

  test("Model 1 (lr 0.01) makes its training loss fall in every seed", () => {
    for (const runs of bySeed) {
      const losses = runs.model1.history.map((row) => row.trainLoss);
      expect(
        change(losses),
        `seed ${runs.model1.seed}: the training loss should end below where it began`,
      ).toBeLessThan(0);
    }
  });

  test("Model 4 (lr 0.000001) barely moves: its training loss changes by less than 1 %", () => {
    for (const runs of bySeed) {
      const losses = runs.model4.history.map((row) => row.trainLoss);
      expect(Math.abs(change(losses)) / losses[0], `seed ${runs.model4.seed}`).toBeLessThan(0.01);
    }
  });

  test("measures all five claims in every seed and gives each a verdict from its count", () => {
    const claims = evaluateClaims(bySeed, small);
    expect(claims.map((c) => c.id)).toEqual(["claim1", "claim2", "claim3", "claim4", "claim5"]);
    for (const claim of claims) {
      expect(claim.seeds).toBe(2);
      expect(claim.verdict, `${claim.id} holds in ${claim.holdsIn} of 2 seeds`).toBe(verdictFor(claim.holdsIn, 2));
      for (const m of claim.measurements) {
        expect(m.perSeed, `${claim.id}: ${m.label} is measured once per finished seed`).toHaveLength(
          2 - claim.divergedIn,
        );
        expect(Number.isFinite(m.mean) && Number.isFinite(m.sd), `${claim.id}: ${m.label} is a number`).toBe(true);
      }
    }
  });

  test("finds that Model 4 barely learns in every seed", () => {
    const claim4 = evaluateClaims(bySeed, small).find((c) => c.id === "claim4");
    expect(claim4?.holdsIn, "with lr 0.000001 the loss cannot move by 5 % in 12 epochs").toBe(2);
  });
});
