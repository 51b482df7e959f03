/**
 * Lesson 18's paths through the MNIST step, as rows to time side by side: lesson 14's tensor engine, then lesson
 * 18's FastMlp on each of its matrix products (the three loops, float32, two threads, SIMD on one and two threads).
 * Shared by the lesson's measurements (`npm run measure -- --lesson 18`) and the bench (`npm run bench`).
 *
 * The step: a batch of 64 synthetic images of MNIST's shape (784 pixels in [0, 1)) through a 784-128-10 network,
 * tanh and softmax cross-entropy, forward, backward and a plain SGD update. Each row runs on a copy of the course
 * code of its own (compiled into a folder of its own), so that V8 compiles every loop for one kind of array only:
 * one function fed Float64Arrays and Float32Arrays in turn is slower for both.
 */
import type * as ArenaModule from "../../solutions/arena";
import type * as FastMlpModule from "../../solutions/fast-mlp";
import type * as LoopsModule from "../../solutions/matmul-loops";
import type * as ThreadsModule from "../../solutions/matmul-threads";
import type * as RandomModule from "../../solutions/random";
import type * as SimdModule from "../../solutions/simd-matmul";
import type * as SoftmaxModule from "../../solutions/softmax";
import type * as TensorModule from "../../solutions/tensor";
import type * as TensorNnModule from "../../solutions/tensor-nn";

export const MNIST_SIZES = [784, 128, 10] as const;
export const MNIST_BATCH = 64;
const LEARNING_RATE = 0.01;

/** The multiply-adds of one step's five matrix products (the README of lesson 18 lists them), times 2. */
export const STEP_FLOPS = (() => {
  const [nin, hidden, nout] = MNIST_SIZES;
  const b = MNIST_BATCH;
  return 2 * (b * nin * hidden + b * hidden * nout + hidden * b * nout + b * nout * hidden + nin * b * hidden);
})();
export const FLOPS_PER_EXAMPLE = STEP_FLOPS / MNIST_BATCH;

/** One way of doing the step, to time. */
export interface StepRow {
  name: string;
  /** Lesson 18's step it belongs to (0: lesson 14's engine, 5: the machine's peak), for the figures. */
  step: number;
  /** One training step on the batch. */
  run(): void;
  close(): Promise<void>;
}

/** The course modules a row needs, from one compiled copy of the target. */
export interface CourseCopy {
  arena: typeof ArenaModule;
  fastMlp: typeof FastMlpModule;
  loops: typeof LoopsModule;
  threads: typeof ThreadsModule;
  simd: typeof SimdModule;
  softmax: typeof SoftmaxModule;
  random: typeof RandomModule;
  tensor: typeof TensorModule;
  tensorNn: typeof TensorNnModule;
}

/** The modules of one compiled copy, from `load(module name)`. */
export async function courseCopy(load: (module: string) => Promise<unknown>): Promise<CourseCopy> {
  const names = ["arena", "fast-mlp", "matmul-loops", "matmul-threads", "simd-matmul", "softmax", "random", "tensor"];
  const [arena, fastMlp, loops, threads, simd, softmax, random, tensor, tensorNn] = await Promise.all(
    [...names, "tensor-nn"].map(load),
  );
  return { arena, fastMlp, loops, threads, simd, softmax, random, tensor, tensorNn } as CourseCopy;
}

/**
 * Every row of the lesson, in order: lesson 14's engine, then each path of LESSON_18_PATHS, each on the copy of the
 * target that `copy(name)` makes for it (a copy of its own per name).
 */
export async function lessonRows(
  copy: (name: string) => Promise<CourseCopy>,
  kernels: WebAssembly.Module,
): Promise<StepRow[]> {
  const rows = [engineRow(await copy("engine"))];
  for (const [i, p] of LESSON_18_PATHS.entries()) rows.push(await fastRow(await copy(`path-${i}`), p, kernels));
  return rows;
}

/** The batch every row trains on: seeded pixels and the labels 0 to 9 in turn. */
function syntheticBatch(random: typeof RandomModule): { pixels: number[][]; labels: number[] } {
  const rng = new random.Random(18);
  const pixels = Array.from({ length: MNIST_BATCH }, () => Array.from({ length: MNIST_SIZES[0] }, () => rng.uniform()));
  return { pixels, labels: pixels.map((_, r) => r % MNIST_SIZES[2]) };
}

/** Lesson 17's network, started as lesson 17 starts it (Xavier's uniform start, biases 0). */
function startedMlp(copy: CourseCopy) {
  const [nin, hidden, nout] = MNIST_SIZES;
  const mlp = new copy.tensorNn.MLP(nin, [hidden, nout], { rng: new copy.random.Random(17) });
  const rng = new copy.random.Random(17);
  for (const { weight, bias } of mlp.layers) {
    const limit = Math.sqrt(6 / (weight.rows + weight.cols));
    for (let i = 0; i < weight.size; i++) weight.data[i] = rng.uniform(-limit, limit);
    bias.data.fill(0);
  }
  return mlp;
}

const ENGINE_ROW = "lesson 14's engine, float64";

