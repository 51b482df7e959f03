/**
 * A worker thread of lesson 17's study (digits.ts): trains lesson 17's recipe on the digits it is given, one task at a
 * time, and answers as worker-pool.ts says (a progress message after every epoch). Compiled with the course code to
 * plain JavaScript, so no TypeScript loader runs here.
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as DigitsModule from "../../solutions/digits";
import type { DigitTask, DigitTaskResult, DigitWorkerData } from "./digits-runs";
import type { WorkerReply } from "./worker-pool";

const port = parentPort;
if (!port) throw new Error("digits-worker.ts runs as a worker thread of the study, not on its own.");
const digits = (await import(workerData.courseModule)) as typeof DigitsModule;
const { train, test } = workerData.config as DigitWorkerData;
const send = (reply: WorkerReply<DigitTaskResult>) => port.postMessage(reply);

port.on("message", (task: DigitTask) => {
  try {
    const started = performance.now();
    const { model, history } = digits.trainRecipe(
      task.seed,
      { train, test },
      { init: task.init, epochs: task.epochs, onEpoch: () => send({ key: task.key, progress: true }) },
    );
    const seconds = (performance.now() - started) / 1000;
    const weight = model.layers[0].weight;
    send({
      key: task.key,
      result: {
        history,
        seconds,
        predicted: digits.predictDigits(model, test),
        // The first layer's weights, 784 × 128: float32 is plenty for a picture, and half the message.
        firstLayer: task.keepWeights ? Float32Array.from(weight.data) : null,
      },
    });
  } catch (error) {
    send({ key: task.key, error: error instanceof Error ? error.message : `${error}` });
  }
});
