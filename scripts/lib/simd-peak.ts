/**
 * The machine's peak for lesson 18's roofline, as two more rows to time beside the MNIST step's paths: the `peak`
 * function of lessons/lesson-18-speed/kernels.wat (64 floating-point operations a round, f32x4 multiplies and adds
 * on numbers already in registers), run for as many operations as one MNIST step does, on one core, and shared
 * between all cores at once (this thread and workers, started together, the row done when the last is). Timed in
 * the same rounds as the paths, the peak sees the machine in the same state they do: on a busy machine the peak
 * and the paths slow down together, and their ratio stays.
 */
import { Worker } from "node:worker_threads";
import { STEP_FLOPS, type StepRow } from "./mnist-step";

const FLOPS_PER_ROUND = 64;
/** Rounds of `peak` that do as many operations as one MNIST step. */
const STEP_ROUNDS = Math.round(STEP_FLOPS / FLOPS_PER_ROUND);

/** The rows' names, for the figures and the checks. */
export const PEAK_ONE = "the peak, one core";
export const peakAll = (threads: number) => `the peak, ${threads} cores`;

interface PeakExports {
  peak(rounds: number, start: number): number;
}

/**
 * A worker that instantiates the kernels, then, each time its flag goes up by one, runs `rounds` rounds of `peak` and
 * raises its done counter; a negative flag stops it.
 */
const WORKER = `
const { workerData } = require("node:worker_threads");
const { module, memory, flags, slot, rounds } = workerData;
const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports;
for (let go = 1; ; go++) {
  Atomics.wait(flags, slot, go - 1);
  if (Atomics.load(flags, slot) < 0) break;
  peak(rounds, 1);
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
}`;

/** The two peak rows: one core, and `threads` cores at once (this thread and `threads − 1` workers). */
export function peakRows(module: WebAssembly.Module, threads: number): StepRow[] {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PeakExports;
  // flags[0]: how many worker runs are done; flags[w]: worker w's go counter.
  const flags = new Int32Array(new SharedArrayBuffer(4 * threads));
  const share = Math.round(STEP_ROUNDS / threads);
  const workers = Array.from(
    { length: threads - 1 },
    (_, w) => new Worker(WORKER, { eval: true, workerData: { module, memory, flags, slot: w + 1, rounds: share } }),
  );
  let runs = 0;
  const one: StepRow = { name: PEAK_ONE, step: 5, run: () => void peak(STEP_ROUNDS, 1), close: async () => {} };
  const all: StepRow = {
    name: peakAll(threads),
    step: 5,
    run() {
      runs += 1;
      for (let w = 1; w < threads; w++) {
        Atomics.store(flags, w, runs);
        Atomics.notify(flags, w);
      }
      peak(share, 1);
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
