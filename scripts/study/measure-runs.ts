/**
 * Runs the comparisons of lessons 12 and 13 (solutions/comparisons.ts, or a target's copy) on worker threads,
 * one task per race (optimizer and seed) and per oscillation run, the races first (they are the longest).
 * Results are placed by task, so they do not depend on which worker finished first.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type * as Comparisons from "../../solutions/comparisons";
import { compileModule } from "../lib/compile-target";

export type MeasureTask =
  | { kind: "race"; key: string; racer: Comparisons.Racer["id"]; seed: number }
  | { kind: "oscillation"; key: string; index: number };

export type MeasureMessage =
  | { key: string; race: Comparisons.RaceResult }
  | { key: string; oscillation: Comparisons.LossPoint[] }
  | { key: string; error: string };

export interface Measured {
  /** Racer by racer, seed by seed, in the order of RACERS and RACE_CONFIG.seeds. */
  races: Comparisons.RaceResult[];
  /** One curve per run of OSCILLATION_RUNS, in its order. */
  oscillation: Comparisons.LossPoint[][];
}

/** The course code under study threw. */
export class MeasureError extends Error {
  constructor(
    readonly task: string,
    readonly reason: string,
  ) {
    super(`${task}: ${reason}`);
    this.name = "MeasureError";
  }
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
  workers = os.availableParallelism(),
  onTask?: (done: number, total: number) => void,
): Promise<Measured> {
  const races = wanted.races ? comparisons.RACERS : [];
  const oscillation = wanted.oscillation ? comparisons.OSCILLATION_RUNS : [];
  const tasks: MeasureTask[] = [
    ...races.flatMap((racer) =>
      comparisons.RACE_CONFIG.seeds.map((seed) => ({
        kind: "race" as const,
        key: `${racer.id}/${seed}`,
        racer: racer.id,
        seed,
      })),
    ),
    ...oscillation.map((_, index) => ({ kind: "oscillation" as const, key: `run ${index}`, index })),
  ];
  const workerFile = compileModule(
    path.join(path.dirname(fileURLToPath(import.meta.url)), "measure-worker.ts"),
    path.join(path.dirname(comparisonsModule), "measure-worker.mjs"),
  );
  const workerData = { comparisonsModule: pathToFileURL(comparisonsModule).href };
  const threads = Array.from(
    { length: Math.max(1, Math.min(workers, tasks.length)) },
    () => new Worker(workerFile, { workerData }),
  );
  const results = new Map<string, MeasureMessage>();
  let next = 0;
  try {
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = () => (next < tasks.length ? worker.postMessage(tasks[next++]) : resolve());
            worker.on("message", (message: MeasureMessage) => {
              if ("error" in message) return reject(new MeasureError(message.key, message.error));
              results.set(message.key, message);
              onTask?.(results.size, tasks.length);
              sendNext();
            });
            worker.on("error", reject);
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
  const result = (key: string) => results.get(key) as MeasureMessage;
  return {
    races: tasks.flatMap((t) => (t.kind === "race" ? [(result(t.key) as { race: Comparisons.RaceResult }).race] : [])),
    oscillation: tasks.flatMap((t) =>
      t.kind === "oscillation" ? [(result(t.key) as { oscillation: Comparisons.LossPoint[] }).oscillation] : [],
    ),
  };
}
