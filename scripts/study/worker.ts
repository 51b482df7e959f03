/**
 * A worker thread of `npm run experiments`: trains the models it is sent, one task at a time. The runner
 * (runner.ts) compiles this file and the course code to plain JavaScript (scripts/lib/compile-target.ts), so no
 * TypeScript loader runs here.
 *
 * Messages in:  { task } (a `Task`: key, seed, model, and the grid to probe the boundary on, or null)
 * Messages out: a `WorkerMessage`: "epoch" after every epoch, "done" when a task is done (boundary: one class
 *               per grid point, row by row, or null), "error" when the code under test throws.
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as Study from "../../solutions/study";
import type { Task, WorkerData, WorkerMessage } from "./runner";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread of the study runner, not on its own.");
const { studyModule, config } = workerData as WorkerData;
const study = (await import(studyModule)) as typeof Study;
const send = (message: WorkerMessage) => port.postMessage(message);

port.on("message", ({ task }: { task: Task }) => {
  try {
    const spec = study.MODELS.find((m) => m.id === task.model);
    if (!spec) throw new Error(`no model ${task.model} in the study`);
    const { result, network } = study.runModel(spec, config, task.seed, (row) => {
      send({ type: "epoch", key: task.key, epoch: row.epoch });
    });
    let boundary: number[] | null = null;
    const grid = task.boundary;
    if (grid && result.diverged === null) {
      boundary = grid.ys.flatMap((y) => grid.xs.map((x) => (network.forward([x, y])[0].data >= 0 ? 1 : -1)));
    }
    send({ type: "done", key: task.key, result, boundary });
  } catch (error) {
    send({ type: "error", key: task.key, message: error instanceof Error ? error.message : `${error}` });
  }
});
