/**
 * A worker thread of `npm run measure`: runs the lesson 12-13 comparisons it is sent, one task at a time. Like
 * the study's worker, it is compiled with the course code to plain JavaScript (scripts/lib/compile-target.ts).
 *
 * Messages in:  a `MeasureTask`; out: the task's result, or the error the code under test threw (worker-pool.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as Comparisons from "../../solutions/comparisons";
import type { MeasureResult, MeasureTask } from "./measure-runs";
import type { WorkerReply } from "./worker-pool";

const port = parentPort;
if (!port) throw new Error("measure-worker.ts runs as a worker thread of npm run measure, not on its own.");
const comparisons = (await import(workerData.courseModule)) as typeof Comparisons;

port.on("message", (task: MeasureTask) => {
  const send = (reply: WorkerReply<MeasureResult>) => port.postMessage(reply);
  try {
    if (task.kind === "race") {
      const racer = comparisons.RACERS.find((r) => r.id === task.racer);
      if (!racer) throw new Error(`no racer ${task.racer}`);
      send({ key: task.key, result: comparisons.race(racer, comparisons.RACE_CONFIG, task.seed) });
    } else {
      const spec = comparisons.OSCILLATION_RUNS[task.index];
      send({ key: task.key, result: comparisons.oscillationRun(spec, comparisons.OSCILLATION_CONFIG) });
    }
  } catch (error) {
    send({ key: task.key, error: error instanceof Error ? error.message : String(error) });
  }
});
