/** Small helpers shared by the lesson tests (not a lesson: nothing here is for the learner to write). */
import type { Value } from "@course/engine";
import { Random } from "@course/random";

/** The numbers held by `values`. */
export const dataOf = (values: Value[]): number[] => values.map((v) => v.data);

/** The first `count` numbers that `new Random(seed).uniform(-1, 1)` gives, in order. */
export function draws(seed: number, count: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => rng.uniform(-1, 1));
}

/** A likely mistake: the number it would have produced, and what to tell the learner when that number came back. */
export type Suspect = [value: number, mistake: string];

/**
 * A failure message computed from what came back: what was expected, what was received, and the likely mistake
 * when the received number is what one of the `suspects` would have produced.
 */
export function explain(what: string, expected: number, received: number, suspects: Suspect[] = []): string {
  const found = suspects.find(([value]) => sameNumber(value, received) && !sameNumber(value, expected));
  const said = `${what}: expected ${show(expected)}, got ${show(received)}`;
  // No full stop at the end: vitest goes on with ": expected <received> to be <expected>".
  return found ? `${said}: ${found[1].replace(/\.$/, "")}` : said;
}

function sameNumber(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Enough digits to tell two nearby numbers apart, without the noise of all seventeen. */
function show(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

/**
 * The RangeError that `run` throws. Any other error goes on up as it is (a stub's message says which lesson to
 * write); throwing nothing fails with `what`.
 */
export function rangeErrorFrom(run: () => unknown, what: string): RangeError {
  try {
    run();
  } catch (error) {
    if (error instanceof RangeError) return error;
    throw error;
  }
  throw new Error(`${what}: expected a RangeError, but nothing was thrown`);
}
