/**
 * Lesson 18's measurements (`npm run measure -- --lesson 18`): the MNIST step on lesson 14's engine and on every path
 * of the lesson, side by side in this process (scripts/lib/mnist-step.ts), and the machine's SIMD peak
 * (scripts/lib/simd-peak.ts); then
 * the lesson's two figures and its generated section. The times belong to the machine and the moment, so `--check`
 * does not measure again: it checks that speed.json still describes the lesson's paths and work, and that the
 * figures and the section are what it gives.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { TopLevelSpec } from "vega-lite";
import type * as MnistModule from "../../solutions/mnist";
import type * as RandomModule from "../../solutions/random";
import { compileTarget } from "../lib/compile-target";
import { loadMnist } from "../lib/mnist";
import {
  courseCopy,
  engineRow,
  FLOPS_PER_EXAMPLE,
  MNIST_STEP,
  median,
  pathRows,
  startWeights,
  stepBatches,
  timeRounds,
} from "../lib/mnist-step";
import { coresPeak, PEAK_ONE, peakAll, peakRows } from "../lib/simd-peak";
import { ROOT } from "../lib/target";
import { compileKernels } from "../lib/wasm-kernels";
import { measureThreads, restMarkdown, type ThreadFigures, threadsMarkdown } from "./measure-threads";
import { CONFIG, round } from "./plots";
import { generatedBy, markdownTable } from "./report";

export interface SpeedRow {
  name: string;
  /** Lesson 18's step (0: lesson 14's engine, 5: the peak). */
  step: number;
  /** Median, fastest and slowest round, microseconds per example. */
  medianMicros: number;
  minMicros: number;
  maxMicros: number;
  /**
   * Processor time per example, every thread of the process, the mean of the rounds: on a busy machine the clock
   * also counts the time other programs held the cores, this does not (but it adds up both threads of a row).
   */
  cpuMicros: number;
}

export interface SpeedMeasurement {
  machine: string;
  /** The 1-minute load average before and after the runs: how busy the machine was. */
  load: [number, number];
  flopsPerExample: number;
  batch: number;
  /** Untimed epochs of every row, then timed ones. */
  warmup: number;
  rounds: number;
  /** The paths, then the two peak rows (the peak's arithmetic alone, as many operations as a step). */
  rows: SpeedRow[];
  /** The peak rows' medians as GFLOP/s: one core, and `threads` cores at once. */
  peak: { oneThread: number; allThreads: number; threads: number };
  /** What sharing costs and gains (measure-threads.ts), measured after the rows. */
  threads: ThreadFigures;
}

/**
 * A copy of the target's course code of its own, compiled under `.course/measure-build/speed/<name>/`: its folder, and
 * an import of its modules.
 */
export function copyOf(targetFolder: string, name: string) {
  const dir = compileTarget(targetFolder, path.join(ROOT, ".course", "measure-build", "speed", name));
  return { dir, load: (module: string) => import(pathToFileURL(path.join(dir, `${module}.mjs`)).href) };
}

/** Times lesson 14's engine, every path of the lesson and the peak side by side; closes the rows' threads. */
export async function measureSpeed(targetFolder: string, warmup = 2, rounds = 7): Promise<SpeedMeasurement> {
  const before = os.loadavg()[0];
  const kernels = await compileKernels();
  const cores = os.availableParallelism();
  const { load } = copyOf(targetFolder, "engine");
  const mnist = (await load("mnist")) as typeof MnistModule;
  const batches = stepBatches(mnist, mnist.splitDigits(loadMnist()).train);
  const start = startWeights((await load("random")) as typeof RandomModule);
  const rows = [
    engineRow(await courseCopy(load), batches, start),
    ...(await pathRows((name) => courseCopy(copyOf(targetFolder, name).load), kernels, batches, start)),
    ...peakRows(kernels, cores),
  ];
  try {
    const timed = await timeRounds(rows, { warmup, rounds });
    const gflopsOf = (name: string) =>
      FLOPS_PER_EXAMPLE / median(timed.find((t) => t.row.name === name)?.micros ?? []) / 1000;
    return {
      machine: `${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}`,
      load: [round(before), round(os.loadavg()[0])],
      flopsPerExample: FLOPS_PER_EXAMPLE,
      batch: MNIST_STEP.batchSize,
      warmup,
      rounds,
      rows: timed.map(({ row, micros, cpuMicros }) => ({
        name: row.name,
        step: row.step ?? 0,
        medianMicros: round(median(micros)),
        minMicros: round(Math.min(...micros)),
        maxMicros: round(Math.max(...micros)),
        cpuMicros: round(cpuMicros),
      })),
      peak: { oneThread: round(gflopsOf(PEAK_ONE)), allThreads: round(gflopsOf(peakAll(cores))), threads: cores },
      threads: await measureThreads((name) => courseCopy(copyOf(targetFolder, name).load), kernels, batches, start),
    };
  } finally {
    await Promise.all(rows.map((row) => row.close?.()));
  }
}