/** The row of lesson 14's engine: the graph of the batch, lesson 16's cross-entropy, backward, SGD. */
export function engineRow(copy: CourseCopy): StepRow {
  const { pixels, labels } = syntheticBatch(copy.random);
  const mlp = startedMlp(copy);
  const x = copy.tensor.Tensor.from(pixels);
  return {
    name: ENGINE_ROW,
    step: 0,
    run() {
      mlp.zeroGrad();
      copy.softmax.crossEntropy(mlp.forward(x), labels).backward();
      mlp.update(LEARNING_RATE);
    },
    close: async () => {},
  };
}

/** How a FastMlp row does its matrix products. */
export type FastPath =
  | { kind: "loops"; name: "matmulIJK" | "matmulIKJ" | "matmulBlocked"; float: "float64" | "float32"; threads: 1 | 2 }
  | { kind: "simd"; threads: 1 | 2 };

/** A FastMlp row on `path`, with its arena, threads or WebAssembly memory. */
export async function fastRow(copy: CourseCopy, path: FastPath, kernels: WebAssembly.Module): Promise<StepRow> {
  const bytes = 16 << 20;
  let arena: ArenaModule.Arena;
  let matmul: LoopsModule.Matmul;
  let threads: ThreadsModule.MatmulThreads | undefined;
  const float = path.kind === "simd" ? "float32" : path.float;
  if (path.kind === "simd") {
    const memory = copy.simd.simdMemory(bytes);
    arena = copy.arena.Arena.of(memory);
    if (path.threads === 2) {
      threads = await copy.threads.MatmulThreads.start(arena, { kind: "simd", module: kernels, memory }, 2);
      matmul = threads.matmul;
    } else matmul = new copy.simd.SimdMatmul(kernels, memory).matmul;
  } else if (path.threads === 2) {
    arena = copy.arena.Arena.shared(bytes);
    threads = await copy.threads.MatmulThreads.start(arena, { kind: "loops", name: path.name }, 2);
    matmul = threads.matmul;
  } else {
    arena = copy.arena.Arena.plain(bytes);
    matmul = copy.loops[path.name];
  }
  const net = new copy.fastMlp.FastMlp({ sizes: MNIST_SIZES, batch: MNIST_BATCH, kind: float, arena, matmul });
  net.copyWeights(startedMlp(copy));
  const { pixels, labels } = syntheticBatch(copy.random);
  pixels.forEach((row, r) => {
    net.input(r).set(row);
  });
  const params = net.parameters();
  const grads = net.grads();
  return {
    name: rowName(path),
    step: stepOf(path),
    run() {
      net.step(MNIST_BATCH, labels);
      for (let n = 0; n < params.length; n++) {
        const [p, g] = [params[n], grads[n]];
        for (let i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
      }
    },
    close: async () => threads?.close(),
  };
}

export function rowName(path: FastPath): string {
  const on = path.threads === 2 ? ", 2 threads" : "";
  if (path.kind === "simd") return `SIMD f32x4${on}`;
  const loop = { matmulIJK: "i, j, k", matmulIKJ: "i, k, j", matmulBlocked: "blocked" }[path.name];
  return `${loop}, ${path.float}${on}`;
}

function stepOf(path: FastPath): number {
  if (path.kind === "simd") return 4;
  if (path.threads === 2) return 3;
  return path.float === "float32" ? 2 : 1;
}

/** Lesson 18's paths, in the order of the lesson. */
export const LESSON_18_PATHS: FastPath[] = [
  { kind: "loops", name: "matmulIJK", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulIKJ", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float64", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float32", threads: 1 },
  { kind: "loops", name: "matmulBlocked", float: "float32", threads: 2 },
  { kind: "simd", threads: 1 },
  { kind: "simd", threads: 2 },
];

/** The names of the lesson's rows, in order: lesson 14's engine, then every path. */
export function lessonRowNames(): string[] {
  return [ENGINE_ROW, ...LESSON_18_PATHS.map(rowName)];
}

export interface TimedRow {
  name: string;
  step: number;
  /** Microseconds per example of each timed round. */
  micros: number[];
}

/**
 * Times `rows` side by side: round after round, every row runs as many steps as fill about `roundMs` (found from a
 * first untimed round), so that a slow row and a fast one see the machine in the same state. `warmup` untimed
 * rounds first (for the JIT), then `rounds` timed ones.
 */
export function timeSideBySide(rows: StepRow[], { rounds = 9, warmup = 2, roundMs = 60 } = {}): TimedRow[] {
  const steps = rows.map((row) => {
    const started = performance.now();
    row.run();
    return Math.max(1, Math.round(roundMs / Math.max(0.01, performance.now() - started)));
  });
  const timed: TimedRow[] = rows.map(({ name, step }) => ({ name, step, micros: [] }));
  for (let round = 0; round < warmup + rounds; round++) {
    rows.forEach((row, r) => {
      const started = performance.now();
      for (let s = 0; s < steps[r]; s++) row.run();
      const micros = ((performance.now() - started) * 1000) / (steps[r] * MNIST_BATCH);
      if (round >= warmup) timed[r].micros.push(micros);
    });
  }
  return timed;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
