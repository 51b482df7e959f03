/**
 * The machine's peak for lesson 18's roofline: the `peak` function of lessons/lesson-18-speed/kernels.wat (64
 * floating-point operations a round, f32x4 multiplies and adds on numbers already in registers) on one thread, and
 * on `threads` threads at once, started together. GFLOP/s, the best of `tries` tries each (a peak is what the
 * machine can do, so a try slowed down by another program does not count against it).
 */
import { Worker } from "node:worker_threads";

const FLOPS_PER_ROUND = 64;
/** About 0.1 s a try on this course's machine. */
const ROUNDS = 40_000_000;

interface PeakExports {
  peak(rounds: number, start: number): number;
}

/** A worker that instantiates the kernels, then runs `peak` each time the shared flag is raised, and says how long it took. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { module, memory, flag, rounds } = workerData;
const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports;
peak(1000, 1);
parentPort.postMessage("ready");
for (let go = 1; ; go++) {
  Atomics.wait(flag, 0, go - 1);
  if (Atomics.load(flag, 0) < 0) break;
  peak(rounds, 1);
  parentPort.postMessage("done");
}`;

export interface Peak {
  /** GFLOP/s of one thread alone. */
  oneThread: number;
  /** GFLOP/s of `threads` threads at once: all their operations over the time from the start to the last one done. */
  allThreads: number;
  threads: number;
}

export async function measurePeak(module: WebAssembly.Module, threads = 2, tries = 5): Promise<Peak> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PeakExports;
  const gflops = (ms: number) => (FLOPS_PER_ROUND * ROUNDS) / (ms * 1e6);
  const timeOne = () => {
    const started = performance.now();
    peak(ROUNDS, 1);
    return performance.now() - started;
  };
  peak(1000, 1);
  const oneThread = Math.max(...Array.from({ length: tries }, () => gflops(timeOne())));

  const flag = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: threads - 1 },
    () => new Worker(WORKER, { eval: true, workerData: { module, memory, flag, rounds: ROUNDS } }),
  );
  const next = (worker: Worker) => new Promise<unknown>((resolve) => worker.once("message", resolve));
  await Promise.all(workers.map(next));
  let allThreads = 0;
  for (let go = 1; go <= tries; go++) {
    const answers = workers.map(next);
    const started = performance.now();
    Atomics.store(flag, 0, go);
    Atomics.notify(flag, 0);
    timeOne();
    await Promise.all(answers);
    allThreads = Math.max(allThreads, threads * gflops(performance.now() - started));
  }
  Atomics.store(flag, 0, -1);
  Atomics.notify(flag, 0);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return { oneThread, allThreads, threads };
}
