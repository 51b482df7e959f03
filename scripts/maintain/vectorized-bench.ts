/**
 * The bench's rows for issue 17: lesson 14's tensor engine on mini-batches of 32 against the hand-fused
 * per-example loop and TensorFlow.js, on the bench network and data, from the scalar engine's initial weights.
 *
 * They run after bench.ts's own loop (whose engine and baseline they leave untouched), in two parts, each batched
 * row in a loop of its own that alternates it epoch by epoch with a fresh copy of the hand-fused loop, after a
 * garbage collection: first the tensor engine, then TensorFlow.js, loaded only then, because its library and
 * tensors in the heap slow down whatever runs beside them. Before each loop the batched row runs 100 epochs on a
 * throwaway copy: an epoch of batches is only 4 updates, and 20 of them would time the JIT compiler still at work.
 * TensorFlow.js per example takes a hundred times longer per epoch, so it is timed on its own afterwards.
 *
 * The ratios: the tensor engine over the copy of the baseline beside it; TensorFlow.js over the tensor engine,
 * directly and through the baseline (each row over the copy timed beside it), which cancels the heap's effect.
 *
 * The checks: the tensor engine must end with the weights of the scalar engine trained on the same batches with
 * lesson 12's loop (to 1e-9), or the rows compare different work. TensorFlow.js computes in float32, so its
 * weights are only reported against the scalar engine's.
 */
import type { Dataset } from "../../solutions/data";
import { median, signAccuracy, timeEpoch } from "./bench-timing";
import { FusedMlp } from "./fused-mlp";
import { type BenchRow, scalarInBatches, tensorRow } from "./tensor-bench";
import { loadTfjs, TFJS_VERSION, tfjsRow } from "./tfjs-bench";

type BatchesModule = typeof import("../../solutions/batches");
type NnModule = typeof import("../../solutions/nn");
type TensorNnModule = typeof import("../../solutions/tensor-nn");

export const TENSOR_BATCH = 32;
/** Epochs each batched row first runs on a throwaway copy, for the JIT. */
const JIT_WARMUP = 100;

export interface VectorizedRow {
  name: string;
  medianMicros: number;
  minMicros: number;
  cpuMicros: number;
  accuracy: number;
  /** Against the scalar engine after the same updates: lesson 12's loop for batches, per example for per example. */
  maxWeightDifference: number;
}

export interface VectorizedReport {
  batchSize: number;
  tfjsVersion: string;
  rows: VectorizedRow[];
  /** Why a row is missing (lesson 14 not done in the target, TensorFlow.js not installable). */
  notes: string[];
  /** Medians: the tensor engine over the hand-fused loop timed beside it, TensorFlow.js over the tensor engine. */
  tensorVsFused: number | null;
  tfjsVsTensor: number | null;
  /** TensorFlow.js over the tensor engine, each first divided by the copy of the hand-fused loop timed beside it. */
  tfjsVsTensorThroughBaseline: number | null;
  tensorSameNetwork: boolean | null;
}

export interface VectorizedSetup {
  modules: { nn: NnModule; batches: BatchesModule; tensorNn: TensorNnModule };
  stubbedLesson: (message: string) => string | undefined;
  root: string;
  sizes: number[];
  data: Dataset;
  lr: number;
  /** The scalar engine's initial weights, in the order of ANN.parameters(). */
  initial: number[];
  warmup: number;
  epochs: number;
  /** The weights of bench.ts's scalar engine after its per-example run, and how many epochs it trained. */
  perExample: { weights: number[]; epochs: number };
  gc?: () => void;
}

/** A row's timed epochs: wall-clock microseconds per example of each, and the mean CPU microseconds. */
interface TimedRow {
  row: BenchRow;
  micros: number[];
  cpu: number;
}

/** Times `rows` alternately, epoch by epoch: `warmup` untimed epochs, then `epochs` timed ones. */
function alternate(rows: BenchRow[], examples: number, warmup: number, epochs: number): TimedRow[] {
  const timed: TimedRow[] = rows.map((row) => ({ row, micros: [], cpu: 0 }));
  for (let epoch = 0; epoch < warmup + epochs; epoch++) {
    for (const t of timed) {
      const time = timeEpoch(() => t.row.epoch(), examples);
      if (epoch >= warmup) {
        t.micros.push(time.wall);
        t.cpu += time.cpu / epochs;
      }
    }
  }
  return timed;
}

/** A fresh copy of the hand-fused per-example loop, as a row to time beside a batched one. */
function fusedRow(setup: VectorizedSetup, beside: string): BenchRow {
  const { sizes, data, lr, initial } = setup;
  const fused = new FusedMlp(sizes, initial);
  return {
    name: `hand-fused baseline, beside ${beside}`,
    epoch() {
      for (let n = 0; n < data.x.length; n++) fused.trainExample(data.x[n], data.y[n], lr);
    },
    outputs: (xs) => xs.map((x) => fused.predict(x)),
    weights: () => fused.parameters(),
  };
}

