/**
 * `npm run bench [-- --target src] [-- --epochs N --warmup N] [-- --v8-defaults]`: how fast does the engine train?
 *
 * Trains `new ANN(2, [16, 16, 1])` with per-example SGD and squared error on 100 two-moons points, and in
 * the same run the same network twice more, from the same initial weights, on the same examples in the same
 * order: written by hand on Float64Arrays (fused-mlp.ts, the floor), and as a plain port of micrograd
 * (micrograd-mirror.ts, the yardstick: what a graph of closures costs when nothing goes wrong). The three
 * alternate epoch by epoch, so all see the same machine. After some warm-up epochs (for the JIT), every further
 * epoch is timed; the figure is microseconds per example (zeroGrad + forward + loss + backward + update), the
 * median and the minimum over the timed epochs. All must end with the same accuracy and the same weights, or the
 * timings mean nothing.
 *
 * It runs with the V8 setting of every course tool (scripts/lib/v8-flags.ts); `--v8-defaults` measures with
 * Node's defaults instead, which is how the engine's old trap shows (docs/bench.md).
 *
 * Then, in the same run, lesson 14's tensor engine in mini-batches of 32 against the hand-fused loop and
 * TensorFlow.js (vectorized-bench.ts, which says how those rows are timed and checked); and the MNIST step, lesson
 * 17's network on a batch of 64 digits, on the tensor engine, on every path of lesson 18 and on TensorFlow.js's CPU
 * and WebAssembly backends, against the machine's SIMD peak (mnist-bench.ts).
 *
 * Prints a short table and writes reports/bench.json. Run with `node --expose-gc` (the npm script does) so
 * the heap figures start from a collected heap.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { loadMnist } from "../lib/mnist";
import { coresPeak } from "../lib/simd-peak";
import { stubbedLesson } from "../lib/stub-message";
import { ROOT, resolveTarget } from "../lib/target";
import { COURSE_V8_FLAGS, useCourseV8Flags } from "../lib/v8-flags";
import { median, signAccuracy, timeEpoch } from "./bench-timing";
import { FusedMlp } from "./fused-mlp";
import { loadCompiled } from "./load-compiled";
import { type MnistStepReport, mnistStep, SPEED_TARGETS } from "./mnist-bench";
import { benchVectorized, TENSOR_BATCH } from "./vectorized-bench";

type DataModule = typeof import("../../solutions/data");
type LossModule = typeof import("../../solutions/loss");
type NnModule = typeof import("../../solutions/nn");
type MirrorModule = typeof import("./micrograd-mirror");
type BatchesModule = typeof import("../../solutions/batches");
type TensorNnModule = typeof import("../../solutions/tensor-nn");
type MnistModule = typeof import("../../solutions/mnist");
type RandomModule = typeof import("../../solutions/random");
type SoftmaxModule = typeof import("../../solutions/softmax");
type TensorModule = typeof import("../../solutions/tensor");

const MIRROR = path.join(path.dirname(fileURLToPath(import.meta.url)), "micrograd-mirror.ts");

const SIZES = [2, 16, 16, 1];
const EXAMPLES = 100;
const NOISE = 0.1;
const LEARNING_RATE = 0.01;
/**
 * The targets, printed next to the figures: the engine no slower than the micrograd mirror and at most 300 µs per
 * example; and the first bench's, at most 80 µs and 20× the hand-fused loop, which the graph itself rules out.
 */
const TARGETS = { micros: 300, mirrorRatio: 1.0, firstMicros: 80, firstRatio: 20 };
/** Targets of the vectorized engine: in batches, as fast as the hand-fused loop and 10 times faster than TensorFlow.js. */
const TARGET_TENSOR_VS_FUSED = 1;
const TARGET_TFJS_VS_TENSOR = 10;
/** Epochs of the MNIST step (10 steps of 64 digits each): untimed, then timed. */
const MNIST_WARMUP = 3;
const MNIST_EPOCHS = 10;

