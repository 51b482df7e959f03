/**
 * Runs the comparisons of lessons 12 and 13 (solutions/comparisons.ts, or a target's copy) on worker threads
 * (worker-pool.ts), one task per race (optimizer and seed) and per oscillation run, the races first (they are
 * the longest). Results are placed by task, so they do not depend on which worker finished first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Comparisons from "../../solutions/comparisons";
import { runOnWorkers } from "./worker-pool";

export type MeasureTask =
  | { kind: "race"; key: string; racer: Comparisons.Racer["id"]; seed: number }
  | { kind: "oscillation"; key: string; index: number };

/** What a worker gives back for a task: a race's result, or an oscillation run's losses. */
export type MeasureResult = Comparisons.RaceResult | Comparisons.LossPoint[];

export interface Measured {
  /** Racer by racer, seed by seed, in the order of RACERS and RACE_CONFIG.seeds. */
  races: Comparisons.RaceResult[];
  /** One curve per run of OSCILLATION_RUNS, in its order. */
  oscillation: Comparisons.LossPoint[][];
}

/** Which comparisons to run: lesson 13's races, lesson 12's oscillation runs, or both. */
export interface Wanted {
  races: boolean;
  oscillation: boolean;
}

/** Runs the races and oscillation runs of the compiled `comparisons.mjs` that are `wanted`, on `workers` threads. */
export async function runComparisons(
  comparisonsModule: string,
  comparisons: typeof Comparisons,
  wanted: Wanted,
  workers?: number,
  onTask?: (done: number, total: number) => void,
): Promise<Measured> {
  const races = wanted.races ? comparisons.RACERS : [];
  const oscillation = wanted.oscillation ? comparisons.OSCILLATION_RUNS : [];
  const tasks: MeasureTask[] = [
    ...races.flatMap((racer) =>
      comparisons.RACE_CONFIG.seeds.map((seed) => ({
        kind: "race" as const,
        key: `racing ${racer.name} on seed ${seed}`,
        racer: racer.id,
        seed,
      })),
    ),
    ...oscillation.map((run, index) => ({ kind: "oscillation" as const, key: `oscillation run "${run.name}"`, index })),
  ];
  let done = 0;
  const results = await runOnWorkers<MeasureTask, MeasureResult>({
    workerSource: path.join(path.dirname(fileURLToPath(import.meta.url)), "measure-worker.ts"),
    courseModule: comparisonsModule,
    tasks,
    threads: workers,
    onResult: () => onTask?.(++done, tasks.length),
  });
  const resultOf = (task: MeasureTask) => results.get(task.key) as MeasureResult;
  return {
    races: tasks.flatMap((t) => (t.kind === "race" ? [resultOf(t) as Comparisons.RaceResult] : [])),
    oscillation: tasks.flatMap((t) => (t.kind === "oscillation" ? [resultOf(t) as Comparisons.LossPoint[]] : [])),
  };
}
