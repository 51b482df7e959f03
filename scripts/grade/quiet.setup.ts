/**
 * Setup of a grading run's test process: what the code prints (console.log and the like) is counted and
 * dropped the moment it is printed. vitest's own console keeps everything printed in one go until the code
 * yields (and `--silent` then drops it): a submission printing 600 MB when it is imported ran the test process
 * out of memory. Each test file reports how many characters it printed (result-reporter.ts), and the
 * feedback says so past a limit.
 */
import { afterAll } from "vitest";
import { PRINTED_META } from "./bounds";

let printed = 0;
const count = (args: unknown[]) => {
  // Strings by their length; anything else as a short line (it is never formatted: that could be huge).
  for (const arg of args) printed += typeof arg === "string" ? arg.length : 16;
};
globalThis.console = Object.fromEntries(
  Object.keys(console).map((name) => [name, (...args: unknown[]) => count(args)]),
) as unknown as Console;

// vitest hands a hook its fixtures first, and reads from the pattern which are wanted: none here.
// biome-ignore lint/correctness/noEmptyPattern: the empty pattern is how vitest learns that no fixture is wanted.
afterAll(({}, suite) => {
  (suite.meta as Record<string, unknown>)[PRINTED_META] = printed;
});
