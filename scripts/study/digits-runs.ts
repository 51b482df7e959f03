/**
 * Lesson 17's runs on worker threads (worker-pool.ts, digits-worker.ts): the recipe of solutions/digits.ts on every
 * seed from the scaled start, and the first seed again from lesson 05's uniform(−1, 1) start for a few epochs, to
 * measure what the start costs. The longest tasks go first; results are kept by task, not by finishing order.
 *
 * The runs take minutes, and the same code gives the same results, so they are kept in node_modules/.cache/ (the usual
 * place for a tool's cache, which `npm ci` empties, and which course:check's copies of the course share through their
 * link to node_modules), named by a hash of everything they depend on: the compiled course code, the worker, the digits
 * and the tasks. Running the study again on unchanged code (CI checks the reference's results, and course:check runs
 * the learner's command on a solved copy of the same code) reads them back instead of training again, and says so.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DigitHistoryRow, DigitInit } from "../../solutions/digits";
import type { Digits } from "../../solutions/mnist";
import { courseFileNames } from "../lib/starter";
import { ROOT } from "../lib/target";
import { runOnWorkers } from "./worker-pool";

/** One training run, as the study sends it to a worker. */
export interface DigitTask {
  key: string;
  seed: number;
  init: DigitInit;
  epochs: number;
  /** Send back the first layer's weights (for the picture of what its units look at). */
  keepWeights: boolean;
}

export interface DigitTaskResult {
  history: DigitHistoryRow[];
  /** Wall-clock seconds of training (trainDigits, every epoch's test evaluation included), in its worker. */
  seconds: number;
  /** The trained network's digit for every test image. */
  predicted: number[];
  /** 784 × 128, row after row, when asked for. */
  firstLayer: Float32Array | null;
}

/** What every worker gets once: the course's split. */
export interface DigitWorkerData {
  train: Digits;
  test: Digits;
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "digits-worker.ts");

const CACHE = path.join(ROOT, "node_modules", ".cache", "course-digit-runs");

/**
 * Runs `tasks` on up to `workers` threads with the compiled `digits.mjs` of a target; results by task key, and whether
 * they were read back from an earlier run of the same code (`cached`, the file).
 */
export async function runDigitTasks(
  digitsModule: string,
  data: DigitWorkerData,
  tasks: DigitTask[],
  { workers, onEpoch }: { workers?: number; onEpoch?: (key: string) => void },
): Promise<{ results: Map<string, DigitTaskResult>; cached?: string }> {
  const hash = createHash("sha256");
  const buildDir = path.dirname(digitsModule);
  // The course's modules only: the study's workers are compiled beside them as each study runs, so which of those
  // are there depends on what ran before (the workers' own code is hashed below).
  for (const name of courseFileNames(path.join(ROOT, "src"))) {
    const compiled = name.replace(/\.ts$/, ".mjs");
    hash.update(compiled).update(readFileSync(path.join(buildDir, compiled)));
  }
  for (const file of [WORKER, fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  hash
    .update(data.train.pixels)
    .update(data.test.pixels)
    .update(JSON.stringify([data.train.labels, data.test.labels, tasks]));
  const file = path.join(CACHE, `${hash.digest("hex").slice(0, 16)}.json`);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as [
      string,
      DigitTaskResult & { firstLayer: number[] | null },
    ][];
    const results = new Map(
      saved.map(([key, r]) => [key, { ...r, firstLayer: r.firstLayer && Float32Array.from(r.firstLayer) }]),
    );
    return { results, cached: path.relative(ROOT, file) };
  }
  const results = await runOnWorkers<DigitTask, DigitTaskResult>({
    workerSource: WORKER,
    courseModule: digitsModule,
    config: data,
    tasks: [...tasks].sort((a, b) => b.epochs - a.epochs),
    threads: workers,
    onProgress: onEpoch,
  });
  mkdirSync(CACHE, { recursive: true });
  const saved = [...results].map(([key, r]) => [key, { ...r, firstLayer: r.firstLayer && Array.from(r.firstLayer) }]);
  // Written beside, then renamed: a run stopped halfway leaves nothing half-written to read back.
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(saved));
  renameSync(`${file}.${process.pid}`, file);
  return { results };
}
