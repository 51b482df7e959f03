/**
 * The machine's peak for lesson 18's roofline, as two more rows to time beside the MNIST step's paths: the `peak`
 * function of lessons/lesson-18-speed/kernels.wat (the kernel's own block loop on one block whose numbers stay in the
 * L1 cache, 32,768 floating-point operations a round), run for as many operations as one epoch of the MNIST step
 * does, on one core, and shared between all cores at once (this thread and workers, started together, the row done
 * when the last is). Timed in the same rounds as the paths, the peak sees the machine in the same state they do: on a
 * busy machine the peak and the paths slow down together, and their ratio stays.
 *
 * (A loop of f32x4 multiplies and adds on registers alone was tried first: V8 compiles it to code slower than the
 * kernel itself, so it measured no peak.)
 */
import { Worker } from "node:worker_threads";
import { MNIST_STEP, STEP_FLOPS, type StepRow } from "./mnist-step";

const FLOPS_PER_ROUND = 2 * 4 * 8 * 512;
/** Each thread's block: A (4 × 512), B (512 × 8) and C (4 × 8) float32, in a region of its own (no cache line shared). */
const REGION = 32768;
/** Rounds of `peak` that do as many operations as one epoch of the MNIST step. */
const EPOCH_ROUNDS = Math.round((MNIST_STEP.batches * STEP_FLOPS) / FLOPS_PER_ROUND);

/** The rows' names, for the figures and the checks. */
export const PEAK_ONE = "the peak, one core";
export const peakAll = (threads: number) => `the peak, ${threads} cores`;

/**
 * The peak of all the cores that a path is judged against: the one measured on every core at once or, when other
 * programs kept that below `cores` times one core's (a busy machine), `cores` times one core's, what free cores give.
 */
export function coresPeak(peak: { oneThread: number; allThreads: number; threads: number }): number {
  return Math.max(peak.allThreads, peak.threads * peak.oneThread);
}

interface PeakExports {
  peak(rounds: number, a: number, b: number, c: number): void;
}

/**
 * A worker that instantiates the kernels, then, each time its flag goes up by one, runs `rounds` rounds of `peak` and
 * raises its done counter; a negative flag stops it.
 */
const WORKER = `
const { workerData } = require("node:worker_threads");
const { module, memory, flags, slot, rounds, region } = workerData;
const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const [a, b, c] = [region, region + 8192, region + 24576];
for (let go = 1; ; go++) {
  Atomics.wait(flags, slot, go - 1);
  if (Atomics.load(flags, slot) < 0) break;
  peak(rounds, a, b, c);
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
}`;

/** The two peak rows: one core, and `threads` cores at once (this thread and `threads − 1` workers). */
export function peakRows(module: WebAssembly.Module, threads: number): StepRow[] {
  const pages = Math.ceil((threads * REGION) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  // Numbers that neither overflow nor turn subnormal however often they are multiplied and added.
  new Float32Array(memory.buffer).fill(1 / 512);
  const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PeakExports;
  const run = (rounds: number) => peak(rounds, 0, 8192, 24576);
  // flags[0]: how many worker runs are done; flags[w]: worker w's go counter.
  const flags = new Int32Array(new SharedArrayBuffer(4 * threads));
  const share = Math.round(EPOCH_ROUNDS / threads);
  const workers = Array.from(
    { length: threads - 1 },
    (_, w) =>
      new Worker(WORKER, {
        eval: true,
        workerData: { module, memory, flags, slot: w + 1, rounds: share, region: (w + 1) * REGION },
      }),
  );
  let runs = 0;
  const one: StepRow = { name: PEAK_ONE, step: 5, epoch: () => run(EPOCH_ROUNDS) };
  const all: StepRow = {
    name: peakAll(threads),
    step: 5,
    epoch() {
      runs += 1;
      for (let w = 1; w < threads; w++) {
        Atomics.store(flags, w, runs);
        Atomics.notify(flags, w);
      }
      run(share);
      const done = runs * (threads - 1);
      for (let now = Atomics.load(flags, 0); now < done; now = Atomics.load(flags, 0)) Atomics.wait(flags, 0, now);
    },
    async close() {
      for (let w = 1; w < threads; w++) {
        Atomics.store(flags, w, -1);
        Atomics.notify(flags, w);
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
  return [one, all];
}
