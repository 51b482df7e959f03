/**
 * `npm run experiments -- --target src` compares the learner's study with the reference's
 * (scripts/study/compare-reference.ts): correct code in another order of operations gives other digits and the
 * same verdicts, and the learner must be told which of the two they are looking at.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/lib/target";
import { compareWithReference, comparisonText } from "../scripts/study/compare-reference";
import type { ClaimResult } from "../solutions/study";

const reference = (
  JSON.parse(readFileSync(path.join(ROOT, "lessons/lesson-10-experiments/results/results.json"), "utf8")) as {
    claims: ClaimResult[];
  }
).claims;
const copy = () => structuredClone(reference);
const say = (claims: ClaimResult[]) =>
  comparisonText(compareWithReference(claims, reference), "results.json", "Why", "README.md");

describe("compareWithReference", () => {
  it("finds the reference identical to itself, to the digits results.json keeps", () => {
    const same = copy();
    same[0].measurements[0].mean *= 1 + 1e-12;
    expect(compareWithReference(same, reference)).toMatchObject({ identical: true, differing: 0, verdicts: [] });
    expect(say(same)).toBe("Compared with the reference's results (results.json): identical, digit for digit.");
  });

  it("counts the numbers that differ, names the one that moved most, and says the verdicts are the same", () => {
    const drifted = copy();
    const [m] = drifted[4].measurements;
    m.perSeed[4] += 0.04;
    m.mean += 0.008;
    const comparison = compareWithReference(drifted, reference);
    expect(comparison).toMatchObject({ identical: false, differing: 2, verdicts: [] });
    expect(comparison.largest).toMatchObject({ claim: "claim 5", label: m.label });
    expect(say(drifted)).toMatch(
      /: 2 of \d+ measured numbers differ \(the most: .* in claim 5, .* against .*\), and every verdict is the same\. Correct code in another order of operations gives other last digits, which training magnifies: see "Why" in README\.md\.$/,
    );
  });

  it("compares a measurement that no seed could make (no mean: null in results.json, NaN in a fresh run)", () => {
    const none = { label: "updates to reach", unit: "updates" as const, perSeed: [], mean: Number.NaN, sd: Number.NaN };
    const withNone = (mean: number | null) => {
      const claims = copy();
      claims[0].measurements.push({ ...none, mean: mean as number, sd: mean as number });
      return claims;
    };
    expect(compareWithReference(withNone(Number.NaN), withNone(null))).toMatchObject({ identical: true });
    expect(compareWithReference(withNone(5), withNone(null))).toMatchObject({ identical: false, differing: 2 });
  });

  it("names a claim whose verdict changed, and says that is no rounding", () => {
    const flipped = copy();
    flipped[3].verdict = flipped[3].verdict === "reproduced" ? "not reproduced" : "reproduced";
    const comparison = compareWithReference(flipped, reference);
    expect(comparison.verdicts).toEqual([{ id: "claim4", mine: flipped[3].verdict, reference: reference[3].verdict }]);
    expect(say(flipped)).toContain(
      `claim4 is ${flipped[3].verdict.toUpperCase()}, not ${reference[3].verdict.toUpperCase()}`,
    );
    expect(say(flipped)).toContain("A different order of operations rarely changes a verdict");
  });
});