const gflops = (m: SpeedMeasurement, micros: number) => m.flopsPerExample / micros / 1000;
const STEP_NAMES = ["lesson 14", "step 1", "step 2", "step 3", "step 4", "the peak"];
const STEP_COLORS = ["#7f7f7f", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#222222"];
/** The rows that are paths through the step, not the peak. */
const paths = (m: SpeedMeasurement) => m.rows.filter((r) => r.step < 5);
/** Each bar in the color of its step of the lesson. */
const STEP_COLOR = {
  field: "stepName",
  type: "nominal",
  title: null,
  scale: { domain: STEP_NAMES, range: STEP_COLORS },
  legend: { orient: "bottom" },
} as const;
/** The paths' names are long: room for them beside the bars. */
const BAR_CONFIG = { ...CONFIG, axisY: { labelLimit: 320 } };

/** Microseconds per example of every path, slowest first, on a logarithmic scale (they span two orders). */
export function speedSpec(m: SpeedMeasurement): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `The MNIST step (784-128-10, batch of ${m.batch}): microseconds per example, median` },
    data: { values: m.rows.map((r) => ({ ...r, stepName: STEP_NAMES[r.step] })) },
    width: 420,
    height: { step: 22 },
    encoding: {
      y: { field: "name", type: "nominal", title: null, sort: m.rows.map((r) => r.name) },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "medianMicros",
            type: "quantitative",
            title: "µs per example (log scale)",
            scale: { type: "log", domainMin: 1 },
          },
          // A bar on a log scale needs a start above 0: 1 µs.
          x2: { datum: 1 },
          color: STEP_COLOR,
        },
      },
      {
        mark: { type: "rule", color: "#333" },
        encoding: { x: { field: "minMicros", type: "quantitative" }, x2: { field: "maxMicros" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: { x: { field: "maxMicros", type: "quantitative" }, text: { field: "medianMicros", format: ".3~r" } },
      },
    ],
    config: BAR_CONFIG,
  } as TopLevelSpec;
}

/** The roofline's roof: every path's GFLOP/s against the peak of one core and of all of them. */
export function rooflineSpec(m: SpeedMeasurement): TopLevelSpec {
  const values = paths(m).map((r) => ({
    name: r.name,
    stepName: STEP_NAMES[r.step],
    gflops: round(gflops(m, r.medianMicros)),
  }));
  const peaks = [
    { label: `peak, one core: ${m.peak.oneThread.toFixed(1)}`, gflops: m.peak.oneThread },
    { label: `peak, ${m.peak.threads} cores: ${m.peak.allThreads.toFixed(1)}`, gflops: m.peak.allThreads },
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "GFLOP/s of each path against the peak of the SIMD kernel with its data in the L1 cache" },
    width: 420,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: { type: "bar" },
        encoding: {
          y: { field: "name", type: "nominal", title: null, sort: m.rows.map((r) => r.name) },
          x: {
            field: "gflops",
            type: "quantitative",
            title: "GFLOP/s (billions of floating-point operations a second)",
          },
          color: STEP_COLOR,
        },
      },
      {
        data: { values: peaks },
        mark: { type: "rule", strokeDash: [4, 3], color: "#333" },
        encoding: { x: { field: "gflops", type: "quantitative" } },
      },
      {
        data: { values: peaks },
        mark: { type: "text", angle: 270, align: "right", baseline: "bottom", dx: -4, dy: -3, fontSize: 10, y: 0 },
        encoding: { x: { field: "gflops", type: "quantitative" }, text: { field: "label" } },
      },
    ],
    config: BAR_CONFIG,
  } as TopLevelSpec;
}

