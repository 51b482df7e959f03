/**
 * A worker thread of `npm run experiments`: trains the models it is sent, one task at a time, with the
 * course code compiled by compile-target.ts (plain JavaScript, so no TypeScript loader is needed here).
 *
 * Messages in:  { task: { key, seed, model, boundary: { xs, ys } | null } }
 * Messages out: { type: "epoch", key, epoch } after every epoch,
 *               { type: "done", key, result, boundary } when a task is done (boundary: one class per grid
 *               point, row by row, or null), { type: "error", key, message } when the code under test throws.
 */
import { parentPort, workerData } from "node:worker_threads";

const study = await import(workerData.studyModule);
const config = workerData.config;

parentPort.on("message", ({ task }) => {
  try {
    const spec = study.MODELS.find((m) => m.id === task.model);
    const { result, network } = study.runModel(spec, config, task.seed, (row) => {
      parentPort.postMessage({ type: "epoch", key: task.key, epoch: row.epoch });
    });
    let boundary = null;
    if (task.boundary && result.diverged === null) {
      boundary = task.boundary.ys.flatMap((y) =>
        task.boundary.xs.map((x) => (network.forward([x, y])[0].data >= 0 ? 1 : -1)),
      );
    }
    parentPort.postMessage({ type: "done", key: task.key, result, boundary });
  } catch (error) {
    parentPort.postMessage({
      type: "error",
      key: task.key,
      message: error instanceof Error ? error.message : `${error}`,
    });
  }
});