interface Options {
  target: string;
  warmup: number;
  epochs: number;
  out: string;
  v8Defaults: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    target: "solutions",
    warmup: 20,
    epochs: 40,
    out: "reports/bench.json",
    v8Defaults: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--v8-defaults") {
      options.v8Defaults = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === "--target") options.target = value;
    else if (flag === "--out") options.out = value;
    else if (flag === "--warmup" || flag === "--epochs") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === "--epochs" ? 1 : 0)) throw new Error(`${flag} ${value}: not a count.`);
      options[flag === "--warmup" ? "warmup" : "epochs"] = n;
    } else
      throw new Error(
        `unknown option ${flag}. Usage: npm run bench -- [--target src] [--epochs N] [--warmup N] [--v8-defaults]`,
      );
    i++;
  }
  return options;
}

/** The target's modules, compiled by TypeScript rather than tsx (see scripts/lib/compile-target.ts for why). */
async function loadTarget(folder: string) {
  const load = await loadCompiled(folder, [MIRROR]);
  return {
    data: (await load("data")) as DataModule,
    nn: (await load("nn")) as NnModule,
    loss: (await load("loss")) as LossModule,
    mirror: (await load("micrograd-mirror")) as MirrorModule,
    batches: (await load("batches")) as BatchesModule,
    tensorNn: (await load("tensor-nn")) as TensorNnModule,
    mnist: (await load("mnist")) as MnistModule,
    random: (await load("random")) as RandomModule,
    softmax: (await load("softmax")) as SoftmaxModule,
    tensor: (await load("tensor")) as TensorModule,
  };
}