/** Lesson 18's generated section. */
export function speedMarkdown(m: SpeedMeasurement, codeFolder: string, figurePrefix: string): string {
  const engine = m.rows.find((r) => r.step === 0);
  const fastest = paths(m).reduce((best, r) => (r.medianMicros < best.medianMicros ? r : best));
  const rows = m.rows.map((r) => [
    ["–", "1", "2", "3", "4", "peak"][r.step],
    r.name,
    r.medianMicros.toFixed(1),
    `${r.minMicros.toFixed(1)} – ${r.maxMicros.toFixed(1)}`,
    r.cpuMicros.toFixed(1),
    engine ? `${(engine.medianMicros / r.medianMicros).toFixed(1)}×` : "",
    gflops(m, r.medianMicros).toFixed(2),
    `${((100 * gflops(m, r.medianMicros)) / coresPeak(m.peak)).toFixed(1)} %`,
  ]);
  const share = (100 * gflops(m, fastest.medianMicros)) / coresPeak(m.peak);
  const roof =
    coresPeak(m.peak) > m.peak.allThreads
      ? ` (of ${m.peak.threads} times one core's, ${coresPeak(m.peak).toFixed(1)} GFLOP/s: what ${m.peak.threads} free ` +
        "cores give, more than the cores gave at once here)"
      : "";
  const busy =
    Math.min(...m.load) > m.peak.threads
      ? ` The load stayed above ${m.peak.threads} throughout: other programs held the cores, so the peak of all cores ` +
        "(which needs every core at once) and the two-thread paths are below what this machine does when it is idle."
      : "";
  const [productsOnly, simd, simdThreads] = ["SIMD f32x4, products only", "SIMD f32x4", "SIMD f32x4, 2 threads"].map(
    (name) => m.rows.find((r) => r.name === name),
  );
  const restParagraph =
    productsOnly && simd
      ? ["", restMarkdown(m.threads, { productsOnly: productsOnly.medianMicros, kernels: simd.medianMicros })]
      : [];
  const threadsParagraph =
    simd && simdThreads
      ? ["", threadsMarkdown(m.threads, { one: simd.medianMicros, two: simdThreads.medianMicros })]
      : [];
  return [
    generatedBy("npm run measure -- --lesson 18", codeFolder),
    "",
    `**Measured** on ${m.machine}, load average ${m.load[0].toFixed(2)} before and ${m.load[1].toFixed(2)} after (the machine is shared: ` +
      `a load above its ${m.peak.threads} cores means other programs wanted them too). Every path did the same ` +
      `step, ${m.flopsPerExample.toLocaleString("en-US")} floating-point operations per example, round after ` +
      `round side by side in one process; each figure is the median of ${m.rounds} rounds, with the fastest and ` +
      "slowest round beside it, then the processor time per example of every thread of the process, which does not " +
      "count the time other programs held the cores. The times will differ on your machine; the ratios are what to " +
      "look at.",
    "",
    markdownTable(
      [
        "step",
        "path",
        "µs per example",
        "fastest – slowest",
        "CPU µs (all threads)",
        "faster than lesson 14",
        "GFLOP/s",
        "of the peak",
      ],
      rows,
    ),
    "",
    `**The peak** (the last two rows): \`kernels.wat\`'s \`peak\`, the kernel on a block that stays in the L1 cache, ` +
      `doing a step's worth of operations, timed in the same rounds as the paths: ${m.peak.oneThread.toFixed(1)} GFLOP/s on one core, ` +
      `${m.peak.allThreads.toFixed(1)} on ${m.peak.threads} at once. The fastest path, ${fastest.name}, reaches ` +
      `${gflops(m, fastest.medianMicros).toFixed(1)} GFLOP/s, ${share.toFixed(0)} % of the ${m.peak.threads} cores' ` +
      `peak${roof}.${busy}`,
    ...restParagraph,
    ...threadsParagraph,
    "",
    `![Microseconds per example of every path of the MNIST step, from lesson 14's engine to SIMD on two threads](${figurePrefix}speed.svg)`,
    "",
    `![The GFLOP/s of every path as bars, and the peak of one core and of ${m.peak.threads} cores as lines](${figurePrefix}roofline.svg)`,
  ].join("\n");
}
