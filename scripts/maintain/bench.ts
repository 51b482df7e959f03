/**
 * `npm run bench [-- --target src] [-- --epochs N --warmup N]`: how fast does the engine train?
 *
 * Trains `new ANN(2, [16, 16, 1])` with per-example SGD and squared error on 100 two-moons points, and in
 * the same run the same network written by hand on Float64Arrays (fused-mlp.ts), from the same
 * initial weights, on the same examples in the same order. The two alternate epoch by epoch, so both see the
 * same machine. After some warm-up epochs (for the JIT), every further epoch is timed; the figure is
 * microseconds per example (zeroGrad + forward + loss + backward + update), the median and the minimum over
 * the timed epochs. Both must end with the same accuracy and the same weights, or the timings mean nothing.
 *
 * Then, in the same run, lesson 14's tensor engine in mini-batches of 32 against the hand-fused loop and
 * TensorFlow.js (vectorized-bench.ts, which says how those rows are timed and checked).
 *
 * Prints a short table and writes reports/bench.json. Run with `node --expose-gc` (the npm script does) so
 * the heap figures start from a collected heap.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { stubbedLesson } from "../lib/stub-message";
import { ROOT, resolveTarget } from "../lib/target";
import { FusedMlp } from "./fused-mlp";
import { loadCompiled } from "./load-compiled";
import { benchVectorized, TENSOR_BATCH } from "./vectorized-bench";

type DataModule = typeof import("../../solutions/data");
type LossModule = typeof import("../../solutions/loss");
type NnModule = typeof import("../../solutions/nn");
type BatchesModule = typeof import("../../solutions/batches");
type TensorNnModule = typeof import("../../solutions/tensor-nn");

const SIZES = [2, 16, 16, 1];
const EXAMPLES = 100;
const NOISE = 0.1;
const LEARNING_RATE = 0.01;
/** Targets of issue 9, printed next to the figures. */
const TARGET_MICROS = 80;
const TARGET_RATIO = 20;
/** Targets of issue 17: the tensor engine in batches against the hand-fused loop and against TensorFlow.js. */
const TARGET_TENSOR_VS_FUSED = 1;
const TARGET_TFJS_VS_TENSOR = 10;

interface Options {
  target: string;
  warmup: number;
  epochs: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { target: "solutions", warmup: 20, epochs: 40, out: "reports/bench.json" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === "--target") options.target = value;
    else if (flag === "--out") options.out = value;
    else if (flag === "--warmup" || flag === "--epochs") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === "--epochs" ? 1 : 0)) throw new Error(`${flag} ${value}: not a count.`);
      options[flag === "--warmup" ? "warmup" : "epochs"] = n;
    } else throw new Error(`unknown option ${flag}. Usage: npm run bench -- [--target src] [--epochs N] [--warmup N]`);
    i++;
  }
  return options;
}