/** Heap in use now, in bytes (cheap enough to call once per example in the heap-sampling epoch). */
function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!options.v8Defaults) useCourseV8Flags();
  const folder = resolveTarget(options.target);
  const modules = await loadTarget(folder);
  const { data, nn, loss, mirror: mirrorModule } = modules;

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
  const mirror = new mirrorModule.MicrogradMirror(
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
  const mirrorEpoch = () => {
    for (let n = 0; n < xs.length; n++) mirror.trainExample(xs[n], ys[n], LEARNING_RATE);
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
  const mirrorMicros: number[] = [];
  let engineCpu = 0;
  let fusedCpu = 0;
  let mirrorCpu = 0;
  const started = Date.now();
  for (let epoch = 0; epoch < options.warmup + options.epochs; epoch++) {
    const engine = timeEpoch(engineEpoch, xs.length);
    const baseline = timeEpoch(fusedEpoch, xs.length);
    const yardstick = timeEpoch(mirrorEpoch, xs.length);
    heapPeak = Math.max(heapPeak, heapUsed());
    if (epoch >= options.warmup) {
      engineMicros.push(engine.wall);
      fusedMicros.push(baseline.wall);
      mirrorMicros.push(yardstick.wall);
      engineCpu += engine.cpu / options.epochs;
      fusedCpu += baseline.cpu / options.epochs;
      mirrorCpu += yardstick.cpu / options.epochs;
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
  mirrorEpoch();
  // The MNIST step's own engines before TensorFlow.js is loaded (by the vectorized rows), its TensorFlow.js rows after.
  const mnist = mnistStep({
    modules,
    train: modules.mnist.splitDigits(loadMnist()).train,
    root: ROOT,
    folder,
    warmup: MNIST_WARMUP,
    epochs: MNIST_EPOCHS,
    stubbedLesson,
    gc,
  });
  await mnist.timeEngine();
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
  await mnist.timeSideBySide();
  const mnistReport = mnist.report();
  const seconds = (Date.now() - started) / 1000;

  const engineAccuracy = signAccuracy(
    xs.map((x) => net.forward(x)[0].data),
    ys,
  );
  const fusedAccuracy = signAccuracy(
    xs.map((x) => fused.predict(x)),
    ys,
  );
  const mirrorAccuracy = signAccuracy(
    xs.map((x) => mirror.predict(x)),
    ys,
  );
  const gapTo = (other: number[]) => Math.max(...params.map((p, i) => Math.abs(p.data - other[i])));
  const weightGap = gapTo(fused.parameters());
  const mirrorGap = gapTo(mirror.parameters());
  const sameNetwork =
    engineAccuracy === fusedAccuracy && engineAccuracy === mirrorAccuracy && weightGap < 1e-9 && mirrorGap < 1e-9;

  const engine = { medianMicros: median(engineMicros), minMicros: Math.min(...engineMicros), cpuMicros: engineCpu };
  const baseline = { medianMicros: median(fusedMicros), minMicros: Math.min(...fusedMicros), cpuMicros: fusedCpu };
  const yardstick = { medianMicros: median(mirrorMicros), minMicros: Math.min(...mirrorMicros), cpuMicros: mirrorCpu };
  const ratio = engine.medianMicros / baseline.medianMicros;
  const mirrorRatio = engine.medianMicros / yardstick.medianMicros;
  const meetsTargets = engine.medianMicros <= TARGETS.micros && mirrorRatio <= TARGETS.mirrorRatio;
  const meetsFirstTargets = engine.medianMicros <= TARGETS.firstMicros && ratio <= TARGETS.firstRatio;
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
    v8Flags: options.v8Defaults ? [] : COURSE_V8_FLAGS,
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
    mirror: { ...yardstick, accuracy: mirrorAccuracy },
    ratio,
    mirrorRatio,
    maxWeightDifference: weightGap,
    maxWeightDifferenceToMirror: mirrorGap,
    sameNetwork,
    targets: { ...TARGETS, met: meetsTargets, firstMet: meetsFirstTargets },
    vectorized: {
      ...vectorized,
      targets: { tensorVsFused: TARGET_TENSOR_VS_FUSED, tfjsVsTensor: TARGET_TFJS_VS_TENSOR },
    },
    mnistStep: mnistReport,
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
  console.log(
    `${cpu}, ${os.cpus().length} cores, Node ${process.version}, V8 ${options.v8Defaults ? "defaults" : `with ${COURSE_V8_FLAGS.join(" ")}`}\n`,
  );
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
      [
        "micrograd mirror",
        us(yardstick.medianMicros),
        us(yardstick.minMicros),
        us(yardstick.cpuMicros),
        pct(mirrorAccuracy),
      ],
      ...vectorized.rows.map((r) => [r.name, us(r.medianMicros), us(r.minMicros), us(r.cpuMicros), pct(r.accuracy)]),
    ]),
  );
  console.log(`\nengine / baseline: ${ratio.toFixed(1)}× (median)`);
  console.log(`engine / micrograd mirror: ${mirrorRatio.toFixed(2)}× (median)`);
  console.log(
    `graph per example: ${graphNodes} nodes, ${createdNodes} of them new (the rest are the ${params.length} parameters)`,
  );
  console.log(`allocated per example: ${report.engine.allocatedKBPerExample.toFixed(0)} KB`);
  console.log(
    `peak heap: ${report.engine.peakHeapMB.toFixed(1)} MB (${report.engine.heapBeforeMB.toFixed(1)} MB before training${gc ? "" : ", heap not collected first: run with node --expose-gc"})`,
  );
  console.log(
    `same network: accuracies ${pct(engineAccuracy)}, ${pct(fusedAccuracy)} and ${pct(mirrorAccuracy)}, weights agree to ${weightGap.toExponential(1)} (baseline) and ${mirrorGap.toExponential(1)} (mirror)`,
  );
  console.log(
    `targets: ≤ ${TARGETS.micros} µs per example and ≤ ${TARGETS.mirrorRatio.toFixed(1)}× the micrograd mirror: ${meetsTargets ? "met" : "not met"}; ` +
      `the first bench's ≤ ${TARGETS.firstMicros} µs and ≤ ${TARGETS.firstRatio}× the baseline: ${meetsFirstTargets ? "met" : "not met"} (docs/bench.md says why)`,
  );
  printVectorized(vectorized);
  printMnistStep(mnistReport);
  console.log(`\nwrote ${path.relative(ROOT, outFile)} (${seconds.toFixed(1)} s)`);
  if (!sameNetwork) {
    console.error(
      "\nThe engine, the baseline and the mirror did not end up as the same network, so the timings compare different work: " +
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
    `\nthe rows after the baseline: lesson 14's tensor engine, then TensorFlow.js ${v.tfjsVersion} (CPU backend), ` +
      "each timed side by side with a fresh copy of the baseline",
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
  if (v.tfjsVsTensor !== null && v.tfjsVsTensorThroughBaseline !== null) {
    // Met only if both ways of comparing the two say so.
    const lower = Math.min(v.tfjsVsTensor, v.tfjsVsTensorThroughBaseline);
    const met = lower >= TARGET_TFJS_VS_TENSOR ? "met" : "not met";
    console.log(
      `TensorFlow.js / tensor engine, both in batches of ${TENSOR_BATCH}: ${v.tfjsVsTensor.toFixed(1)}× ` +
        `(medians), ${v.tfjsVsTensorThroughBaseline.toFixed(1)}× through the baseline beside each ` +
        `(target ≥ ${TARGET_TFJS_VS_TENSOR}×: ${met})`,
    );
  }
}

/** The MNIST step's rows, their ratios to TensorFlow.js's WebAssembly backend and to the peak, and the targets. */
function printMnistStep(report: MnistStepReport): void {
  const { sizes, batchSize, batches } = report.step;
  console.log(
    `\nthe MNIST step: ${sizes.join("-")} with tanh, lesson 16's cross-entropy and plain SGD, batches of ${batchSize}, ` +
      `${batches} steps per epoch, ${report.warmup} warm-up + ${report.epochs} timed epochs; the tensor engine alone, ` +
      `then the other rows side by side, one epoch each per round (load ${report.load.map((l) => l.toFixed(1)).join(" → ")})`,
  );
  for (const note of report.notes) console.log(note);
  const us = (x: number) => `${x.toFixed(1)} µs`;
  const wasm = report.rows.find((r) => r.name.includes("wasm backend"));
  const peak = report.peak;
  console.log(
    table([
      [
        "per example",
        "median",
        "min",
        "CPU time",
        "GFLOP/s",
        "× faster than TF.js wasm",
        "of the peak",
        "weights vs the engine",
      ],
      ...report.rows.map((r) => [
        r.timed === "alone" ? `${r.name} (alone)` : r.name,
        us(r.medianMicros),
        us(r.minMicros),
        us(r.cpuMicros),
        r.gflops.toFixed(2),
        wasm ? `${(wasm.medianMicros / r.medianMicros).toFixed(2)}×` : "",
        peak ? `${((100 * r.gflops) / coresPeak(peak)).toFixed(1)} %` : "",
        Number.isNaN(r.maxWeightDifference) ? "" : r.maxWeightDifference.toExponential(1),
      ]),
    ]),
  );
  const { fastest } = report;
  if (!fastest) return;
  const met = (ok: boolean) => (ok ? "met" : "not met");
  if (peak) {
    console.log(
      `SIMD peak: ${peak.oneThread.toFixed(1)} GFLOP/s on one core, ${peak.allThreads.toFixed(1)} on ${peak.threads} at once` +
        (Math.min(...report.load) > peak.threads
          ? ` (the load stayed above ${peak.threads}: other programs held the cores, so the peak of all cores is not what this machine does idle)`
          : "") +
        (coresPeak(peak) > peak.allThreads
          ? `; the paths are put against ${peak.threads} times one core's, ${coresPeak(peak).toFixed(1)} GFLOP/s`
          : ""),
    );
  }
  if (fastest.ofPeak !== undefined && peak) {
    console.log(
      `lesson 18's fastest path, ${fastest.name}: ${(100 * fastest.ofPeak).toFixed(0)} % of the peak of the ${peak.threads} cores ` +
        `(target ≥ ${100 * SPEED_TARGETS.ofPeak} %: ${met(fastest.ofPeak >= SPEED_TARGETS.ofPeak)})`,
    );
  }
  if (fastest.vsTfjsWasm !== undefined) {
    console.log(
      `lesson 18's fastest path against TensorFlow.js wasm: ${fastest.vsTfjsWasm.toFixed(1)}× faster ` +
        `(medians side by side; target ≥ ${SPEED_TARGETS.vsTfjsWasm}×: ${met(fastest.vsTfjsWasm >= SPEED_TARGETS.vsTfjsWasm)})` +
        (fastest.vsTfjsCpu === undefined ? "" : `; against TensorFlow.js cpu: ${fastest.vsTfjsCpu.toFixed(1)}× faster`),
    );
  }
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
