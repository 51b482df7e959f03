/**
 * The MNIST step, the workload of lesson 18 and of the last part of `npm run bench`: one update of lesson 17's
 * network, 784-128-10 with tanh, on a batch of 64 digits (forward, lesson 16's mean cross-entropy, backward, and a
 * plain SGD step, so that every row does the same arithmetic and no optimizer's bookkeeping is timed). An epoch of
 * it is 10 steps, on the first 640 training digits in order; the figure is microseconds per example.
 *
 * The rows made here: lesson 14's tensor engine, and lesson 18's FastMlp on each of its paths (the three loops,
 * float32, two threads, SIMD on one and two threads). Shared by the lesson's measurements (`npm run measure --
 * --lesson 18`) and the bench, which adds TensorFlow.js's rows (scripts/maintain/mnist-bench.ts). Every row starts
 * from the same weights and trains on the same batches in the same order, so after the same number of epochs their
 * weights agree: exactly enough in float64, to float32's precision in float32.
 *
 * Each lesson 18 row runs on a copy of the course code of its own (compiled into a folder of its own), so that V8
 * compiles every loop for one kind of array only: one function fed Float64Arrays and Float32Arrays in turn is slower
 * for both.
 */
import type * as ArenaModule from "../../solutions/arena";
import type * as FastMlpModule from "../../solutions/fast-mlp";
import type * as LoopsModule from "../../solutions/matmul-loops";
import type * as ThreadsModule from "../../solutions/matmul-threads";
import type * as MnistModule from "../../solutions/mnist";
import type * as RandomModule from "../../solutions/random";
import type * as SimdModule from "../../solutions/simd-matmul";
import type * as SoftmaxModule from "../../solutions/softmax";
import type * as TensorModule from "../../solutions/tensor";
import type * as TensorNnModule from "../../solutions/tensor-nn";

export const MNIST_STEP = { sizes: [784, 128, 10], batchSize: 64, batches: 10, lr: 0.1 } as const;
/** Examples in one epoch of the step. */
export const EPOCH_EXAMPLES = MNIST_STEP.batchSize * MNIST_STEP.batches;

/** The multiply-adds of one step's five matrix products (the README of lesson 18 lists them), times 2. */
export const STEP_FLOPS = (() => {
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const b = MNIST_STEP.batchSize;
  return 2 * (b * nin * hidden + b * hidden * nout + hidden * b * nout + b * nout * hidden + nin * b * hidden);
})();
export const FLOPS_PER_EXAMPLE = STEP_FLOPS / MNIST_STEP.batchSize;

/** One step's batch: 64 images of 784 pixels in [0, 1], row after row, and their labels. */
export type Batch = { x: Float64Array; labels: number[] };

/** The batches every row trains on: the first 640 training digits, in order, as packed float rows. */
export function stepBatches(mnist: typeof MnistModule, train: MnistModule.Digits): Batch[] {
  const { batchSize, batches } = MNIST_STEP;
  return Array.from({ length: batches }, (_, b) => {
    const { x, labels } = mnist.digitBatch(
      train,
      Array.from({ length: batchSize }, (_, i) => b * batchSize + i),
    );
    return { x: x.data, labels };
  });
}

/** The start every row copies, [W1, b1, W2, b2]: what matters is that all share it. */
export function startWeights(random: typeof RandomModule): number[][] {
  const rng = new random.Random(17);
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const draw = (n: number, limit: number) => Array.from({ length: n }, () => rng.uniform(-limit, limit));
  return [draw(nin * hidden, 0.08), draw(hidden, 0), draw(hidden * nout, 0.2), draw(nout, 0)];
}

/** A way of making the MNIST step, timed epoch by epoch. */
export interface StepRow {
  name: string;
  /** Lesson 18's step the row belongs to, for the lesson's figures (0: lesson 14's engine, 5: the peak). */
  step?: number;
  /** One epoch: a step on each batch, in order. */
  epoch(): void;
  /** Every weight and bias, layer by layer: W1 row after row, b1, W2, b2 (none for the peak). */
  weights?(): number[];
  /** Untimed, before each of the row's epochs (TensorFlow.js switches to the row's backend there). */
  before?(): Promise<void>;
  /** Stops the row's threads. */
  close?(): Promise<void>;
}

export const ENGINE_ROW = "lesson 14's engine, float64";