/**
 * Times `make()`'s row side by side with a fresh copy of the hand-fused loop: JIT_WARMUP epochs on a throwaway
 * copy first, then a collection, then `warmup` + `epochs` alternating epochs.
 */
function besideBaseline(setup: VectorizedSetup, make: () => BenchRow, beside: string) {
  const throwaway = make();
  for (let epoch = 0; epoch < JIT_WARMUP; epoch++) throwaway.epoch();
  const baseline = fusedRow(setup, beside);
  const row = make();
  setup.gc?.();
  const [fused, timed] = alternate([baseline, row], setup.data.x.length, setup.warmup, setup.epochs);
  return { fused, timed };
}

export async function benchVectorized(setup: VectorizedSetup): Promise<VectorizedReport> {
  const { modules, sizes, data, lr, initial, warmup, epochs } = setup;
  const examples = data.x.length;
  const notes: string[] = [];
  const batched = { lr, initial, batchSize: TENSOR_BATCH };
  const timedRows: ReturnType<typeof alternate> = [];

  // First the tensor engine, before TensorFlow.js is loaded: with its library and its tensors in the heap, every
  // collection has more to do, and the same loops run 20 to 50 % slower (docs/bench.md has the numbers).
  const makeTensor = () => tensorRow(modules.tensorNn, modules.batches, sizes, data, batched);
  let tensorTimes: TimedRow | undefined;
  let fusedBesideTensor: TimedRow | undefined;
  try {
    makeTensor().outputs(data.x);
    const side = besideBaseline(setup, makeTensor, "the tensor engine");
    [fusedBesideTensor, tensorTimes] = [side.fused, side.timed];
    timedRows.push(side.fused, side.timed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push(
      `tensor engine: skipped, ${setup.stubbedLesson(message) ? "lesson 14 is not done in this target" : message}.`,
    );
  }

  // Then TensorFlow.js in batches, beside a copy of its own, and per example alone, as many epochs as bench.ts's
  // scalar engine trained (a hundred times slower per epoch).
  const tfjs = await loadTfjs(setup.root);
  let tfjsTimes: TimedRow | undefined;
  let fusedBesideTfjs: TimedRow | undefined;
  let tfjsPerExample: BenchRow | undefined;
  if ("skipped" in tfjs) notes.push(`TensorFlow.js: skipped, ${tfjs.skipped}`);
  else {
    const side = besideBaseline(setup, () => tfjsRow(tfjs.tf, sizes, data, batched), "TensorFlow.js");
    [fusedBesideTfjs, tfjsTimes] = [side.fused, side.timed];
    tfjsPerExample = tfjsRow(tfjs.tf, sizes, data, { lr, initial, batchSize: 1 });
    timedRows.push(
      side.fused,
      side.timed,
      ...alternate([tfjsPerExample], examples, setup.perExample.epochs - epochs, epochs),
    );
  }

  const inBatches = scalarInBatches(modules.nn, modules.batches, sizes, data, {
    ...batched,
    epochs: warmup + epochs,
  });
  const rows: VectorizedRow[] = timedRows.map(({ row, micros, cpu }) => {
    const isBaseline = row.name.startsWith("hand-fused");
    const reference = row === tfjsPerExample ? setup.perExample.weights : inBatches;
    const weights = row.weights();
    return {
      name: row.name,
      medianMicros: median(micros),
      minMicros: Math.min(...micros),
      cpuMicros: cpu,
      accuracy: signAccuracy(row.outputs(data.x), data.y),
      // A baseline beside a batched row trained fewer epochs than the scalar engine: nothing to compare.
      maxWeightDifference: isBaseline ? Number.NaN : Math.max(...weights.map((w, i) => Math.abs(w - reference[i]))),
    };
  });
  const medianOf = (timed: TimedRow | undefined) => (timed ? median(timed.micros) : undefined);
  const [tensor, fused1, tfjsBatched, fused2] = [tensorTimes, fusedBesideTensor, tfjsTimes, fusedBesideTfjs].map(
    medianOf,
  );
  const tensorRowReport = rows.find((row) => row.name === tensorTimes?.row.name);
  return {
    batchSize: TENSOR_BATCH,
    tfjsVersion: TFJS_VERSION,
    rows,
    notes,
    tensorVsFused: tensor && fused1 ? tensor / fused1 : null,
    tfjsVsTensor: tfjsBatched && tensor ? tfjsBatched / tensor : null,
    tfjsVsTensorThroughBaseline:
      tfjsBatched && fused2 && tensor && fused1 ? tfjsBatched / fused2 / (tensor / fused1) : null,
    tensorSameNetwork: tensorRowReport ? tensorRowReport.maxWeightDifference < 1e-9 : null,
  };
}
