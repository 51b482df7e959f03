/**
 * A worker thread of `npm run experiments`: trains the models it is sent, one task at a time, and answers as
 * worker-pool.ts says (a progress message after every epoch). It is compiled with the course code to plain
 * JavaScript (scripts/lib/compile-target.ts), so no TypeScript loader runs here.
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as Study from "../../solutions/study";
import type { Task, TaskResult } from "./runner";
import type { WorkerReply } from "./worker-pool";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread of the study runner, not on its own.");
const study = (await import(workerData.courseModule)) as typeof Study;
const config = workerData.config as Study.StudyConfig;
const send = (reply: WorkerReply<TaskResult>) => port.postMessage(reply);

port.on("message", (task: Task) => {
  try {
    const spec = study.MODELS.find((m) => m.id === task.model);
    if (!spec) throw new Error(`no model ${task.model} in the study`);
    const { result, network } = study.runModel(spec, config, task.seed, () => {
      send({ key: task.key, progress: true });
    });
    let boundary: number[] | null = null;
    const grid = task.boundary;
    if (grid && result.diverged === null) {
      boundary = grid.ys.flatMap((y) => grid.xs.map((x) => (network.forward([x, y])[0].data >= 0 ? 1 : -1)));
    }
    send({ key: task.key, result: { result, boundary } });
  } catch (error) {
    send({ key: task.key, error: error instanceof Error ? error.message : `${error}` });
  }
});
