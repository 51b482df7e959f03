/**
 * The playground's training worker: it trains in slices of about 50 ms and posts what changed after each, so
 * the page stays responsive and a pause takes effect within a slice. The page draws the latest state at most
 * once per animation frame.
 */

import type { HistoryRow } from "@course/train";
import { stubbedLesson } from "../../lib/stub-message";
import { boundaryDomain, boundaryGrid, type Domain, type Grid } from "./boundary";
import type { FromWorker, Points, Stop, ToWorker } from "./protocol";
import type { Settings } from "./settings";
import { networkFunction, Trainer, type TrainingCourse } from "./trainer";

/**
 * What this file uses of a dedicated worker's global scope. The repository type-checks with the DOM library,
 * whose `self` is a window; the WebWorker library cannot be loaded beside it.
 */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const SLICE_MS = 50;
/** The speed shown is measured over the epochs of the last few seconds. */
const SPEED_WINDOW_MS = 3000;
/**
 * How far the grid's arithmetic may be from the engine's outputs: with lesson 07's forward pass they agree exactly;
 * a learner's may add the same terms in another order.
 */
const GRID_TOLERANCE = 1e-9;

let run = 0;
let trainer: Trainer | undefined;
let area: (Domain & Grid) | undefined;
let limit = 0;
let running = false;
let rows: HistoryRow[] = [];
/** Why training stopped, sent after the progress that led to it. */
let stopped: Stop | undefined;
let epochEnds: number[] = [];
let drawnAtUpdate = -1;
let gridMatchesEngine = true;
// The next slice is a message to ourselves, not a setTimeout: nested timeouts are clamped to 4 ms each.
const nextSlice = new MessageChannel();
let sliceQueued = false;
nextSlice.port1.onmessage = trainSlice;
function queueSlice(): void {
  if (sliceQueued) return;
  sliceQueued = true;
  nextSlice.port2.postMessage(null);
}

// Messages are handled one at a time, in order: a "run" sent while "reset" is still loading the course waits.
let queue = Promise.resolve();
scope.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case "reset":
      running = false;
      run = message.run;
      await reset(message.settings, message.course);
      break;
    case "run":
      if (!trainer || running || trainer.epoch >= limit) return;
      running = true;
      epochEnds = [];
      queueSlice();
      post();
      break;
    case "pause":
      running = false;
      post();
      break;
    case "step":
      if (!trainer || running) return;
      guarded(() => {
        if (trainer?.update()) endEpoch();
      });
      post();
      break;
    case "epochs":
      limit = message.epochs;
      break;
  }
}

async function reset(settings: Settings, course: string): Promise<void> {
  trainer = undefined;
  rows = [];
  drawnAtUpdate = -1;
  limit = settings.epochs;
  const load = <T>(name: string) => import(`${course}${name}.mjs`) as Promise<T>;
  try {
    const [engine, data, random, nn, loss, study] = await Promise.all([
      load<TrainingCourse["engine"]>("engine"),
      load<TrainingCourse["data"]>("data"),
      load<TrainingCourse["random"]>("random"),
      load<TrainingCourse["nn"]>("nn"),
      load<TrainingCourse["loss"]>("loss"),
      load<typeof import("@course/study")>("study"),
    ]);
    const courseModules: TrainingCourse = {
      engine,
      data,
      random,
      nn,
      loss,
      ...(settings.batch > 1 ? { batches: await load<TrainingCourse["batches"]>("batches") } : {}),
      ...(settings.optimizer !== "sgd" ? { optim: await load<TrainingCourse["optim"]>("optim") } : {}),
    };
    guarded(() => {
      const built = new Trainer(courseModules, settings, study.STUDY_CONFIG.testFraction);
      area = boundaryDomain([...built.train.x, ...built.test.x]);
      scope.postMessage({
        run,
        kind: "data",
        train: points(built.train),
        test: points(built.test),
        area,
        parameters: built.model.parameters().length,
      });
      trainer = built;
      rows.push(built.evaluate());
    });
    post();
  } catch (error) {
    stopped = { kind: "failed", message: `The course modules did not load: ${String(error)}` };
    post();
  }
}

function trainSlice(): void {
  sliceQueued = false;
  if (!running || !trainer) return;
  const model = trainer;
  const end = performance.now() + SLICE_MS;
  guarded(() => {
    do {
      if (model.update()) endEpoch();
    } while (running && performance.now() < end);
  });
  post();
  if (running) queueSlice();
}

function endEpoch(): void {
  if (!trainer) return;
  rows.push(trainer.evaluate());
  epochEnds.push(performance.now());
  if (trainer.epoch >= limit) {
    running = false;
    stopped = { kind: "finished" };
  }
}

/** Sends what changed since the last message (new rows, the grid if the weights moved), then why it stopped. */
function post(): void {
  if (trainer && area) postProgress(trainer, area);
  if (stopped) scope.postMessage({ run, kind: "stopped", stop: stopped });
  stopped = undefined;
}

function postProgress(trainer: Trainer, area: Domain & Grid): void {
  let grid: Float32Array | undefined;
  if (drawnAtUpdate !== trainer.updates) {
    const f = networkFunction(trainer.model);
    const tests = trainer.test.x;
    if (trainer.evaluatedAt === trainer.updates) {
      gridMatchesEngine = trainer.testOutputs.every(
        (out, i) => Math.abs(f(tests[i][0], tests[i][1]) - out) <= GRID_TOLERANCE * Math.max(1, Math.abs(out)),
      );
    }
    grid = boundaryGrid(f, area);
    drawnAtUpdate = trainer.updates;
  }
  const now = performance.now();
  const recent = epochEnds.filter((t) => now - t <= SPEED_WINDOW_MS);
  const span = recent.length >= 2 ? recent[recent.length - 1] - recent[0] : 0;
  scope.postMessage(
    {
      run,
      kind: "progress",
      epoch: trainer.epoch,
      updates: trainer.updates,
      rows,
      ...(grid ? { grid } : {}),
      gridMatchesEngine,
      epochsPerSecond: span > 0 ? ((recent.length - 1) * 1000) / span : null,
      running,
    },
    grid ? [grid.buffer] : [],
  );
  rows = [];
}

/** Runs `work`; an error stops training and is reported as a stub, a divergence or a failure. */
function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    running = false;
    const message = error instanceof Error ? error.message : String(error);
    const lesson = stubbedLesson(message);
    if (lesson) stopped = { kind: "stub", lesson, message };
    // The engine refuses NaN and the trainer non-finite losses, both RangeErrors (as study.ts's runModel tells).
    else if (error instanceof RangeError && /NaN|Infinity|finite/.test(message))
      stopped = { kind: "diverged", message };
    else stopped = { kind: "failed", message };
  }
}

function points(set: { x: number[][]; y: number[] }): Points {
  return { x: set.x, positive: set.y.map((y) => y === 1) };
}
