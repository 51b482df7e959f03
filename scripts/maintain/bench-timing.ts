/**
 * What every row of `npm run bench` is timed and judged with: one epoch's wall-clock and CPU time per example,
 * the median of a row's epochs, and the share of examples it classifies right.
 */

/** Runs one epoch; returns its wall-clock and CPU microseconds per example. */
export function timeEpoch(epoch: () => void, examples: number): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  epoch();
  const wall = Number(process.hrtime.bigint() - start) / 1000 / examples;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / examples };
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The share of examples whose output has the sign of the target (-1 or +1). */
export function signAccuracy(outputs: number[], ys: number[]): number {
  return outputs.filter((out, n) => out > 0 === ys[n] > 0).length / ys.length;
}
