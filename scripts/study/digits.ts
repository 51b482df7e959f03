/**
 * Lesson 17's part of `npm run experiments`: MNIST with a target's compiled code. It trains solutions/digits.ts's
 * recipe (784-128-10, Adam, mini-batches, shifted images) on every seed from the scaled start, and the first seed for
 * a few epochs from lesson 05's uniform(−1, 1) start, on worker threads; measures the two starts; and returns every
 * output file by path, writing nothing. Training times are printed, never written: they change from run to run, and
 * the files must not (`--check` compares them byte for byte, and checks the accuracy target).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as DigitsModule from "../../solutions/digits";
import type * as MnistModule from "../../solutions/mnist";
import type * as RandomModule from "../../solutions/random";
import type * as TensorNnModule from "../../solutions/tensor-nn";
import { loadMnist } from "../lib/mnist";
import { confusionSpec, curvesSpec, misclassifiedSvg, startSpec, weightsSvg } from "./digits-plots";
import { type DigitTask, runDigitTasks } from "./digits-runs";
import { renderSvg } from "./plots";
import { generatedBy, markdownTable, resultsJson } from "./report";

/** Epochs of the run from the uniform(−1, 1) start: enough to see what it costs, a quarter of the recipe's time. */
export const UNIFORM_EPOCHS = 3;
/** Bins of the histogram of the hidden units' outputs at the start. */
const BINS = 40;
/** At most this many misclassified test digits in their figure. */
const SHOWN_MISTAKES = 40;

export const DIGIT_FIGURES = [
  { file: "curves.svg", alt: "Loss and accuracy after every epoch, training and test, one line per seed" },
  {
    file: "start.svg",
    alt: "The hidden units' outputs before training, piled up at −1 and +1 from the uniform start and spread out from the scaled start, and the test accuracy of the first epochs from each",
  },
  { file: "confusion.svg", alt: "The confusion matrix of the median seed's network on the 2,000 test digits" },
  {
    file: "misclassified.svg",
    alt: "Test digits the median seed's network reads wrong, each with its true and its predicted digit",
  },
  {
    file: "weights.svg",
    alt: "The 128 hidden units' weights, each as a 28 × 28 picture: red pixels push the unit up, blue ones down",
  },
] as const;

interface StartStats {
  init: DigitsModule.DigitInit;
  /** The share of the first layer's outputs with |tanh| > 0.99: saturated units. */
  saturated: number;
  /** The mean slope 1 − h² of tanh at those outputs: how much gradient gets through, on average. */
  meanSlope: number;
  /** The standard deviation of x · W1 + b1, before tanh. */
  preactivationSd: number;
}

export interface DigitResults {
  recipe: typeof DigitsModule.MNIST_RECIPE;
  split: { train: number; test: number; seed: number };
  runs: { seed: number; init: DigitsModule.DigitInit; history: DigitsModule.DigitHistoryRow[] }[];
  finalTestAccuracy: { seed: number; accuracy: number }[];
  medianTestAccuracy: number;
  targetMet: boolean;
  start: StartStats[];
  /** The seed whose final test accuracy is the median: its network gives the confusion matrix and the pictures. */
  medianSeed: number;
  confusion: number[][];
  mistakes: number;
}

export interface DigitOutputs {
  files: Map<string, string>;
  section: string;
  text: string;
  results: DigitResults;
}

