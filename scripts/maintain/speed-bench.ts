/**
 * The bench's rows for lesson 18 (issue 26): the MNIST step (784-128-10, tanh, softmax cross-entropy, a batch of
 * 64) on lesson 14's engine and on every path of lesson 18, side by side in this process, each on a compiled copy
 * of the target of its own (scripts/lib/mnist-step.ts says why), and the machine's SIMD peak on one core and on
 * all of them, as two more rows timed in the same rounds (scripts/lib/simd-peak.ts). The ratios it prints are the issue's targets: the fastest path at least
 * 2× faster than TensorFlow.js's WebAssembly backend, and at least 25 % of the peak of the cores.
 */
import os from "node:os";
import { courseCopy, FLOPS_PER_EXAMPLE, lessonRows, median, type StepRow, timeSideBySide } from "../lib/mnist-step";
import { PEAK_ONE, peakAll, peakRows } from "../lib/simd-peak";
import { compileKernels } from "../lib/wasm-kernels";
import { loadCompiled } from "./load-compiled";

/** The issue's targets: the fastest path over TensorFlow.js wasm, and its share of the peak of all cores. */
export const SPEED_TARGETS = { vsTfjsWasm: 2, ofPeak: 0.25 };

export interface SpeedBenchRow {
  name: string;
  medianMicros: number;
  minMicros: number;
  gflops: number;
}

export interface SpeedBenchReport {
  load: [number, number];
  rows: SpeedBenchRow[];
  /** GFLOP/s of the peak rows: one core, and `threads` cores at once. */
  peak: { oneThread: number; allThreads: number; threads: number };
  fastest: string;
  /** The fastest path's GFLOP/s over the peak of all cores. */
  ofPeak: number;
}

/**
 * Times the lesson's rows, `others` (TensorFlow.js's, say: rows made by the caller) and the peak side by side.
 * Closes every row.
 */
export async function benchSpeed(folder: string, others: StepRow[] = [], rounds = 9): Promise<SpeedBenchReport> {
  const before = os.loadavg()[0];
  const kernels = await compileKernels();
  const ours = await lessonRows(async (copy) => courseCopy(await loadCompiled(folder, [], `speed-${copy}`)), kernels);
  const threads = os.availableParallelism();
  const rows = [...ours, ...others, ...peakRows(kernels, threads)];
  try {
    const timed = timeSideBySide(rows, { rounds });
    const report = timed.map(({ name, micros }) => ({
      name,
      medianMicros: median(micros),
      minMicros: Math.min(...micros),
      gflops: FLOPS_PER_EXAMPLE / median(micros) / 1000,
    }));
    const gflopsOf = (name: string) => report.find((r) => r.name === name)?.gflops ?? Number.NaN;
    const peak = { oneThread: gflopsOf(PEAK_ONE), allThreads: gflopsOf(peakAll(threads)), threads };
    const fastest = report
      .slice(0, ours.length)
      .reduce((best, row) => (row.medianMicros < best.medianMicros ? row : best));
    return {
      load: [before, os.loadavg()[0]],
      rows: report,
      peak,
      fastest: fastest.name,
      ofPeak: fastest.gflops / peak.allThreads,
    };
  } finally {
    await Promise.all(rows.map((row) => row.close()));
  }
}

/** The rows, the peak and the targets, as the bench prints them. */
export function speedLines(report: SpeedBenchReport, tfjsWasm?: string): string[] {
  const width = Math.max(...report.rows.map((r) => r.name.length));
  const fastest = report.rows.find((r) => r.name === report.fastest);
  const lines = [
    `\nthe MNIST step (784-128-10, tanh, softmax cross-entropy, batch of 64), side by side, load ${report.load
      .map((l) => l.toFixed(1))
      .join(" → ")}:`,
    `${"per example".padEnd(width)}   median        min   GFLOP/s`,
    ...report.rows.map(
      (r) =>
        `${r.name.padEnd(width)}   ${`${r.medianMicros.toFixed(1)} µs`.padStart(9)}   ${`${r.minMicros.toFixed(1)} µs`.padStart(9)}   ${r.gflops.toFixed(2).padStart(7)}`,
    ),
    `SIMD peak: ${report.peak.oneThread.toFixed(1)} GFLOP/s on one core, ${report.peak.allThreads.toFixed(1)} on ${report.peak.threads} at once`,
    `fastest path: ${report.fastest}, ${(100 * report.ofPeak).toFixed(0)} % of the peak of the ${report.peak.threads} cores ` +
      `(target ≥ ${100 * SPEED_TARGETS.ofPeak} %: ${report.ofPeak >= SPEED_TARGETS.ofPeak ? "met" : "not met"})`,
  ];
  if (Math.min(...report.load) > report.peak.threads) {
    lines.push(
      `(the load stayed above ${report.peak.threads}: other programs held the cores, so the peak of all cores, which ` +
        "needs every core at once, is not what this machine can do; compare on an idle machine)",
    );
  }
  const wasm = report.rows.find((r) => r.name === tfjsWasm);
  if (wasm && fastest) {
    const ratio = wasm.medianMicros / fastest.medianMicros;
    lines.push(
      `fastest path against ${wasm.name}: ${ratio.toFixed(1)}× faster (medians; target ≥ ${SPEED_TARGETS.vsTfjsWasm}×: ${ratio >= SPEED_TARGETS.vsTfjsWasm ? "met" : "not met"})`,
    );
  }
  return lines;
}
