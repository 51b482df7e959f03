/**
 * A worker thread of `npm run measure`: runs the lesson 12-13 comparisons it is sent, one task at a time. Like
 * the study's worker, it is compiled with the course code to plain JavaScript (scripts/lib/compile-target.ts).
 *
 * Messages in:  a `MeasureTask`
 * Messages out: a `MeasureMessage`: the task's result, or the error the code under test threw
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as Comparisons from "../../solutions/comparisons";
import type { MeasureMessage, MeasureTask } from "./measure-runs";

const port = parentPort;
if (!port) throw new Error("measure-worker.ts runs as a worker thread of npm run measure, not on its own.");
const comparisons = (await import(workerData.comparisonsModule)) as typeof Comparisons;

port.on("message", (task: MeasureTask) => {
  const send = (message: MeasureMessage) => port.postMessage(message);
  try {
    if (task.kind === "race") {
      const racer = comparisons.RACERS.find((r) => r.id === task.racer);
      if (!racer) throw new Error(`no racer ${task.racer}`);
      send({ key: task.key, race: comparisons.race(racer, comparisons.RACE_CONFIG, task.seed) });
    } else {
      const spec = comparisons.OSCILLATION_RUNS[task.index];
      send({ key: task.key, oscillation: comparisons.oscillationRun(spec, comparisons.OSCILLATION_CONFIG) });
    }
  } catch (error) {
    send({ key: task.key, error: error instanceof Error ? error.message : String(error) });
  }
});