export async function produceDigits(
  buildDir: string,
  {
    outDir,
    figurePrefix,
    codeFolder,
    workers,
  }: { outDir: string; figurePrefix: string; codeFolder: string; workers?: number },
): Promise<DigitOutputs> {
  const load = async <T>(name: string) => (await import(pathToFileURL(path.join(buildDir, `${name}.mjs`)).href)) as T;
  const digits = await load<typeof DigitsModule>("digits");
  const mnist = await load<typeof MnistModule>("mnist");
  const { MLP } = await load<typeof TensorNnModule>("tensor-nn");
  const { Random } = await load<typeof RandomModule>("random");
  const recipe = digits.MNIST_RECIPE;
  const data = mnist.splitDigits(loadMnist());

  // The two starts of seed 1, measured on the test digits before any training.
  const start = (["uniform", "scaled"] as const).map((init) => {
    const model = new MLP(mnist.PIXELS, [recipe.hidden, mnist.CLASSES], { rng: new Random(recipe.seeds[0]) });
    if (init === "scaled") digits.scaledInit(model, new Random(recipe.seeds[0]));
    const every = Array.from({ length: data.test.count }, (_, i) => i);
    const a = model.layers[0].forward(mnist.digitBatch(data.test, every).x);
    const h = a.tanh().data;
    return { init, a: a.data, h };
  });
  const stats: StartStats[] = start.map(({ init, a, h }) => ({
    init,
    saturated: count(h, (v) => Math.abs(v) > 0.99) / h.length,
    meanSlope: sum(h, (v) => 1 - v * v) / h.length,
    preactivationSd: Math.sqrt(sum(a, (v) => v * v) / a.length - (sum(a, (v) => v) / a.length) ** 2),
  }));

  const tasks: DigitTask[] = [
    ...recipe.seeds.map((seed) => ({
      key: `scaled/${seed}`,
      seed,
      init: "scaled" as const,
      epochs: recipe.epochs,
      keepWeights: true,
    })),
    { key: "uniform/1", seed: recipe.seeds[0], init: "uniform", epochs: UNIFORM_EPOCHS, keepWeights: false },
  ];
  const totalEpochs = tasks.reduce((n, task) => n + task.epochs, 0);
  console.log(
    `Training 784-${recipe.hidden}-10 on ${data.train.count} digits: ${recipe.seeds.length} seeds × ${recipe.epochs} epochs, ` +
      `and seed ${recipe.seeds[0]} from the uniform(−1, 1) start for ${UNIFORM_EPOCHS}, with the code in ${codeFolder}/ ...`,
  );
  const started = Date.now();
  let epochsDone = 0;
  const { results, cached } = await runDigitTasks(path.join(buildDir, "digits.mjs"), data, tasks, {
    workers,
    onEpoch: (key) => {
      epochsDone += 1;
      if (!process.stdout.isTTY) return;
      process.stdout.write(
        `\r  ${epochsDone}/${totalEpochs} epochs (${key}), ${((Date.now() - started) / 1000).toFixed(0)} s `,
      );
    },
  });
  if (process.stdout.isTTY) process.stdout.write("\n");
  const wall = (Date.now() - started) / 1000;
  const run = (key: string) => {
    const result = results.get(key);
    if (!result) throw new Error(`lesson 17's study has no result for ${key}`);
    return result;
  };

  const scaled = recipe.seeds.map((seed) => ({ seed, ...run(`scaled/${seed}`) }));
  const finalTestAccuracy = scaled.map(({ seed, history }) => ({ seed, accuracy: history.at(-1)?.testAccuracy ?? 0 }));
  const ranked = [...finalTestAccuracy].sort((a, b) => a.accuracy - b.accuracy || a.seed - b.seed);
  const middle = ranked[Math.floor(ranked.length / 2)];
  const medianRun = scaled.find((r) => r.seed === middle.seed) ?? scaled[0];
  const uniform = run("uniform/1");
  const confusion = digits.confusionMatrix(medianRun.predicted, data.test.labels);
  const wrong = medianRun.predicted.flatMap((predicted, i) => (predicted === data.test.labels[i] ? [] : [i]));

  const digitResults: DigitResults = {
    recipe,
    split: { train: data.train.count, test: data.test.count, seed: mnist.SPLIT_SEED },
    runs: [
      ...scaled.map(({ seed, history }) => ({ seed, init: "scaled" as const, history })),
      { seed: recipe.seeds[0], init: "uniform", history: uniform.history },
    ],
    finalTestAccuracy,
    medianTestAccuracy: middle.accuracy,
    targetMet: middle.accuracy >= recipe.targetAccuracy,
    start: stats,
    medianSeed: middle.seed,
    confusion,
    mistakes: wrong.length,
  };

  const histograms = start.map(({ init, h }) => ({ init: INIT_NAMES[init], shares: histogram(h) }));
  const curves = [
    { init: INIT_NAMES.uniform, accuracies: uniform.history.map((row) => row.testAccuracy) },
    { init: INIT_NAMES.scaled, accuracies: scaled[0].history.slice(0, UNIFORM_EPOCHS).map((row) => row.testAccuracy) },
  ];
  const images = wrong.slice(0, SHOWN_MISTAKES).map((i) => ({
    pixels: data.test.pixels.subarray(i * mnist.PIXELS, (i + 1) * mnist.PIXELS),
    truth: data.test.labels[i],
    predicted: medianRun.predicted[i],
  }));
  const [curvesFile, startFile, confusionFile, mistakesFile, weightsFile] = DIGIT_FIGURES.map(({ file }) =>
    path.join(outDir, file),
  );
  const files = new Map<string, string>([
    [path.join(outDir, "results.json"), resultsJson(digitResults)],
    [curvesFile, await renderSvg(curvesSpec(scaled))],
    [startFile, await renderSvg(startSpec({ histograms, curves }))],
    [
      confusionFile,
      await renderSvg(
        confusionSpec(confusion, `Which digit was read as which, seed ${middle.seed} (the median), 2,000 test digits`),
      ),
    ],
    [
      mistakesFile,
      misclassifiedSvg(
        images,
        `The first ${images.length} of the ${wrong.length} test digits seed ${middle.seed} reads wrong: true → predicted`,
      ),
    ],
    [
      weightsFile,
      weightsSvg(
        medianRun.firstLayer ?? [],
        recipe.hidden,
        `What each of the 128 hidden units looks at: its 784 weights, seed ${middle.seed}`,
      ),
    ],
    [path.join(outDir, "results.md"), digitsMarkdown(digitResults, "", codeFolder)],
  ]);
  const seconds = scaled.map(
    ({ seed, seconds, history }) =>
      `  seed ${seed}: ${percent(history.at(-1)?.testAccuracy ?? 0)} after ${seconds.toFixed(1)} s of training ` +
      `(${(seconds / history.length).toFixed(2)} s per epoch)`,
  );
  const text = [
    digitsText(digitResults),
    "",
    ...(cached
      ? [`The runs were read back from ${cached}: the same code trained them before, these are its times.`]
      : []),
    `Training times (wall clock, ${workers ?? "one worker per core"}${workers ? " worker(s)" : ""}; the target is ${recipe.targetSeconds} s per seed on an idle 2-core machine, one run per core):`,
    ...seconds,
    `  the uniform start, ${UNIFORM_EPOCHS} epochs: ${uniform.seconds.toFixed(1)} s; everything: ${wall.toFixed(1)} s`,
  ].join("\n");
  return { files, section: digitsMarkdown(digitResults, figurePrefix, codeFolder), text, results: digitResults };
}