/** The row of lesson 14's tensor engine: the graph of each batch, lesson 16's cross-entropy, backward, SGD. */
export function engineRow(
  modules: { tensor: typeof TensorModule; tensorNn: typeof TensorNnModule; softmax: typeof SoftmaxModule },
  batches: Batch[],
  start: number[][],
): StepRow {
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const model = new modules.tensorNn.MLP(nin, [hidden, nout], { init: "zeros" });
  model.parameters().forEach((p, i) => {
    p.data.set(start[i]);
  });
  return {
    name: ENGINE_ROW,
    step: 0,
    epoch() {
      for (const { x, labels } of batches) {
        const input = new modules.tensor.Tensor([labels.length, nin]);
        input.data.set(x);
        model.zeroGrad();
        modules.softmax.crossEntropy(model.forward(input), labels).backward();
        model.update(MNIST_STEP.lr);
      }
    },
    weights: () => model.parameters().flatMap((p) => Array.from(p.data)),
  };
}

/** The course modules a lesson 18 row needs, from one compiled copy of the target. */
export interface CourseCopy {
  arena: typeof ArenaModule;
  fastMlp: typeof FastMlpModule;
  loops: typeof LoopsModule;
  threads: typeof ThreadsModule;
  simd: typeof SimdModule;
  softmax: typeof SoftmaxModule;
  tensor: typeof TensorModule;
  tensorNn: typeof TensorNnModule;
}

const COPY_MODULES = {
  arena: "arena",
  fastMlp: "fast-mlp",
  loops: "matmul-loops",
  threads: "matmul-threads",
  simd: "simd-matmul",
  softmax: "softmax",
  tensor: "tensor",
  tensorNn: "tensor-nn",
} as const;

/** The modules of one compiled copy, from `load(module name)`. */
export async function courseCopy(load: (module: string) => Promise<unknown>): Promise<CourseCopy> {
  const entries = await Promise.all(Object.entries(COPY_MODULES).map(async ([key, name]) => [key, await load(name)]));
  return Object.fromEntries(entries) as CourseCopy;
}

/**
 * How a FastMlp row does its matrix products, and the rest of its work: the SIMD paths hand FastMlp the kernels of
 * kernels.wat for it, unless `productsOnly` (the rest in FastMlp's JavaScript, as the loops do: what they gain).
 */
export type FastPath =
  | { kind: "loops"; name: "matmulIJK" | "matmulIKJ" | "matmulBlocked"; float: "float64" | "float32"; threads: 1 | 2 }
  | { kind: "simd"; threads: 1 | 2; productsOnly?: boolean };

