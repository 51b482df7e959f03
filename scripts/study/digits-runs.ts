/**
 * Lesson 17's runs on worker threads (worker-pool.ts, digits-worker.ts): the recipe of solutions/digits.ts on every
 * seed from the scaled start, and the first seed again from lesson 05's uniform(−1, 1) start for a few epochs, to
 * measure what the start costs. The longest tasks go first; results are kept by task, not by finishing order.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DigitHistoryRow, DigitInit } from "../../solutions/digits";
import type { Digits } from "../../solutions/mnist";
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

/** Runs `tasks` on up to `workers` threads with the compiled `digits.mjs` of a target; results by task key. */
export function runDigitTasks(
  digitsModule: string,
  data: DigitWorkerData,
  tasks: DigitTask[],
  { workers, onEpoch }: { workers?: number; onEpoch?: (key: string) => void },
): Promise<Map<string, DigitTaskResult>> {
  return runOnWorkers<DigitTask, DigitTaskResult>({
    workerSource: WORKER,
    courseModule: digitsModule,
    config: data,
    tasks: [...tasks].sort((a, b) => b.epochs - a.epochs),
    threads: workers,
    onProgress: onEpoch,
  });
}
