/**
 * The bench's rows for issue 17: lesson 14's tensor engine on mini-batches of 32 against the hand-fused
 * per-example loop and TensorFlow.js, on the bench network and data, from the scalar engine's initial weights.
 *
 * They run after bench.ts's own loop (whose engine and baseline they leave untouched), after a garbage collection,
 * in a loop of their own that alternates the hand-fused loop, the tensor engine and TensorFlow.js in batches epoch
 * by epoch, so that the ratios compare rows measured side by side. Before it, each batched row runs 100 epochs on a
 * throwaway copy: an epoch of batches is only 4 updates, and 20 of them would time the JIT compiler still at work.
 * TensorFlow.js per example takes a hundred times longer per epoch, so it is timed on its own afterwards.
 *
 * The checks: the tensor engine must end with the weights of the scalar engine trained on the same batches with
 * lesson 12's loop (to 1e-9), or the rows compare different work. TensorFlow.js computes in float32, so its
 * weights are only reported against the scalar engine's.
 */
import type { Dataset } from "../../solutions/data";
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

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One epoch of `row`, in wall-clock and CPU microseconds per example. */
function timeEpoch(row: BenchRow, examples: number): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  row.epoch();
  const wall = Number(process.hrtime.bigint() - start) / 1000 / examples;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / examples };
}

/** The share of examples whose output has the sign of the target (-1 or +1). */
function accuracy(outputs: number[], ys: number[]): number {
  return outputs.filter((out, n) => out > 0 === ys[n] > 0).length / ys.length;
}

/** Times `rows` alternately, epoch by epoch: `warmup` untimed epochs, then `epochs` timed ones. */
function alternate(rows: BenchRow[], examples: number, warmup: number, epochs: number) {
  const timed = rows.map((row) => ({ row, micros: [] as number[], cpu: 0 }));
  for (let epoch = 0; epoch < warmup + epochs; epoch++) {
    for (const t of timed) {
      const time = timeEpoch(t.row, examples);
      if (epoch >= warmup) {
        t.micros.push(time.wall);
        t.cpu += time.cpu / epochs;
      }
    }
  }
  return timed;
}

export async function benchVectorized(setup: VectorizedSetup): Promise<VectorizedReport> {
  const { modules, sizes, data, lr, initial, warmup, epochs } = setup;
  const examples = data.x.length;
  const notes: string[] = [];
  const batched = { lr, initial, batchSize: TENSOR_BATCH };

  const fused = new FusedMlp(sizes, initial);
  const fusedRow: BenchRow = {
    name: "hand-fused baseline, beside the batched rows",
    epoch() {
      for (let n = 0; n < examples; n++) fused.trainExample(data.x[n], data.y[n], lr);
    },
    outputs: (xs) => xs.map((x) => fused.predict(x)),
    weights: () => fused.parameters(),
  };

  const makeTensor = () => tensorRow(modules.tensorNn, modules.batches, sizes, data, batched);
  let tensor: BenchRow | undefined;
  try {
    makeTensor().outputs(data.x);
    tensor = makeTensor();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push(
      `tensor engine: skipped, ${setup.stubbedLesson(message) ? "lesson 14 is not done in this target" : message}.`,
    );
  }
  const tfjs = await loadTfjs(setup.root);
  if ("skipped" in tfjs) notes.push(`TensorFlow.js: skipped, ${tfjs.skipped}`);
  const tfjsBatched = "tf" in tfjs ? tfjsRow(tfjs.tf, sizes, data, batched) : undefined;

  // The JIT's warm-up, on throwaway copies; then the timed rows side by side, from a collected heap.
  const throwaways: (() => BenchRow)[] = [];
  if (tensor) throwaways.push(makeTensor);
  if ("tf" in tfjs) throwaways.push(() => tfjsRow(tfjs.tf, sizes, data, batched));
  for (const make of throwaways) {
    const copy = make();
    for (let epoch = 0; epoch < JIT_WARMUP; epoch++) copy.epoch();
  }
  setup.gc?.();
  const side = alternate(
    [fusedRow, tensor, tfjsBatched].filter((row): row is BenchRow => row !== undefined),
    examples,
    warmup,
    epochs,
  );
  // TensorFlow.js per example, alone, for as many epochs as bench.ts's scalar engine trained.
  const tfjsPerExample = "tf" in tfjs ? tfjsRow(tfjs.tf, sizes, data, { lr, initial, batchSize: 1 }) : undefined;
  const alone = tfjsPerExample ? alternate([tfjsPerExample], examples, setup.perExample.epochs - epochs, epochs) : [];

  const inBatches = scalarInBatches(modules.nn, modules.batches, sizes, data, {
    ...batched,
    epochs: warmup + epochs,
  });
  const rows: VectorizedRow[] = [...side, ...alone].map(({ row, micros, cpu }) => {
    const reference = row === tfjsPerExample || row === fusedRow ? setup.perExample.weights : inBatches;
    const weights = row.weights();
    return {
      name: row.name,
      medianMicros: median(micros),
      minMicros: Math.min(...micros),
      cpuMicros: cpu,
      accuracy: accuracy(row.outputs(data.x), data.y),
      // The baseline beside the batched rows trained fewer epochs than the scalar engine: nothing to compare.
      maxWeightDifference:
        row === fusedRow ? Number.NaN : Math.max(...weights.map((w, i) => Math.abs(w - reference[i]))),
    };
  });
  const find = (r: BenchRow | undefined) => rows.find((row) => row.name === r?.name);
  const [fusedTimes, tensorTimes, tfjsTimes] = [find(fusedRow), find(tensor), find(tfjsBatched)];
  return {
    batchSize: TENSOR_BATCH,
    tfjsVersion: TFJS_VERSION,
    rows,
    notes,
    tensorVsFused: tensorTimes && fusedTimes ? tensorTimes.medianMicros / fusedTimes.medianMicros : null,
    tfjsVsTensor: tensorTimes && tfjsTimes ? tfjsTimes.medianMicros / tensorTimes.medianMicros : null,
    tensorSameNetwork: tensorTimes ? tensorTimes.maxWeightDifference < 1e-9 : null,
  };
}