/** Lesson 18's paths, in the order of the lesson. */
export const LESSON_18_PATHS: FastPath[] = [
  { kind: "loops", name: "matmulIJK", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulIKJ", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float32", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float32", threads: 2 },
  { kind: "simd", threads: 1, productsOnly: true },
  { kind: "simd", threads: 1 },
  { kind: "simd", threads: 2 },
];

/**
 * The matrix product of `path`, the arena whose arrays it works on, the kernels of the rest of a FastMlp step (the
 * SIMD paths' own; none for the loops, whose FastMlp does that work in JavaScript), and its threads, to close.
 */
export async function pathMatmul(
  copy: CourseCopy,
  path: FastPath,
  kernels: WebAssembly.Module,
  bytes: number,
): Promise<{
  arena: ArenaModule.Arena;
  matmul: LoopsModule.Matmul;
  stepKernels?: FastMlpModule.StepKernels;
  threads?: ThreadsModule.MatmulThreads;
}> {
  let threads: ThreadsModule.MatmulThreads | undefined;
  if (path.kind === "simd") {
    const memory = copy.simd.simdMemory(bytes);
    const arena = copy.arena.Arena.of(memory);
    if (path.threads === 1) {
      const simd = new copy.simd.SimdMatmul(kernels, memory);
      return { arena, matmul: simd.matmul, stepKernels: path.productsOnly ? undefined : simd.stepKernels() };
    }
    threads = await copy.threads.MatmulThreads.start(arena, { kind: "simd", module: kernels, memory }, 2);
    return {
      arena,
      matmul: threads.matmul,
      stepKernels: path.productsOnly ? undefined : threads.stepKernels(),
      threads,
    };
  }
  if (path.threads === 1) return { arena: copy.arena.Arena.plain(bytes), matmul: copy.loops[path.name] };
  const arena = copy.arena.Arena.shared(bytes);
  threads = await copy.threads.MatmulThreads.start(arena, { kind: "loops", name: path.name }, 2);
  return { arena, matmul: threads.matmul, threads };
}

/** The kind of numbers a path computes in. */
export const pathFloat = (path: FastPath) => (path.kind === "simd" ? "float32" : path.float);

/**
 * A FastMlp row on `path`, from `start`, on `batches`; `wrap` may wrap its matrix products (to time them, say): `matmul`
 * and the SIMD paths' product with A transposed.
 */
export async function fastRow(
  copy: CourseCopy,
  path: FastPath,
  kernels: WebAssembly.Module,
  batches: Batch[],
  start: number[][],
  wrap: (matmul: LoopsModule.Matmul) => LoopsModule.Matmul = (matmul) => matmul,
): Promise<StepRow> {
  const { arena, matmul: product, stepKernels, threads } = await pathMatmul(copy, path, kernels, 16 << 20);
  const matmul = wrap(product);
  const { sizes, batchSize, lr } = MNIST_STEP;
  const float = pathFloat(path);
  const net = new copy.fastMlp.FastMlp({
    sizes,
    batch: batchSize,
    kind: float,
    arena,
    matmul,
    kernels: stepKernels && { ...stepKernels, matmulTransposedA: wrap(stepKernels.matmulTransposedA) },
  });
  net.copyWeights({
    layers: [
      { weight: { data: start[0] }, bias: { data: start[1] } },
      { weight: { data: start[2] }, bias: { data: start[3] } },
    ],
  });
  // In the row's own kind of numbers, as TensorFlow.js's rows hold theirs in float32: each step copies its batch in.
  const inputs = batches.map(({ x, labels }) => ({ x: float === "float32" ? Float32Array.from(x) : x, labels }));
  const params = net.parameters();
  return {
    name: rowName(path),
    step: stepOf(path),
    epoch() {
      for (const { x, labels } of inputs) {
        net.inputs(labels.length).set(x);
        net.step(labels.length, labels);
        net.update(lr);
      }
    },
    weights: () => params.flatMap((p) => Array.from(p)),
    close: async () => threads?.close(),
  };
}

export function rowName(path: FastPath): string {
  const on = path.threads === 2 ? ", 2 threads" : "";
  if (path.kind === "simd") return `SIMD f32x4${path.productsOnly ? ", products only" : ""}${on}`;
  const loop = { matmulIJK: "i, j, k", matmulIKJ: "i, k, j", matmulBlocked: "blocked" }[path.name];
  return `${loop}, ${path.float}${on}`;
}

function stepOf(path: FastPath): number {
  if (path.kind === "simd") return 4;
  if (path.threads === 2) return 3;
  return path.float === "float32" ? 2 : 1;
}

/** Every path of LESSON_18_PATHS as a row, each on the copy of the target that `copy(name)` makes for it. */
export async function pathRows(
  copy: (name: string) => Promise<CourseCopy>,
  kernels: WebAssembly.Module,
  batches: Batch[],
  start: number[][],
): Promise<StepRow[]> {
  const rows: StepRow[] = [];
  for (const [i, p] of LESSON_18_PATHS.entries()) {
    rows.push(await fastRow(await copy(`path-${i}`), p, kernels, batches, start));
  }
  return rows;
}

/** The names of the lesson's rows, in order: lesson 14's engine, then every path. */
export function lessonRowNames(): string[] {
  return [ENGINE_ROW, ...LESSON_18_PATHS.map(rowName)];
}

export interface TimedRow {
  row: StepRow;
  /** Wall-clock microseconds per example of each timed epoch. */
  micros: number[];
  /** CPU microseconds per example (every thread of the process), the mean of the timed epochs. */
  cpuMicros: number;
}

/**
 * Times `rows` side by side: round after round, one epoch of each row, so that a slow row and a fast one see the
 * machine in the same state; `warmup` untimed rounds first (for the JIT), then `rounds` timed ones. Every row runs
 * the same epochs, so their weights can be compared after. A row that throws in its first epoch is left out and
 * handed to `dropped` (without it, the error stops the timing).
 */
export async function timeRounds(
  rows: StepRow[],
  { warmup, rounds, dropped }: { warmup: number; rounds: number; dropped?: (row: StepRow, error: unknown) => void },
): Promise<TimedRow[]> {
  let timed: TimedRow[] = rows.map((row) => ({ row, micros: [], cpuMicros: 0 }));
  for (let round = 0; round < warmup + rounds; round++) {
    const failed = new Set<TimedRow>();
    for (const entry of timed) {
      await entry.row.before?.();
      const cpu = process.cpuUsage();
      const started = performance.now();
      try {
        entry.row.epoch();
      } catch (error) {
        if (round > 0 || !dropped) throw error;
        dropped(entry.row, error);
        failed.add(entry);
        continue;
      }
      if (round < warmup) continue;
      entry.micros.push(((performance.now() - started) * 1000) / EPOCH_EXAMPLES);
      const used = process.cpuUsage(cpu);
      entry.cpuMicros += (used.user + used.system) / EPOCH_EXAMPLES / rounds;
    }
    timed = timed.filter((entry) => !failed.has(entry));
  }
  return timed;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
