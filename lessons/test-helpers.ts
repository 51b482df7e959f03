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
