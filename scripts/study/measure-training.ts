/**
 * Lesson 18's training comparison, `npm run measure -- --lesson 18 --training` (a few minutes, so never part of a run
 * without `--training`, nor of CI): lesson 17's recipe (seed 1, its 12 epochs, batches, shifts, Adam and schedule)
 * trained by lesson 17's own loop on lesson 14's engine (`trainRecipe`, float64) and on lesson 18's fastest paths (a
 * FastMlp on the SIMD kernel, one thread and two, with `PackedAdam`, through `trainByRecipe`), one after the other in
 * this process, each on a compiled copy of the target of its own. It gives each run's wall-clock and CPU time, the
 * speed-up over the engine, and the test accuracy after every epoch: in float32, the same recipe must read as many
 * digits right.
 *
 * Without `--training`, the measure command reads the committed training.json back (checking that it still names the
 * runs, the seed and the recipe's epochs) and writes the section from it. With `--check --training` it trains again
 * and fails when the losses or accuracies differ from the committed ones (they are deterministic; the times are not).
 */
import os from "node:os";
import type * as DigitsModule from "../../solutions/digits";
import type * as MnistModule from "../../solutions/mnist";
import { loadMnist } from "../lib/mnist";
import { courseCopy, type FastPath, pathMatmul, rowName } from "../lib/mnist-step";
import { compileKernels } from "../lib/wasm-kernels";
import { copyOf } from "./measure-speed";
import { round } from "./plots";
import { generatedBy, markdownTable, resultsJson } from "./report";

/** The seed of lesson 17's recipe that is trained on every path. */
const SEED = 1;
/** The fast paths trained, beside lesson 14's engine. */
const TRAINED_PATHS: FastPath[] = [
  { kind: "simd", threads: 1 },
  { kind: "simd", threads: 2 },
];
/** Issue 26's target: lesson 17's training on the fastest path at least this many times faster than on the engine. */
export const TRAINING_TARGET = 3;
const ENGINE_RUN = "lesson 14's engine, float64, Adam";
/** Bytes of WebAssembly memory for a fast run: the network's arrays for a batch of EVALUATION_BATCH (500). */
const ARENA_BYTES = 32 << 20;

export interface TrainingRun {
  name: string;
  /** Wall-clock seconds of the whole run, and of each epoch (its test evaluation included). */
  seconds: number;
  epochSeconds: number[];
  /** Processor seconds of the whole process during the run (a worker thread's included). */
  cpuSeconds: number;
  /** The 1-minute load average before and after the run. */
  load: [number, number];
  history: DigitsModule.DigitHistoryRow[];
}

export interface TrainingMeasurement {
  machine: string;
  seed: number;
  epochs: number;
  /** Lesson 14's engine first, then each fast path. */
  runs: TrainingRun[];
}

/** The runs' names, in order: what a training.json must hold. */
export const trainingRunNames = () => [ENGINE_RUN, ...TRAINED_PATHS.map((path) => `${rowName(path)}, PackedAdam`)];

/** One run of the recipe: `train` trains and returns the history, calling `epochDone` after every epoch. */
function timeRun(name: string, train: (epochDone: () => void) => DigitsModule.DigitHistoryRow[]): TrainingRun {
  console.log(`  ${name} ...`);
  const before = os.loadavg()[0];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const epochSeconds: number[] = [];
  let last = started;
  const history = train(() => {
    const now = performance.now();
    epochSeconds.push(round((now - last) / 1000));
    last = now;
  });
  const used = process.cpuUsage(cpu);
  const run: TrainingRun = {
    name,
    seconds: round((performance.now() - started) / 1000),
    epochSeconds,
    cpuSeconds: round((used.user + used.system) / 1e6),
    load: [round(before), round(os.loadavg()[0])],
    history,
  };
  const accuracy = history.at(-1)?.testAccuracy ?? Number.NaN;
  console.log(
    `    ${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(1)} s), test accuracy ${percent(accuracy)}`,
  );
  return run;
}

/** Trains the recipe on the engine, then on every path of TRAINED_PATHS, each on a compiled copy of its own. */
export async function measureTraining(targetFolder: string): Promise<TrainingMeasurement> {
  const { load } = copyOf(targetFolder, "train-engine");
  const mnist = (await load("mnist")) as typeof MnistModule;
  const data = mnist.splitDigits(loadMnist());
  const engine = (await load("digits")) as typeof DigitsModule;
  const [engineName, ...pathNames] = trainingRunNames();
  const runs = [timeRun(engineName, (onEpoch) => engine.trainRecipe(SEED, data, { onEpoch }).history)];
  const kernels = await compileKernels();
  for (const [i, path] of TRAINED_PATHS.entries()) {
    const copyLoad = copyOf(targetFolder, `train-path-${i}`).load;
    const copy = await courseCopy(copyLoad);
    const digits = (await copyLoad("digits")) as typeof DigitsModule;
    const { hidden, lr, batchSize } = digits.MNIST_RECIPE;
    const { arena, matmul, stepKernels, threads } = await pathMatmul(copy, path, kernels, ARENA_BYTES);
    try {
      const net = new copy.fastMlp.FastMlp({
        sizes: [mnist.PIXELS, hidden, mnist.CLASSES],
        batch: Math.max(batchSize, digits.EVALUATION_BATCH),
        kind: "float32",
        arena,
        matmul,
        kernels: stepKernels,
      });
      // The engine's start, rounded to float32.
      net.copyWeights(digits.recipeModel(SEED));
      const adam = new copy.fastMlp.PackedAdam(net.parameters(), net.grads(), { lr });
      runs.push(timeRun(pathNames[i], (onEpoch) => digits.trainByRecipe(net.asModel(), adam, SEED, data, { onEpoch })));
    } finally {
      await threads?.close();
    }
  }
  return {
    machine: `${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}`,
    seed: SEED,
    epochs: runs[0].history.length,
    runs,
  };
}

