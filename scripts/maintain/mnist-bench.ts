/**
 * The MNIST step in `npm run bench`: one update of lesson 17's network on a batch of 64 digits, in microseconds per
 * example (scripts/lib/mnist-step.ts defines it). First lesson 14's tensor engine with lesson 16's loss, timed alone
 * before TensorFlow.js is loaded (vectorized-bench.ts says why: a graph engine collects garbage, and a large heap
 * slows that down). Then, side by side, one epoch of each row per round so that all see the machine in the same
 * state: every path of lesson 18 (each on a compiled copy of the target of its own), TensorFlow.js on its CPU
 * backend and on its WebAssembly backend (SIMD, one thread), and the machine's SIMD peak on one core and on all of
 * them (scripts/lib/simd-peak.ts). The ratios it reports are issue 26's targets: lesson 18's fastest path at least
 * 2× faster than TensorFlow.js's WebAssembly backend, and at least 25 % of the peak of all the cores (`coresPeak`: at
 * least the cores times one core's peak, whatever the load left of the peak measured on all of them).
 *
 * Every row starts from the same weights and trains on the same batches for the same number of epochs, so after the
 * run they must agree: the float32 rows (TensorFlow.js's, lesson 18's float32 paths) are compared with the tensor
 * engine's float64 weights and the largest difference reported, not required to vanish.
 */
import os from "node:os";
import type { Digits } from "../../solutions/mnist";
import {
  type Batch,
  courseCopy,
  engineRow,
  FLOPS_PER_EXAMPLE,
  MNIST_STEP,
  median,
  pathRows,
  type StepRow,
  startWeights,
  stepBatches,
  type TimedRow,
  timeRounds,
} from "../lib/mnist-step";
import { coresPeak, PEAK_ONE, peakAll, peakRows } from "../lib/simd-peak";
import { compileKernels } from "../lib/wasm-kernels";
import { loadCompiled } from "./load-compiled";
import { loadTfjs, TFJS_VERSION, type Tf } from "./tfjs-bench";

type MnistModule = typeof import("../../solutions/mnist");
type SoftmaxModule = typeof import("../../solutions/softmax");
type TensorNnModule = typeof import("../../solutions/tensor-nn");
type RandomModule = typeof import("../../solutions/random");
type TensorModule = typeof import("../../solutions/tensor");

/** Issue 26's targets: lesson 18's fastest path over TensorFlow.js wasm, and its share of the peak of all cores. */
export const SPEED_TARGETS = { vsTfjsWasm: 2, ofPeak: 0.25 };

export interface MnistStepResult {
  name: string;
  /** Timed alone (the tensor engine), or in the rounds side by side. */
  timed: "alone" | "side by side";
  medianMicros: number;
  minMicros: number;
  cpuMicros: number;
  gflops: number;
  /** Against the tensor engine's weights after the same steps (NaN for the peak, or without the engine). */
  maxWeightDifference: number;
}

export interface MnistStepReport {
  step: typeof MNIST_STEP;
  warmup: number;
  epochs: number;
  /** The 1-minute load average before and after the rounds side by side. */
  load: [number, number];
  rows: MnistStepResult[];
  /** GFLOP/s of the peak rows: one core, and `threads` cores at once. */
  peak?: { oneThread: number; allThreads: number; threads: number };
  /** Lesson 18's fastest path, and how it compares with the targets (medians). */
  fastest?: { name: string; vsTfjsWasm?: number; vsTfjsCpu?: number; ofPeak?: number };
  /** Why a row is missing. */
  notes: string[];
}

/** The parts of TensorFlow.js the MNIST step uses, besides those of the bench network (tfjs-bench.ts). */
interface TfMnist extends Tf {
  tensor1d(values: Int32Array, dtype: "int32"): TfValue;
  oneHot(indices: TfValue, depth: number): TfValue;
  losses: { softmaxCrossEntropy(onehot: TfValue, logits: TfValue): TfValue };
}
type TfValue = ReturnType<Tf["tensor2d"]>;

const tfjsName = (backend: string) => `TensorFlow.js ${TFJS_VERSION}, ${backend} backend`;

/**
 * The MNIST step in TensorFlow.js on `backend`, float32, with its own SGD. TensorFlow.js has one current backend:
 * the row switches to its own before each epoch, untimed, and its tensors stay on it.
 */
async function tfjsStepRow(tf: TfMnist, backend: string, batches: Batch[], start: number[][]): Promise<StepRow> {
  await tf.setBackend(backend);
  await tf.ready();
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const shapes: [number, number][] = [
    [nin, hidden],
    [1, hidden],
    [hidden, nout],
    [1, nout],
  ];
  const [w1, b1, w2, b2] = start.map((values, i) => tf.variable(tf.tensor2d(Float32Array.from(values), shapes[i])));
  const inputs = batches.map(({ x, labels }) => ({ x: Float32Array.from(x), labels: Int32Array.from(labels) }));
  const optimizer = tf.train.sgd(MNIST_STEP.lr);
  return {
    name: tfjsName(backend),
    before: async () => {
      await tf.setBackend(backend);
    },
    epoch() {
      for (const { x, labels } of inputs) {
        tf.tidy(() => {
          const input = tf.tensor2d(x, [labels.length, nin]);
          const onehot = tf.oneHot(tf.tensor1d(labels, "int32"), nout);
          optimizer.minimize(() =>
            tf.losses.softmaxCrossEntropy(onehot, input.matMul(w1).add(b1).tanh().matMul(w2).add(b2)),
          );
        });
      }
    },
    weights: () => [w1, b1, w2, b2].flatMap((v) => Array.from(v.dataSync())),
  };
}