/** The target's modules, compiled by TypeScript rather than tsx (see scripts/lib/compile-target.ts for why). */
async function loadTarget(folder: string) {
  const load = await loadCompiled(folder);
  return {
    data: (await load("data")) as DataModule,
    nn: (await load("nn")) as NnModule,
    loss: (await load("loss")) as LossModule,
    batches: (await load("batches")) as BatchesModule,
    tensorNn: (await load("tensor-nn")) as TensorNnModule,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Heap in use now, in bytes (cheap enough to call once per example in the heap-sampling epoch). */
function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const folder = resolveTarget(options.target);
  const modules = await loadTarget(folder);
  const { data, nn, loss } = modules;

  const moons = data.makeMoons(EXAMPLES, { noise: NOISE, seed: 42 });
  const xs = moons.x;
  const ys = data.toSigned(moons.y);
  const net = new nn.ANN(SIZES[0], SIZES.slice(1));
  const params = net.parameters();
  const initial = params.map((p) => p.data);
  const fused = new FusedMlp(
    SIZES,
    params.map((p) => p.data),
  );

  // The measured workload: one epoch of per-example SGD, exactly the training loop of lesson 09.
  const engineEpoch = (sampleHeap?: (bytes: number) => void) => {
    for (let n = 0; n < xs.length; n++) {
      net.zeroGrad();
      const pred = net.forward(xs[n])[0];
      const l = loss.seLoss(pred, ys[n]);
      l.backward();
      net.update(LEARNING_RATE);
      sampleHeap?.(heapUsed());
    }
  };
  const fusedEpoch = () => {
    for (let n = 0; n < xs.length; n++) fused.trainExample(xs[n], ys[n], LEARNING_RATE);
  };
  /** Runs one epoch; returns its wall-clock and CPU microseconds per example. */
  const timeEpoch = (epoch: () => void) => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    epoch();
    const wall = Number(process.hrtime.bigint() - start) / 1000 / xs.length;
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / xs.length };
  };

  // The graph of one example, counted once outside the timed loop: every node topoSort reaches from the loss,
  // and how many of them the example created (all but the parameters, which live as long as the network).
  const graphNodes = loss.seLoss(net.forward(xs[0])[0], ys[0]).topoSort().length;
  const createdNodes = graphNodes - params.length;

  gc?.();
  const heapBefore = heapUsed();
  let heapPeak = heapBefore;
  const engineMicros: number[] = [];
  const fusedMicros: number[] = [];
  let engineCpu = 0;
  let fusedCpu = 0;
  const started = Date.now();
  for (let epoch = 0; epoch < options.warmup + options.epochs; epoch++) {
    const engine = timeEpoch(engineEpoch);
    const baseline = timeEpoch(fusedEpoch);
    heapPeak = Math.max(heapPeak, heapUsed());
    if (epoch >= options.warmup) {
      engineMicros.push(engine.wall);
      fusedMicros.push(baseline.wall);
      engineCpu += engine.cpu / options.epochs;
      fusedCpu += baseline.cpu / options.epochs;
    }
  }
  // One more epoch of each, untimed, sampling the heap after every example: the peak between collections, and
  // the growth over one example, which is what it allocated (unless a collection ran during it: the median
  // skips those).
  const growth: number[] = [];
  let previous = heapUsed();
  engineEpoch((bytes) => {
    heapPeak = Math.max(heapPeak, bytes);
    growth.push(bytes - previous);
    previous = heapUsed();
  });
  fusedEpoch();
  const vectorized = await benchVectorized({
    modules,
    stubbedLesson,
    root: ROOT,
    sizes: SIZES,
    data: { x: xs, y: ys },
    lr: LEARNING_RATE,
    initial,
    warmup: options.warmup,
    epochs: options.epochs,
    perExample: { weights: params.map((p) => p.data), epochs: options.warmup + options.epochs + 1 },
    gc,
  });
  const seconds = (Date.now() - started) / 1000;

  const engineAccuracy = accuracy(xs, ys, (x) => net.forward(x)[0].data);
  const fusedAccuracy = accuracy(xs, ys, (x) => fused.predict(x));
  const fusedParams = fused.parameters();
  const weightGap = Math.max(...params.map((p, i) => Math.abs(p.data - fusedParams[i])));
  const sameNetwork = engineAccuracy === fusedAccuracy && weightGap < 1e-9;

  const engine = { medianMicros: median(engineMicros), minMicros: Math.min(...engineMicros), cpuMicros: engineCpu };
  const baseline = { medianMicros: median(fusedMicros), minMicros: Math.min(...fusedMicros), cpuMicros: fusedCpu };
  const ratio = engine.medianMicros / baseline.medianMicros;
  const meetsTargets = engine.medianMicros <= TARGET_MICROS && ratio <= TARGET_RATIO;
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const report = {
    date: new Date().toISOString(),
    machine: { cpu, cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    workload: {
      network: `ANN(${SIZES[0]}, [${SIZES.slice(1).join(", ")}])`,
      examples: xs.length,
      noise: NOISE,
      learningRate: LEARNING_RATE,
      warmupEpochs: options.warmup,
      timedEpochs: options.epochs,
    },
    target: path.relative(ROOT, folder),
    engine: {
      ...engine,
      graphNodesPerExample: graphNodes,
      nodesCreatedPerExample: createdNodes,
      allocatedKBPerExample: median(growth) / 1024,
      peakHeapMB: heapPeak / 2 ** 20,
      heapBeforeMB: heapBefore / 2 ** 20,
      accuracy: engineAccuracy,
    },
    baseline: { ...baseline, accuracy: fusedAccuracy },
    ratio,
    maxWeightDifference: weightGap,
    sameNetwork,
    targets: { microsPerExample: TARGET_MICROS, ratio: TARGET_RATIO, met: meetsTargets },
    vectorized: {
      ...vectorized,
      targets: { tensorVsFused: TARGET_TENSOR_VS_FUSED, tfjsVsTensor: TARGET_TFJS_VS_TENSOR },
    },
    seconds,
  };
  const outFile = path.resolve(ROOT, options.out);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

  const us = (x: number) => `${x.toFixed(1)} µs`;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(
    `${report.workload.network}, per-example SGD on ${xs.length} two-moons points, ${options.warmup} warm-up + ${options.epochs} timed epochs (target: ${report.target})`,
  );
  console.log(`${cpu}, ${os.cpus().length} cores, Node ${process.version}\n`);
  console.log(
    table([
      ["per example", "median", "min", "CPU time", "accuracy"],
      ["engine", us(engine.medianMicros), us(engine.minMicros), us(engine.cpuMicros), pct(engineAccuracy)],
      [
        "hand-fused baseline",
        us(baseline.medianMicros),
        us(baseline.minMicros),
        us(baseline.cpuMicros),
        pct(fusedAccuracy),
      ],
      ...vectorized.rows.map((r) => [r.name, us(r.medianMicros), us(r.minMicros), us(r.cpuMicros), pct(r.accuracy)]),
    ]),
  );
  console.log(`\nengine / baseline: ${ratio.toFixed(1)}× (median)`);
  console.log(
    `graph per example: ${graphNodes} nodes, ${createdNodes} of them new (the rest are the ${params.length} parameters)`,
  );
  console.log(`allocated per example: ${report.engine.allocatedKBPerExample.toFixed(0)} KB`);
  console.log(
    `peak heap: ${report.engine.peakHeapMB.toFixed(1)} MB (${report.engine.heapBeforeMB.toFixed(1)} MB before training${gc ? "" : ", heap not collected first: run with node --expose-gc"})`,
  );
  console.log(
    `same network: accuracies ${pct(engineAccuracy)} and ${pct(fusedAccuracy)}, weights agree to ${weightGap.toExponential(1)}`,
  );
  console.log(
    `targets (≤ ${TARGET_MICROS} µs per example, ≤ ${TARGET_RATIO}× the baseline): ${meetsTargets ? "met" : "not met"}`,
  );
  printVectorized(vectorized);
  console.log(`\nwrote ${path.relative(ROOT, outFile)} (${seconds.toFixed(1)} s)`);
  if (!sameNetwork) {
    console.error(
      "\nThe engine and the baseline did not end up as the same network, so the timings compare different work: " +
        "check the engine's gradients (npx vitest lesson-04) before trusting these figures.",
    );
    process.exitCode = 1;
  }
  if (vectorized.tensorSameNetwork === false) {
    console.error(
      "\nThe tensor engine did not end with the weights of lesson 12's loop on the same batches, so its timing " +
        "compares different work: check its gradients (npx vitest lesson-14) before trusting these figures.",
    );
    process.exitCode = 1;
  }
}