const INIT_NAMES = { uniform: "uniform(−1, 1)", scaled: "scaled (Xavier)" } as const;

/** An accuracy on 2,000 test digits moves in steps of 0.05 %: two decimals show every step. */
const percent = (x: number) => `${(100 * x).toFixed(2)} %`;

function count(values: ArrayLike<number>, test: (v: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (test(values[i])) n += 1;
  return n;
}

function sum(values: ArrayLike<number>, f: (v: number) => number): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += f(values[i]);
  return total;
}

/** The share of `values` (each in [−1, 1]) in each of BINS equal bins. */
function histogram(values: ArrayLike<number>): number[] {
  const shares = new Array<number>(BINS).fill(0);
  for (let i = 0; i < values.length; i++) {
    shares[Math.min(BINS - 1, Math.floor(((values[i] + 1) / 2) * BINS))] += 1 / values.length;
  }
  return shares;
}

/** The most frequent mistakes: "4 read as 9 (12 times)". */
function worstConfusions(confusion: number[][], shown = 5): string[] {
  return confusion
    .flatMap((row, truth) => row.map((times, predicted) => ({ truth, predicted, times })))
    .filter(({ truth, predicted, times }) => truth !== predicted && times > 0)
    .sort((a, b) => b.times - a.times || a.truth - b.truth || a.predicted - b.predicted)
    .slice(0, shown)
    .map(({ truth, predicted, times }) => `${truth} read as ${predicted} (${times} times)`);
}

