/**
 * A learner's study beside the reference's: `npm run experiments -- --target src` says whether the learner's
 * numbers are the lesson's own, digit for digit, and if not, whether the verdicts are. Correct code can give other
 * numbers: floating-point addition is not associative, so a sum taken in another order (the bias added last, the
 * children of a node visited in another order) differs in its last digit, and a hundred epochs of training at a
 * learning rate of 0.1 turn that digit into visible differences. What a correct copy must give is the verdicts.
 */
import type { ClaimResult } from "../../solutions/study";
import { formatValue } from "./report";

export interface Comparison {
  /** Every measured number the same, to the 6 significant digits results.json keeps. */
  identical: boolean;
  /** How many measured numbers differ, of how many. */
  differing: number;
  compared: number;
  /** The claims whose verdict differs. */
  verdicts: { id: string; mine: string; reference: string }[];
  /** The measurement whose mean moved most, relative to its spread over the seeds. */
  largest?: { claim: string; label: string; mine: string; reference: string };
}

/** A number as results.json keeps it; a measurement no seed could make has no mean (null in the file, NaN here). */
const stored = (x: number | null | undefined) =>
  typeof x === "number" && Number.isFinite(x) ? Number(x.toPrecision(6)) : "none";

export function compareWithReference(mine: ClaimResult[], reference: ClaimResult[]): Comparison {
  const verdicts: Comparison["verdicts"] = [];
  let compared = 0;
  let differing = 0;
  let largest: Comparison["largest"];
  let largestShift = 0;
  for (const ref of reference) {
    const own = mine.find((c) => c.id === ref.id);
    if (!own) continue;
    if (own.verdict !== ref.verdict) verdicts.push({ id: ref.id, mine: own.verdict, reference: ref.verdict });
    for (const m of ref.measurements) {
      const o = own.measurements.find((x) => x.label === m.label);
      if (!o) continue;
      const numbers = [m.mean, m.sd, ...m.perSeed];
      const ours = [o.mean, o.sd, ...o.perSeed];
      compared += Math.max(numbers.length, ours.length);
      differing += numbers.filter((x, i) => stored(x) !== stored(ours[i])).length;
      const measured = [o.mean, m.mean, m.sd].every((x) => typeof x === "number" && Number.isFinite(x));
      const shift = measured ? Math.abs(o.mean - m.mean) / Math.max(m.sd, Math.abs(m.mean) * 1e-3, 1e-12) : 0;
      if (shift > largestShift) {
        largestShift = shift;
        const shown = (x: { mean: number; sd: number }) =>
          `${formatValue(x.mean, m.unit)} ± ${formatValue(x.sd, m.unit).replace(/^[+−]/, "")}`;
        largest = {
          claim: ref.id.replace(/^claim(\d)/, "claim $1"),
          label: m.label,
          mine: shown(o),
          reference: shown(m),
        };
      }
    }
  }
  return { identical: differing === 0 && verdicts.length === 0, differing, compared, verdicts, largest };
}

/** What the comparison means, for the learner: one paragraph, pointing at `section` of the lesson text `readme`. */
export function comparisonText(comparison: Comparison, referenceFile: string, section: string, readme: string): string {
  const text = `"${section}" in ${readme}`;
  const against = `Compared with the reference's results (${referenceFile}):`;
  if (comparison.identical) return `${against} identical, digit for digit.`;
  const { largest, differing, compared } = comparison;
  const numbers =
    `${differing} of ${compared} measured numbers differ` +
    (largest ? ` (the most: ${largest.label} in ${largest.claim}, ${largest.mine} against ${largest.reference})` : "");
  if (comparison.verdicts.length === 0) {
    return (
      `${against} ${numbers}, and every verdict is the same. Correct code in another order of operations gives ` +
      `other last digits, which training magnifies: see ${text}.`
    );
  }
  const flipped = comparison.verdicts.map(
    (v) => `${v.id} is ${v.mine.toUpperCase()}, not ${v.reference.toUpperCase()}`,
  );
  return (
    `${against} ${numbers}, and ${flipped.join("; ")}. A different order of operations rarely changes a verdict: ` +
    `run this lesson's tests and the earlier lessons' again, then compare your tables with the lesson's (see ${text}).`
  );
}