/** What is wrong with a committed measurement for the lesson as it is now: none when it names the runs it trains. */
export function trainingProblems(m: TrainingMeasurement, recipeEpochs: number): string[] {
  const names = m.runs.map((run) => run.name);
  const wanted = trainingRunNames();
  const problems: string[] = [];
  if (JSON.stringify(names) !== JSON.stringify(wanted)) {
    problems.push(`records the runs ${JSON.stringify(names)}, but the lesson trains ${JSON.stringify(wanted)}`);
  }
  if (m.seed !== SEED || m.epochs !== recipeEpochs || m.runs.some((run) => run.history.length !== recipeEpochs)) {
    problems.push(`records seed ${m.seed} and ${m.epochs} epochs, but the lesson trains seed ${SEED}, ${recipeEpochs}`);
  }
  return problems;
}

/**
 * Every run's losses and accuracies, as training.json writes them, to compare a fresh measurement with a committed
 * one (the times differ, these do not).
 */
export function accuracies(m: TrainingMeasurement): string {
  return resultsJson(m.runs.map((run) => [run.name, run.history]));
}

const percent = (x: number) => `${(100 * x).toFixed(2)} %`;

/** Each fast run against the engine: its speed-up (wall and CPU), and the largest gap between their test accuracies. */
export function againstEngine(m: TrainingMeasurement) {
  const [engine, ...fast] = m.runs;
  return fast.map((run) => ({
    run,
    speedUp: engine.seconds / run.seconds,
    cpuSpeedUp: engine.cpuSeconds / run.cpuSeconds,
    largestGap: Math.max(...run.history.map((row, i) => Math.abs(row.testAccuracy - engine.history[i].testAccuracy))),
  }));
}

/** Lesson 18's generated section on training. */
export function trainingMarkdown(m: TrainingMeasurement, codeFolder: string): string {
  const [engine] = m.runs;
  const compared = againstEngine(m);
  const best = compared.reduce((a, b) => (b.speedUp > a.speedUp ? b : a));
  const header = ["epoch", ...m.runs.map((run) => run.name)];
  const rows = engine.history.map((row, i) => [
    String(row.epoch),
    ...m.runs.map((run) => percent(run.history[i].testAccuracy)),
  ]);
  rows.push(["seconds (wall)", ...m.runs.map((run) => run.seconds.toFixed(1))]);
  rows.push(["seconds (CPU)", ...m.runs.map((run) => run.cpuSeconds.toFixed(1))]);
  const loads = m.runs.map((run) => `${run.load[0]} → ${run.load[1]}`).join(", ");
  return [
    generatedBy("npm run measure -- --lesson 18 --training", codeFolder),
    "",
    `**Measured** on ${m.machine}: lesson 17's recipe, seed ${m.seed}, ${m.epochs} epochs (its batches, shifts, Adam ` +
      "and schedule, its `trainDigits` loop and lesson 16's `crossEntropy`), on lesson 14's engine and on the SIMD " +
      "paths (`FastMlp.asModel()` and `PackedAdam`), one run after the other in one process. The table gives the test " +
      "accuracy after every epoch, then each run's time, its test evaluations included: wall-clock, and the processor " +
      `time of every thread of the process. Load averages before and after each run: ${loads}.`,
    "",
    markdownTable(header, rows),
    "",
    ...compared.map(
      ({ run, speedUp, cpuSpeedUp, largestGap }) =>
        `- **${run.name}**: ${speedUp.toFixed(1)}× faster than the engine by the clock (${cpuSpeedUp.toFixed(1)}× by ` +
        `processor time; the target is ${TRAINING_TARGET}×: ${speedUp >= TRAINING_TARGET ? "met" : "not met"}); ` +
        `its test accuracy after every epoch within ${(100 * largestGap).toFixed(2)} percentage points of the engine's, ` +
        `${percent(run.history[m.epochs - 1].testAccuracy)} at the end against ` +
        `${percent(engine.history[m.epochs - 1].testAccuracy)}.`,
    ),
    "",
    `The fastest, ${best.run.name}, trains lesson 17's network in ${best.run.seconds.toFixed(1)} s where lesson 14's ` +
      `engine takes ${engine.seconds.toFixed(1)} s.`,
  ].join("\n");
}