function seedRows(results: DigitResults): string[][] {
  return results.runs
    .filter((run) => run.init === "scaled")
    .map(({ seed, history }) => {
      const last = history[history.length - 1];
      const at = (epoch: number) => percent(history[epoch - 1]?.testAccuracy ?? Number.NaN);
      return [
        String(seed),
        at(1),
        at(Math.ceil(history.length / 2)),
        percent(last.testAccuracy),
        percent(last.trainAccuracy),
        last.testLoss.toFixed(4),
      ];
    });
}

function startRows(results: DigitResults): string[][] {
  const byInit = (init: string) =>
    results.runs.find((run) => run.init === init && run.seed === results.recipe.seeds[0]);
  return results.start.map((s) => {
    const history = byInit(s.init)?.history ?? [];
    return [
      INIT_NAMES[s.init],
      s.preactivationSd.toFixed(2),
      percent(s.saturated),
      s.meanSlope.toFixed(3),
      ...Array.from({ length: UNIFORM_EPOCHS }, (_, i) => percent(history[i]?.testAccuracy ?? Number.NaN)),
    ];
  });
}

function verdict(results: DigitResults): string {
  const { targetAccuracy } = results.recipe;
  return `**Median test accuracy of the ${results.finalTestAccuracy.length} seeds: ${percent(results.medianTestAccuracy)}** (target ≥ ${percent(targetAccuracy)}: ${results.targetMet ? "met" : "not met"}).`;
}

export function digitsMarkdown(results: DigitResults, figurePrefix: string, codeFolder: string): string {
  const { recipe, split } = results;
  const mid = Math.ceil(recipe.epochs / 2);
  return [
    generatedBy("npm run experiments -- --lesson 17", codeFolder),
    "",
    `**Configuration.** The course's split of the mnist package's 10,000 digits (seed ${split.seed}): ${split.train} to train on, ${split.test} to test on, pixels scaled to [0, 1]. A 784-${recipe.hidden}-10 \`MLP\` (tanh, ten logits) from the scaled start, lesson 16's cross-entropy, Adam at lr ${recipe.lr} (PyTorch's other defaults), mini-batches of ${recipe.batchSize} shuffled every epoch, every training image shifted by up to ${recipe.maxShift} pixels each way, ${recipe.epochs} epochs; seeds ${recipe.seeds.join(", ")} (the weights, the shuffles and the shifts). The training figures of an epoch are the means over its batches as it trained; the test figures are measured after the epoch.`,
    "",
    verdict(results),
    "",
    markdownTable(
      [
        "seed",
        "test acc. after epoch 1",
        `after epoch ${mid}`,
        `after epoch ${recipe.epochs}`,
        "training acc. (last epoch)",
        "test loss",
      ],
      seedRows(results),
    ),
    "",
    `### The start (seed ${recipe.seeds[0]}, before training, on the test digits)`,
    "",
    markdownTable(
      [
        "start",
        "sd of x · W1 + b1",
        "outputs with abs(tanh) > 0.99",
        "mean slope 1 − h²",
        ...Array.from({ length: UNIFORM_EPOCHS }, (_, i) => `test acc. after epoch ${i + 1}`),
      ],
      startRows(results),
    ),
    "",
    `### Mistakes of seed ${results.medianSeed} (the median)`,
    "",
    `${results.mistakes} of the ${split.test} test digits are read wrong; the most frequent mistakes: ${worstConfusions(results.confusion).join(", ")}.`,
    "",
    "### Figures",
    "",
    ...DIGIT_FIGURES.flatMap(({ file, alt }) => [`![${alt}](${figurePrefix}${file})`, ""]),
  ]
    .join("\n")
    .trimEnd()
    .concat("\n");
}

export function digitsText(results: DigitResults): string {
  const pad = (rows: string[][]) => rows.map((row) => row.join("  ")).join("\n");
  return [
    verdict(results).replaceAll("**", ""),
    pad([["seed", "epoch 1", "middle", "last", "train", "test loss"], ...seedRows(results)]),
    "",
    "The start, before training (sd of x·W1+b1, saturated, mean slope, test accuracy after each epoch):",
    pad(startRows(results)),
    "",
    `Seed ${results.medianSeed}'s most frequent mistakes: ${worstConfusions(results.confusion).join(", ")}.`,
  ].join("\n");
}
