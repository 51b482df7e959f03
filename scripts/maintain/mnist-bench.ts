/**
 * The MNIST step in `npm run bench`: one update of lesson 17's network, 784-128-10 with tanh, on a batch of 64 digits
 * (forward, lesson 16's mean cross-entropy, backward, and a plain SGD step, so that every row does the same arithmetic
 * and no optimizer's bookkeeping is timed), in microseconds per example. Rows side by side in one run: lesson 14's
 * tensor engine with lesson 16's loss, TensorFlow.js on its pure-JavaScript CPU backend and on its WebAssembly backend
 * (SIMD, one thread). Lesson 18 adds its own rows beside these (`MnistStepRow`).
 *
 * Every row starts from the same weights and trains on the same batches in the same order, so after the run they must
 * agree: TensorFlow.js computes in float32, so its weights are compared with the tensor engine's (float64) and the
 * largest difference reported, not required to vanish.
 */
import type { Digits } from "../../solutions/mnist";
import { median, timeEpoch } from "./bench-timing";
import { loadTfjs, TFJS_VERSION, type Tf } from "./tfjs-bench";

type MnistModule = typeof import("../../solutions/mnist");
type SoftmaxModule = typeof import("../../solutions/softmax");
type TensorNnModule = typeof import("../../solutions/tensor-nn");
type RandomModule = typeof import("../../solutions/random");
type TensorModule = typeof import("../../solutions/tensor");
/** One step's batch: 64 images of 784 pixels in [0, 1], row after row, and their labels. */
export type Batch = { x: Float64Array; labels: number[] };

export const MNIST_STEP = { sizes: [784, 128, 10], batchSize: 64, batches: 10, lr: 0.1 } as const;

/** A way of making the MNIST step, timed epoch by epoch (an epoch: MNIST_STEP.batches steps). */
export interface MnistStepRow {
  name: string;
  epoch(): void;
  /** Every weight and bias, layer by layer: W1 row after row, b1, W2, b2. */
  weights(): number[];
}

export interface MnistStepResult {
  name: string;
  medianMicros: number;
  minMicros: number;
  cpuMicros: number;
  /** Against the tensor engine's weights after the same steps. */
  maxWeightDifference: number;
}

export interface MnistStepReport {
  step: typeof MNIST_STEP;
  rows: MnistStepResult[];
  /** Why a row is missing. */
  notes: string[];
}

/** The batches every row trains on: the first 640 training digits, in order, as packed float rows. */
export function stepBatches(mnist: MnistModule, train: Digits): Batch[] {
  const { batchSize, batches } = MNIST_STEP;
  return Array.from({ length: batches }, (_, b) => {
    const { x, labels } = mnist.digitBatch(
      train,
      Array.from({ length: batchSize }, (_, i) => b * batchSize + i),
    );
    return { x: x.data, labels };
  });
}

/** The start every row copies: lesson 17's scaled start would do as well; what matters is that all share it. */
function startWeights(random: RandomModule): number[][] {
  const rng = new random.Random(17);
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const draw = (n: number, limit: number) => Array.from({ length: n }, () => rng.uniform(-limit, limit));
  return [draw(nin * hidden, 0.08), draw(hidden, 0), draw(hidden * nout, 0.2), draw(nout, 0)];
}

function tensorEngineRow(modules: MnistBenchModules, batches: Batch[], start: number[][]): MnistStepRow {
  const [nin, hidden, nout] = MNIST_STEP.sizes;
  const model = new modules.tensorNn.MLP(nin, [hidden, nout], { init: "zeros" });
  model.parameters().forEach((p, i) => {
    p.data.set(start[i]);
  });
  return {
    name: "tensor engine (lesson 14) + crossEntropy (lesson 16)",
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

/** The parts of TensorFlow.js the MNIST step uses, besides those of the bench network (tfjs-bench.ts). */
interface TfMnist extends Tf {
  tensor1d(values: Int32Array, dtype: "int32"): TfValue;
  oneHot(indices: TfValue, depth: number): TfValue;
  losses: { softmaxCrossEntropy(onehot: TfValue, logits: TfValue): TfValue };
}
type TfValue = ReturnType<Tf["tensor2d"]>;

/** The MNIST step in TensorFlow.js on the backend it is set to, float32, with its own SGD. */
function tfjsStepRow(tf: TfMnist, backend: string, batches: Batch[], start: number[][]): MnistStepRow {
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
    name: `TensorFlow.js ${TFJS_VERSION}, ${backend} backend`,
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
 * engine is timed (vectorized-bench.ts says why): `timeEngines()` first, then `timeTensorFlow()` (which loads it), then
 * `report()`. Each row runs `warmup` untimed epochs, then `epochs` timed ones.
 */
export function mnistStep(setup: {
  modules: MnistBenchModules;
  train: Digits;
  root: string;
  warmup: number;
  epochs: number;
  stubbedLesson: (message: string) => string | undefined;
  gc?: () => void;
}) {
  const { modules, warmup, epochs } = setup;
  const batches = stepBatches(modules.mnist, setup.train);
  const start = startWeights(modules.random);
  const examples = MNIST_STEP.batches * MNIST_STEP.batchSize;
  const notes: string[] = [];
  const timed: { row: MnistStepRow; micros: number[]; cpu: number }[] = [];
  const time = (row: MnistStepRow) => {
    setup.gc?.();
    const micros: number[] = [];
    let cpu = 0;
    for (let epoch = 0; epoch < warmup + epochs; epoch++) {
      const t = timeEpoch(() => row.epoch(), examples);
      if (epoch < warmup) continue;
      micros.push(t.wall);
      cpu += t.cpu / epochs;
    }
    timed.push({ row, micros, cpu });
  };
  return {
    /** What every row starts from and trains on, for rows made elsewhere (lesson 18's). */
    batches,
    start,
    /** Times one more row, made from `batches` and `start`, before TensorFlow.js is loaded. */
    time,
    /** The course's own row: lesson 14's engine with lesson 16's loss. */
    timeEngines(): void {
      try {
        time(tensorEngineRow(modules, batches, start));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const lesson = setup.stubbedLesson(message);
        notes.push(`MNIST step, tensor engine: skipped, ${lesson ? `${lesson} is not done in this target` : message}.`);
      }
    },
    /** TensorFlow.js on its CPU backend, then on its WebAssembly backend. */
    async timeTensorFlow(): Promise<void> {
      const loaded = await loadTfjs(setup.root);
      if ("skipped" in loaded) {
        notes.push(`MNIST step, TensorFlow.js: skipped, ${loaded.skipped}`);
        return;
      }
      const tf = loaded.tf as TfMnist;
      for (const backend of ["cpu", "wasm"]) {
        const started = await tf.setBackend(backend).catch(() => false);
        if (!started) {
          notes.push(`MNIST step, TensorFlow.js ${backend}: skipped, the backend did not start.`);
          continue;
        }
        await tf.ready();
        time(tfjsStepRow(tf, backend, batches, start));
      }
      await tf.setBackend("cpu");
    },
    report(): MnistStepReport {
      const reference = timed.find(({ row }) => row.name.startsWith("tensor engine"))?.row.weights();
      return {
        step: MNIST_STEP,
        notes,
        rows: timed.map(({ row, micros, cpu }) => {
          const weights = row.weights();
          return {
            name: row.name,
            medianMicros: median(micros),
            minMicros: Math.min(...micros),
            cpuMicros: cpu,
            maxWeightDifference: reference
              ? Math.max(...weights.map((w, i) => Math.abs(w - reference[i])))
              : Number.NaN,
          };
        }),
      };
    },
  };
}
