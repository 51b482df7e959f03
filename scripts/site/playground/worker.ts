/**
 * The playground's training worker: it trains in slices of about 16 ms and posts what changed after each, so
 * the page stays responsive and a pause takes effect within a slice. The page draws the latest state at most
 * once per animation frame.
 */

import type { HistoryRow } from "@course/train";
import { stubbedLesson } from "../../lib/stub-message";
import { boundaryDomain, boundaryGrid, type Domain, type Grid, tileGrid, unitGrids } from "./boundary";
import type { FromWorker, Pictures, Points, Stop, ToWorker } from "./protocol";
import type { Change, Settings } from "./settings";
import { LIVE_SETTING, networkFunction, Trainer, type TrainingCourse } from "./trainer";

/**
 * What this file uses of a dedicated worker's global scope. The repository type-checks with the DOM library,
 * whose `self` is a window; the WebWorker library cannot be loaded beside it.
 */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** About 60 slices a second, each posting the pictures: the page redraws at up to its frame rate. */
const SLICE_MS = 16;
/** The speed shown is measured over the updates of the last few seconds. */
const SPEED_WINDOW_MS = 3000;
/**
 * How far the grid's arithmetic may be from the engine's outputs: with lesson 07's forward pass they agree exactly;
 * a learner's may add the same terms in another order.
 */
const GRID_TOLERANCE = 1e-9;

let run = 0;
let trainer: Trainer | undefined;
let settings: Settings | undefined;
let area: (Domain & Grid) | undefined;
let tiles: Grid | undefined;
let limit = 0;
let running = false;
let rows: HistoryRow[] = [];
let latest: (HistoryRow & { updates: number }) | undefined;
/** Why training stopped, sent after the progress that led to it. */
let stopped: Stop | undefined;
/** The changes of this run so far, and those from the address still to come. */
let changes: Change[] = [];
let pending: Change[] = [];
/** [time, updates] at the end of each recent slice, for the speed. */
let samples: [number, number][] = [];
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
      samples = [[performance.now(), trainer.updates]];
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
        if (updateOnce()) endEpoch();
        else measureNow();
      });
      post();
      break;
    case "epochs":
      limit = message.epochs;
      break;
    case "set": {
      if (!trainer) return;
      const { kind: _, ...change } = message;
      const now = { ...change, update: trainer.updates } as Change;
      guarded(() => apply(now));
      changes.push(now);
      post();
      break;
    }
  }
}

async function reset(wanted: Settings, course: string): Promise<void> {
  trainer = undefined;
  settings = wanted;
  rows = [];
  latest = undefined;
  drawnAtUpdate = -1;
  limit = wanted.epochs;
  changes = [];
  pending = [...wanted.changes];
  const load = <T>(name: string) => import(`${course}${name}.mjs`) as Promise<T>;
  // Lessons 12 and 13's modules are needed only by some settings; the trainer says which when one is missing.
  const optional = <T>(name: string) => load<T>(name).catch(() => undefined);
  try {
    const [engine, data, random, nn, loss] = await Promise.all([
      load<TrainingCourse["engine"]>("engine"),
      load<TrainingCourse["data"]>("data"),
      load<TrainingCourse["random"]>("random"),
      load<TrainingCourse["nn"]>("nn"),
      load<TrainingCourse["loss"]>("loss"),
    ]);
    const courseModules: TrainingCourse = {
      engine,
      data,
      random,
      nn,
      loss,
      batches: await optional<TrainingCourse["batches"]>("batches"),
      optim: await optional<TrainingCourse["optim"]>("optim"),
    };
    guarded(() => {
      const built = new Trainer(courseModules, wanted);
      area = boundaryDomain([...built.train.x, ...built.test.x]);
      tiles = tileGrid(area);
      const secondsPerUpdate = built.timeOneUpdate();
      scope.postMessage({
        run,
        kind: "data",
        train: points(built.train),
        test: points(built.test),
        area,
        tiles,
        parameters: built.model.parameters().length,
        updatesPerEpoch: built.updatesPerEpoch,
        secondsPerUpdate,
      });
      trainer = built;
      applyPending();
    });
    // The untrained network's row, by the engine's forward passes over every point: seconds for a large network,
    // so the page already has the data, the estimate and the warning above.
    guarded(() => {
      if (!trainer) return;
      rows.push(trainer.evaluate());
      latest = { ...rows[0], updates: 0 };
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
  const end = performance.now() + SLICE_MS;
  guarded(() => {
    do {
      if (updateOnce()) endEpoch();
    } while (running && performance.now() < end);
  });
  samples.push([performance.now(), trainer.updates]);
  post();
  if (running) queueSlice();
}

/** One update, after the changes from the address that are due before it. */
function updateOnce(): boolean {
  applyPending();
  return (trainer as Trainer).update();
}

/** Applies the address's changes that come before the next update, in order, and records them. */
function applyPending(): void {
  while (trainer && pending.length > 0 && pending[0].update <= trainer.updates) {
    const change = pending.shift() as Change;
    apply(change);
    changes.push(change);
  }
}

function apply(change: Change): void {
  trainer?.setLive(LIVE_SETTING[change.field], change.value);
}

function endEpoch(): void {
  if (!trainer) return;
  const row = trainer.evaluate();
  rows.push(row);
  latest = { ...row, updates: trainer.updates };
  if (trainer.epoch >= limit) {
    running = false;
    stopped = { kind: "finished" };
  }
}

/** After One update in the middle of an epoch: the network's loss and accuracy now, for the page's tiles. */
function measureNow(): void {
  if (trainer) latest = { ...trainer.evaluate(), updates: trainer.updates };
}

/** Sends what changed since the last message (new rows, the pictures if the weights moved), then why it stopped. */
function post(): void {
  if (trainer && area && tiles) postProgress(trainer, area, tiles);
  if (stopped) scope.postMessage({ run, kind: "stopped", stop: stopped });
  stopped = undefined;
}

function postProgress(trainer: Trainer, area: Domain & Grid, tiles: Grid): void {
  let pictures: Pictures | undefined;
  if (drawnAtUpdate !== trainer.updates && settings) {
    const f = networkFunction(trainer.model, settings.activation);
    const tests = trainer.test.x;
    if (trainer.evaluatedAt === trainer.updates) {
      gridMatchesEngine = trainer.testOutputs.every(
        (out, i) => Math.abs(f(tests[i][0], tests[i][1]) - out) <= GRID_TOLERANCE * Math.max(1, Math.abs(out)),
      );
    }
    const hidden = settings.hidden.reduce((sum, width) => sum + width, 0);
    pictures = {
      output: boundaryGrid(f, area),
      units: unitGrids(f, area, tiles, hidden),
      weights: Float32Array.from(trainer.model.weights(), (w) => w.data),
    };
    drawnAtUpdate = trainer.updates;
  }
  const now = performance.now();
  samples = samples.filter(([time]) => now - time <= SPEED_WINDOW_MS);
  const [first, last] = [samples[0], samples.at(-1)];
  const updatesPerSecond =
    first && last && last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : null;
  scope.postMessage(
    {
      run,
      kind: "progress",
      epoch: trainer.epoch,
      updates: trainer.updates,
      rows,
      ...(latest ? { latest } : {}),
      ...(pictures ? { pictures } : {}),
      gridMatchesEngine,
      updatesPerSecond,
      changes,
      running,
    },
    pictures ? [pictures.output.buffer, pictures.units.buffer, pictures.weights.buffer] : [],
  );
  rows = [];
  latest = undefined;
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
