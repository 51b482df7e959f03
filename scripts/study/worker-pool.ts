/**
 * Runs tasks on worker threads, for the study (runner.ts) and the measurements (measure-runs.ts): a worker file
 * is compiled beside the target's compiled course code (so it imports plain JavaScript, with no TypeScript
 * loader), started as many times as there are cores or tasks, and fed one task at a time; results are kept by
 * task key, so they do not depend on which worker finished first.
 *
 * The messages, both ways: a worker receives one task (`{ key, ... }`) at a time and answers with
 * `{ key, progress: true }` as often as it likes, then either `{ key, result }` or `{ key, error }`.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { compileModule } from "../lib/compile-target";

/** What a worker sends back about a task. */
export type WorkerReply<Result> =
  | { key: string; progress: true }
  | { key: string; result: Result }
  | { key: string; error: string };

/** The course code under study threw while running `task` (a key such as "model3/2"). */
export class TaskError extends Error {
  constructor(
    readonly task: string,
    readonly reason: string,
  ) {
    super(`${task}: ${reason}`);
    this.name = "TaskError";
  }
}

export interface PoolOptions<Task extends { key: string }, Result> {
  /** The worker's TypeScript source. */
  workerSource: string;
  /** The compiled course module the worker imports (its folder receives the compiled worker too). */
  courseModule: string;
  /** Passed to every worker as `workerData.courseModule` (a file: URL), with `config` when given. */
  config?: unknown;
  tasks: Task[];
  /** How many workers at most (default: one per core). */
  threads?: number;
  onProgress?: (key: string) => void;
  onResult?: (key: string, result: Result) => void;
}

/** Runs every task; resolves with each task's result by key, or rejects with the first `TaskError`. */
export async function runOnWorkers<Task extends { key: string }, Result>(
  options: PoolOptions<Task, Result>,
): Promise<Map<string, Result>> {
  const { tasks } = options;
  const workerFile = compileModule(
    options.workerSource,
    path.join(path.dirname(options.courseModule), path.basename(options.workerSource).replace(/\.ts$/, ".mjs")),
  );
  const workerData = { courseModule: pathToFileURL(options.courseModule).href, config: options.config };
  const count = Math.max(1, Math.min(options.threads ?? os.availableParallelism(), tasks.length));
  const workers = Array.from({ length: count }, () => new Worker(workerFile, { workerData }));
  const results = new Map<string, Result>();
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sendNext = () => (next < tasks.length ? worker.postMessage(tasks[next++]) : resolve());
            worker.on("message", (reply: WorkerReply<Result>) => {
              if ("progress" in reply) return options.onProgress?.(reply.key);
              if ("error" in reply) return reject(new TaskError(reply.key, reply.error));
              results.set(reply.key, reply.result);
              options.onResult?.(reply.key, reply.result);
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
  return results;
}
