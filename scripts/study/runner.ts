/**
 * Runs the study of solutions/study.ts (or a target's copy of it) on worker threads: one task per model and
 * seed, the longest first, as many workers as cores. Results are placed by model and seed, so they do not
 * depend on which worker finished first.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ModelId, ModelSpec, RunResult, SeedRuns, StudyConfig } from "../../solutions/study";
import { compileModule } from "../lib/compile-target";

/** Where the decision-boundary figures probe each trained network: a grid over the moons, step 0.15. */
export interface BoundaryGrid {
  xs: number[];
  ys: number[];
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Math.round((from + i * step) * 1000) / 1000);

export const BOUNDARY_GRID: BoundaryGrid = { xs: range(-1.6, 2.6, 0.15), ys: range(-1.1, 1.6, 0.15) };

export interface StudyOutcome {
  /** Every model's run, seed by seed in the order of `config.seeds`. */
  bySeed: SeedRuns[];
  /** For the first seed: the class each trained model predicts at every grid point (row by row), or null. */
  boundaries: Record<ModelId, number[] | null>;
  /** The grid the boundaries were probed on. */
  grid: BoundaryGrid;
}

export interface RunStudyOptions {
  /** The compiled study module (study.mjs) of the target; the worker is compiled into the same folder. */
  studyModule: string;
  config: StudyConfig;
  models: ModelSpec[];
  workers?: number;
  /** After every epoch of any task. */
  onEpoch?: () => void;
  /** After every task, with what it produced. */
  onRun?: (result: RunResult, spec: ModelSpec) => void;
}

/** The course code under study threw (not a divergence, which runModel reports as a result). */
export class StudyRunError extends Error {
  constructor(
    readonly task: string,
    readonly reason: string,
  ) {
    super(`${task}: ${reason}`);
    this.name = "StudyRunError";
  }
}

/** One model on one seed, as the runner sends it to a worker. */
export interface Task {
  key: string;
  seed: number;
  model: ModelId;
  boundary: BoundaryGrid | null;
}

/** What every worker is started with. */
export interface WorkerData {
  /** A file: URL of the compiled study module. */
  studyModule: string;
  config: StudyConfig;
}

export type WorkerMessage =
  | { type: "epoch"; key: string; epoch: number }
  | { type: "done"; key: string; result: RunResult; boundary: number[] | null }
  | { type: "error"; key: string; message: string };

export async function runStudyInWorkers(options: RunStudyOptions): Promise<StudyOutcome> {
  const { config, models } = options;
  // Longest first: two hidden layers cost several times one, so they should not be left for the end.
  const ordered = [...models].sort((a, b) => b.hiddenLayers - a.hiddenLayers);
  const tasks: Task[] = ordered.flatMap((spec) =>
    config.seeds.map((seed) => ({
      key: `${spec.id}/${seed}`,
      seed,
      model: spec.id,
      boundary: seed === config.seeds[0] ? BOUNDARY_GRID : null,
    })),
  );
  const results = new Map<string, RunResult>();
  const boundaries = Object.fromEntries(models.map((m) => [m.id, null])) as Record<ModelId, number[] | null>;
  const count = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), tasks.length));
  const workerFile = compileModule(
    path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts"),
    path.join(path.dirname(options.studyModule), "study-worker.mjs"),
  );
  const workerData: WorkerData = { studyModule: pathToFileURL(options.studyModule).href, config };
  const workers = Array.from({ length: count }, () => new Worker(workerFile, { workerData }));

  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = () => {
              if (next >= tasks.length) return resolve();
              worker.postMessage({ task: tasks[next++] });
            };
            worker.on("message", (message: WorkerMessage) => {
              if (message.type === "epoch") return options.onEpoch?.();
              if (message.type === "error") return reject(new StudyRunError(message.key, message.message));
              results.set(message.key, message.result);
              const spec = models.find((m) => m.id === message.result.model) as ModelSpec;
              if (message.boundary) boundaries[spec.id] = message.boundary;
              options.onRun?.(message.result, spec);
              sendNext();
            });
            worker.on("error", reject);
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  const bySeed = config.seeds.map(
    (seed) =>
      Object.fromEntries(models.map((spec) => [spec.id, results.get(`${spec.id}/${seed}`) as RunResult])) as SeedRuns,
  );
  return { bySeed, boundaries, grid: BOUNDARY_GRID };
}
