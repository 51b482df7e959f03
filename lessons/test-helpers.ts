/** Small helpers shared by the lesson tests (not a lesson: nothing here is for the learner to write). */
import type { Value } from "@course/engine";
import { Random } from "@course/random";

/** The numbers held by `values`. */
export const dataOf = (values: Value[]): number[] => values.map((v) => v.data);

/**
 * The largest difference between two lists of numbers (weights, outputs), and where it is. A NaN counts as the
 * largest, so a run that broke down is never reported as agreeing.
 */
export function largestDifference(got: number[], expected: number[]): { index: number; difference: number } {
  return got.reduce(
    (worst, x, index) => {
      const difference = Math.abs(x - expected[index]);
      return difference > worst.difference || Number.isNaN(difference) ? { index, difference } : worst;
    },
    { index: -1, difference: 0 },
  );
}

/** The first `count` numbers that `new Random(seed).uniform(-1, 1)` gives, in order. */
export function draws(seed: number, count: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => rng.uniform(-1, 1));
}

/**
 * Eight points whose class is the sign of the first coordinate: a line separates them, so a small network
 * learns them in a few epochs (lessons 09 and 12 train on it).
 */
export const SEPARABLE_EIGHT = {
  x: [
    [-1, 0.5],
    [-0.8, -0.6],
    [-0.5, 0.1],
    [-0.3, -0.9],
    [0.3, 0.8],
    [0.5, -0.2],
    [0.8, 0.4],
    [1, -0.7],
  ],
  y: [-1, -1, -1, -1, 1, 1, 1, 1],
};

/** A number the way a failure message shows it: enough digits to tell two nearby numbers apart (8), not all 17. */
export function show(x: unknown): string {
  return typeof x === "number" && Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

/** A number as a term of a sum in a failure message: negative ones in parentheses, as in `10 + (-2)`. */
export function term(x: unknown): string {
  return typeof x === "number" && x < 0 ? `(${show(x)})` : show(x);
}

/**
 * The likely mistake behind a wrong result, for a failure message, named only when the code gave exactly the
 * number that mistake gives: each entry of `mistakes` pairs such a number with what went wrong. When `got`
 * matches none of them, or is the `right` answer, it gives "": a message never guesses a number the code did
 * not produce. It starts with ". ", to follow a message that does not end in a full stop.
 */
export function diagnose(got: unknown, right: number, mistakes: Suspect[]): string {
  if (typeof got !== "number" || same(got, right)) return "";
  const match = mistakes.find(([value]) => same(got, value));
  return match ? `. Got ${show(got)}: ${match[1]}` : "";
}

/** A likely mistake: the number it would have produced, and what to tell the learner when that number came back. */
export type Suspect = [value: number, mistake: string];

/**
 * A whole failure message computed from what came back: what was expected, what was received, and the likely
 * mistake when the received number is what one of the `suspects` would have produced (as `diagnose` decides).
 */
export function explain(what: string, expected: number, received: number, suspects: Suspect[] = []): string {
  const found = suspects.find(([value]) => same(value, received) && !same(value, expected));
  const said = `${what}: expected ${show(expected)}, got ${show(received)}`;
  // No full stop at the end: vitest goes on with ": expected <received> to be <expected>".
  return found ? `${said}: ${found[1].replace(/\.$/, "")}` : said;
}

/** Equal up to rounding (a billionth, relative); NaN equals NaN and an infinity only itself. */
function same(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Runs `run`, and turns a stack overflow into a failure that says what to do. Without this, a recursive
 * topoSort fails with a bare "RangeError: Maximum call stack size exceeded" and the test's hint never shows.
 */
export function withoutRecursion<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new Error(
        `${what} threw "${error.message}": a recursive function calls itself once per level of the graph, ` +
          "and JavaScript's call stack holds only about ten thousand calls. Use a loop and your own stack " +
          "(an array you push to and pop from) instead of recursion, as lessons/lesson-03-topo-sort/README.md " +
          "shows; backward() and zeroGrad() can simply walk the order that topoSort() returns.",
        { cause: error },
      );
    }
    throw error;
  }
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

/** A likely mistake in a tensor's entries: the entries it would have produced (as rows), and what to tell the learner. */
export type EntriesSuspect = [rows: number[][], mistake: string];

/** Rows of numbers the way a failure message shows them: [[1, 2], [3, 4]]. */
export function showRows(rows: number[][]): string {
  return `[${rows.map((row) => `[${row.map(show).join(", ")}]`).join(", ")}]`;
}

/**
 * Checks the entries of a tensor (`got`, row after row, as its `data` or `grad` holds them) against `expected` rows,
 * to a billionth. On a difference the message names `what`, the first entry that differs, both whole tensors, and
 * the likely mistake when `got` is, entry for entry, what one of the `suspects` would have produced.
 */
export function expectEntries(
  what: string,
  got: ArrayLike<number>,
  expected: number[][],
  suspects: EntriesSuspect[] = [],
): void {
  const cols = expected[0].length;
  const gotRows = Array.from({ length: Math.ceil(got.length / cols) }, (_, r) =>
    Array.from({ length: cols }, (_, c) => got[r * cols + c]),
  );
  const wrong = firstDifference(got, expected.flat());
  if (wrong < 0) return;
  const found = suspects.find(([rows]) => firstDifference(got, rows.flat()) < 0);
  const at = `[${Math.floor(wrong / cols)}][${wrong % cols}]`;
  const said =
    `${what}: entry ${at} should be ${show(expected.flat()[wrong])}, got ${show(got[wrong])} ` +
    `(expected ${showRows(expected)}, got ${showRows(gotRows)})`;
  throw new Error(found ? `${said}: ${found[1]}` : said);
}

/** The index of the first entry where `got` and `expected` differ (beyond rounding), or -1. */
function firstDifference(got: ArrayLike<number>, expected: number[]): number {
  if (got.length !== expected.length) return Math.min(got.length, expected.length);
  return expected.findIndex((value, i) => !same(got[i], value));
}