export interface MnistBenchModules {
  mnist: MnistModule;
  random: RandomModule;
  softmax: SoftmaxModule;
  tensor: TensorModule;
  tensorNn: TensorNnModule;
}

/**
 * The MNIST step's timings, in two phases so that the caller can keep TensorFlow.js out of the heap while the course's
 * engine is timed: `timeEngine()` first, then `timeSideBySide()` (which loads TensorFlow.js), then `report()`. Every
 * row runs `warmup` untimed epochs, then `epochs` timed ones.
 */
export function mnistStep(setup: {
  modules: MnistBenchModules;
  train: Digits;
  /** The course root (where TensorFlow.js is installed) and the target's folder (compiled again for lesson 18). */
  root: string;
  folder: string;
  warmup: number;
  epochs: number;
  stubbedLesson: (message: string) => string | undefined;
  gc?: () => void;
}) {
  const { modules, warmup, epochs } = setup;
  const batches = stepBatches(modules.mnist, setup.train);
  const start = startWeights(modules.random);
  const notes: string[] = [];
  const results: { timed: TimedRow; alone: boolean }[] = [];
  let load: [number, number] = [Number.NaN, Number.NaN];
  const skipped = (what: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const lesson = setup.stubbedLesson(message);
    notes.push(`MNIST step, ${what}: skipped, ${lesson ? `${lesson} is not done in this target` : message}.`);
  };
  const lessonRows = async (): Promise<StepRow[]> => {
    try {
      const kernels = await compileKernels();
      const copy = async (name: string) => courseCopy(await loadCompiled(setup.folder, [], `mnist-step-${name}`));
      const paths = await pathRows(copy, kernels, batches, start);
      return [...paths, ...peakRows(kernels, os.availableParallelism())];
    } catch (error) {
      skipped("lesson 18's paths", error);
      return [];
    }
  };
  const tfjsRows = async (): Promise<StepRow[]> => {
    const loaded = await loadTfjs(setup.root);
    if ("skipped" in loaded) {
      notes.push(`MNIST step, TensorFlow.js: skipped, ${loaded.skipped}`);
      return [];
    }
    const tf = loaded.tf as TfMnist;
    const rows: StepRow[] = [];
    for (const backend of ["cpu", "wasm"]) {
      const row = await tfjsStepRow(tf, backend, batches, start).catch(() => undefined);
      if (row) rows.push(row);
      else notes.push(`MNIST step, TensorFlow.js ${backend}: skipped, the backend did not start.`);
    }
    return rows;
  };
  return {
    /** Lesson 14's engine with lesson 16's loss, alone, before TensorFlow.js is loaded. */
    async timeEngine(): Promise<void> {
      setup.gc?.();
      const rows = [engineRow(modules, batches, start)];
      const [timed] = await timeRounds(rows, { warmup, rounds: epochs, dropped: (row, e) => skipped(row.name, e) });
      if (timed) results.push({ timed, alone: true });
    },
    /** Lesson 18's paths, TensorFlow.js's two backends and the peak, side by side. */
    async timeSideBySide(): Promise<void> {
      const rows = [...(await lessonRows()), ...(await tfjsRows())];
      setup.gc?.();
      const before = os.loadavg()[0];
      try {
        const timed = await timeRounds(rows, { warmup, rounds: epochs, dropped: (row, e) => skipped(row.name, e) });
        results.push(...timed.map((t) => ({ timed: t, alone: false })));
      } finally {
        await Promise.all(rows.map((row) => row.close?.()));
      }
      load = [before, os.loadavg()[0]];
    },
    report(): MnistStepReport {
      const reference = results.find(({ timed }) => timed.row.step === 0)?.timed.row.weights?.();
      const rows = results.map(({ timed: { row, micros, cpuMicros }, alone }): MnistStepResult => {
        const weights = row.weights?.();
        return {
          name: row.name,
          timed: alone ? "alone" : "side by side",
          medianMicros: median(micros),
          minMicros: Math.min(...micros),
          cpuMicros,
          gflops: FLOPS_PER_EXAMPLE / median(micros) / 1000,
          maxWeightDifference:
            reference && weights ? Math.max(...weights.map((w, i) => Math.abs(w - reference[i]))) : Number.NaN,
        };
      });
      return { step: MNIST_STEP, warmup, epochs, load, rows, notes, ...targets(results, rows) };
    },
  };
}

/** The peak, lesson 18's fastest path, and its ratios to TensorFlow.js and to the peak, when those rows ran. */
function targets(results: { timed: TimedRow }[], rows: MnistStepResult[]): Partial<MnistStepReport> {
  const byName = (name: string) => rows.find((r) => r.name === name);
  const threads = os.availableParallelism();
  const [one, all] = [byName(PEAK_ONE), byName(peakAll(threads))];
  const peak = one && all ? { oneThread: one.gflops, allThreads: all.gflops, threads } : undefined;
  // Lesson 18's steps 1 to 4 (0 is the tensor engine, 5 the peak; TensorFlow.js's rows have none).
  const lesson18 = rows.filter((_, i) => [1, 2, 3, 4].includes(results[i].timed.row.step ?? -1));
  if (lesson18.length === 0) return { peak };
  const best = lesson18.reduce((a, b) => (b.medianMicros < a.medianMicros ? b : a));
  const over = (name: string) => {
    const other = byName(name);
    return other ? other.medianMicros / best.medianMicros : undefined;
  };
  return {
    peak,
    fastest: {
      name: best.name,
      vsTfjsWasm: over(tfjsName("wasm")),
      vsTfjsCpu: over(tfjsName("cpu")),
      ofPeak: peak ? best.gflops / coresPeak(peak) : undefined,
    },
  };
}
