/**
 * Runs the study of solutions/study.ts (or a target's copy of it) on worker threads (worker-pool.ts): one task per
 * model and seed, the longest first. Results are placed by model and seed, so they do not depend on which worker
 * finished first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelId, ModelSpec, RunResult, SeedRuns, StudyConfig } from "../../solutions/study";
import { runOnWorkers } from "./worker-pool";

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

/** One model on one seed, as the runner sends it to a worker. */
export interface Task {
  key: string;
  seed: number;
  model: ModelId;
  boundary: BoundaryGrid | null;
}

/** What a worker gives back for a task: the run, and (on the first seed) the boundary it probed, or null. */
export interface TaskResult {
  result: RunResult;
  boundary: number[] | null;
}

export async function runStudyInWorkers(options: RunStudyOptions): Promise<StudyOutcome> {
  const { config, models } = options;
  // Longest first: two hidden layers cost several times one, so they should not be left for the end.
  const ordered = [...models].sort((a, b) => b.hiddenLayers - a.hiddenLayers);
  const tasks: Task[] = ordered.flatMap((spec) =>
    config.seeds.map((seed) => ({
      key: `training ${spec.name} on seed ${seed}`,
      seed,
      model: spec.id,
      boundary: seed === config.seeds[0] ? BOUNDARY_GRID : null,
    })),
  );
  const boundaries = Object.fromEntries(models.map((m) => [m.id, null])) as Record<ModelId, number[] | null>;
  const results = await runOnWorkers<Task, TaskResult>({
    workerSource: path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts"),
    courseModule: options.studyModule,
    config,
    tasks,
    threads: options.workers,
    onProgress: () => options.onEpoch?.(),
    onResult: (_, { result, boundary }) => {
      const spec = models.find((m) => m.id === result.model) as ModelSpec;
      if (boundary) boundaries[spec.id] = boundary;
      options.onRun?.(result, spec);
    },
  });

  const bySeed = config.seeds.map(
    (seed) =>
      Object.fromEntries(
        models.map((spec) => [spec.id, (results.get(`training ${spec.name} on seed ${seed}`) as TaskResult).result]),
      ) as SeedRuns,
  );
  return { bySeed, boundaries, grid: BOUNDARY_GRID };
}