/** The issue-17 rows' checks, and their ratios against the targets. */
function printVectorized(v: Awaited<ReturnType<typeof benchVectorized>>): void {
  console.log(
    `\nthe rows after the baseline: lesson 14's tensor engine and TensorFlow.js ${v.tfjsVersion} (CPU backend), ` +
      "timed side by side with a fresh copy of the baseline",
  );
  for (const note of v.notes) console.log(note);
  for (const r of v.rows.filter((row) => !Number.isNaN(row.maxWeightDifference))) {
    const against = r.name.endsWith("per example") ? "the engine's" : `lesson 12's loop on the same batches`;
    console.log(`${r.name}: weights agree with ${against} to ${r.maxWeightDifference.toExponential(1)}`);
  }
  if (v.tensorVsFused !== null) {
    const met = v.tensorVsFused <= TARGET_TENSOR_VS_FUSED ? "met" : "not met";
    console.log(
      `tensor engine (batches of ${TENSOR_BATCH}) / hand-fused baseline beside it: ${v.tensorVsFused.toFixed(2)}× ` +
        `(median; target ≤ ${TARGET_TENSOR_VS_FUSED.toFixed(1)}×: ${met})`,
    );
  }
  if (v.tfjsVsTensor !== null) {
    const met = v.tfjsVsTensor >= TARGET_TFJS_VS_TENSOR ? "met" : "not met";
    console.log(
      `TensorFlow.js / tensor engine, both in batches of ${TENSOR_BATCH}: ${v.tfjsVsTensor.toFixed(1)}× ` +
        `(median; target ≥ ${TARGET_TFJS_VS_TENSOR}×: ${met})`,
    );
  }
}

/** The share of examples whose prediction has the sign of the target (-1 or +1). */
function accuracy(xs: number[][], ys: number[], predict: (x: number[]) => number): number {
  let right = 0;
  for (let n = 0; n < xs.length; n++) if (predict(xs[n]) > 0 === ys[n] > 0) right++;
  return right / xs.length;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   "))
    .join("\n");
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (stubbedLesson(message)) {
    console.error(`The engine in this target is not finished yet: ${message}`);
    console.error("The bench trains a whole network, so it needs lessons 01 to 08 done.");
  } else console.error(message);
  process.exitCode = 1;
});
