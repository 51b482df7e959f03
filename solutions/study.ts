/**
 * Provided: you do not need to edit this file, but do read it.
 *
 * The notebook's study, written down once for everything that runs it: `npm run experiments` (and its
 * worker threads), the lesson-10 tests and the lesson text. It holds
 *   - the configuration (data set, split, widths, epochs, seeds), fixed before any result was seen;
 *   - the five models of the notebook;
 *   - `runModel`, one model trained on one seed's data;
 *   - the notebook's five claims, each as a measured statistic with a stated threshold, and the rule that
 *     turns "holds in k of n seeds" into a verdict. Nothing here is written with the results in mind.
 *
 * Lesson 10.
 */
import { type LowestTestLoss, lowestTestLoss, meanSd, setbacks, tailMean } from "./analysis";
import { type Dataset, makeMoons, toSigned, trainTestSplit } from "./data";
import { ANN } from "./nn";
import { Random } from "./random";
import { type Evaluation, evaluate, type HistoryRow, train } from "./train";

export interface StudyConfig {
  /** Points in the two-moons data set (train and test together). */
  n: number;
  /** The standard deviation of the moons' noise. */
  noise: number;
  /** The share of points held out for testing. */
  testFraction: number;
  /** Neurons in each hidden layer. */
  hidden: number;
  epochs: number;
  /** One run of every model per seed; the seed picks the data, the split and the initial weights. */
  seeds: number[];
}

/**
 * The configuration of `npm run experiments`. The notebook does not say its n, noise or widths, so these are
 * common choices: 200 points with noise 0.2 (the moons overlap a little, so there is something to overfit
 * and a perfect score is not free), a quarter held out (50 test points, so accuracy moves in steps of 2 %),
 * 8 neurons per hidden layer, 50 epochs, 5 seeds. Lesson 10's README says why 8 and not 16: with 16, per-example
 * SGD at lr 0.1 overshoots and diverges, which would give the notebook's Model 5 no chance at all.
 */
export const STUDY_CONFIG: StudyConfig = {
  n: 200,
  noise: 0.2,
  testFraction: 0.25,
  hidden: 8,
  epochs: 50,
  seeds: [1, 2, 3, 4, 5],
};

export type ModelId = "model1" | "model2" | "model3" | "model4" | "model5";

export interface ModelSpec {
  id: ModelId;
  /** "Model 1" */
  name: string;
  /** How many hidden layers (of `config.hidden` neurons each). */
  hiddenLayers: number;
  lr: number;
}

/** The notebook's five models. */
export const MODELS: ModelSpec[] = [
  { id: "model1", name: "Model 1", hiddenLayers: 1, lr: 0.01 },
  { id: "model2", name: "Model 2", hiddenLayers: 1, lr: 0.1 },
  { id: "model3", name: "Model 3", hiddenLayers: 2, lr: 0.01 },
  { id: "model4", name: "Model 4", hiddenLayers: 2, lr: 0.000001 },
  { id: "model5", name: "Model 5", hiddenLayers: 2, lr: 0.1 },
];

/** The layer sizes of a model's network: `[8, 1]` or `[8, 8, 1]` with the study's 8 neurons per hidden layer. */
export function layerSizes(spec: ModelSpec, config: StudyConfig): number[] {
  return [...Array.from({ length: spec.hiddenLayers }, () => config.hidden), 1];
}

/** A seed's data: the moons with targets -1/+1, split into training and test sets. */
export function studyData(config: StudyConfig, seed: number): { train: Dataset; test: Dataset } {
  const moons = makeMoons(config.n, { noise: config.noise, seed });
  return trainTestSplit({ x: moons.x, y: toSigned(moons.y) }, { testFraction: config.testFraction, seed });
}

/**
 * A network for `spec`, initialised from `seed`. Models with the same layers start from the same weights
 * in a seed, so Model 1 and Model 2 differ only in their learning rate, as do Models 3, 4 and 5.
 */
export function buildNetwork(spec: ModelSpec, config: StudyConfig, seed: number): ANN {
  return new ANN(2, layerSizes(spec, config), { rng: new Random(seed) });
}

/** One model trained on one seed. */
export interface RunResult {
  model: ModelId;
  seed: number;
  /** The untrained network, on both sets (as if epoch 0). */
  start: { train: Evaluation; test: Evaluation };
  /** One row per epoch trained; shorter than `config.epochs` only when the run diverged. */
  history: HistoryRow[];
  /** Why training stopped early: the numbers blew up (NaN or Infinity). `null` for a run that finished. */
  diverged: string | null;
}

/**
 * Trains `spec` on `seed`'s data for `config.epochs` epochs. A run whose numbers blow up is not an error:
 * it stops and says so in `diverged`, keeping the epochs it completed. Returns the trained network too
 * (for pictures of its decision boundary).
 */
export function runModel(
  spec: ModelSpec,
  config: StudyConfig,
  seed: number,
  onEpoch?: (row: HistoryRow) => void,
): { result: RunResult; network: ANN } {
  const data = studyData(config, seed);
  const network = buildNetwork(spec, config, seed);
  const start = { train: evaluate(network, data.train), test: evaluate(network, data.test) };
  const { history, diverged } = untilDiverged(
    (record) => train(network, { ...data, epochs: config.epochs, lr: spec.lr, onEpoch: record }),
    onEpoch,
  );
  return { result: { model: spec.id, seed, start, history, diverged }, network };
}

/**
 * Runs a training loop, `run(record)`, whose onEpoch is `record`: it keeps every epoch's row (and passes it on to
 * `onEpoch`), and stops the loop when the loss stops being a number. The rows, and why the run diverged (null if it
 * did not).
 */
export function untilDiverged(
  run: (record: (row: HistoryRow) => void) => void,
  onEpoch?: (row: HistoryRow) => void,
): { history: HistoryRow[]; diverged: string | null } {
  const history: HistoryRow[] = [];
  try {
    run((row) => {
      if (!Number.isFinite(row.trainLoss) || !Number.isFinite(row.testLoss)) {
        throw new RangeError(`the loss became ${row.trainLoss} at epoch ${row.epoch}`);
      }
      history.push(row);
      onEpoch?.(row);
    });
  } catch (error) {
    // The engine refuses NaN and Infinity: that is divergence. Anything else is a real bug and goes on up.
    if (!(error instanceof RangeError && /NaN|Infinity|finite/.test(error.message))) throw error;
    return { history, diverged: `diverged after ${history.length} epochs: ${error.message}` };
  }
  return { history, diverged: null };
}

// The claims ----------------------------------------------------------------------------------------------

/** Every model's run in one seed. */
export type SeedRuns = Record<ModelId, RunResult>;

export type Unit = "points" | "percent" | "loss" | "epoch" | "updates";

/** One measured number of a claim, in one seed. */
export interface Measurement {
  label: string;
  /** How to show it: accuracy differences in percentage points, shares in percent, raw losses, epochs, updates. */
  unit: Unit;
  value: number;
}

/** One part of a claim's rule, like "faster" in "faster but noisier", in one seed. */
export interface Check {
  label: string;
  holds: boolean;
}

/** A claim about the runs of one seed (`Runs`): what is measured, and the parts of its rule. */
export interface ClaimOf<Runs> {
  id: string;
  /** The claim, in words: what the notebook says (lesson 10), or what lesson 15 expects of the modern way. */
  notebook: string;
  /** The test applied in each seed, in words (the code in `measure` is the same test). */
  rule: string;
  /** The measurements and the parts of the rule (the claim holds when every part does); none if a run diverged. */
  measure(runs: Runs, config: StudyConfig): { measurements: Measurement[]; checks: Check[] };
}

/** One of the notebook's claims, about lesson 10's runs of one seed. */
export type ClaimSpec = ClaimOf<SeedRuns>;

/** The number of final epochs averaged for "where the run ended", and the early checkpoint: a tenth of the run. */
export function tenth(config: StudyConfig): number {
  return Math.max(1, Math.ceil(config.epochs / 10));
}

// The measures the claims are made of, shared with lesson 15's claims about the modern way.

/** What a claim measures when a run it needs diverged: nothing, so it does not hold. */
export const NOTHING_MEASURED: { measurements: Measurement[]; checks: Check[] } = { measurements: [], checks: [] };
/** Oscillation: a run whose test accuracy falls back by 4 points in total (two test points' worth) oscillates. */
export const OSCILLATION = 0.04;

const testAccuracies = (run: RunResult) => run.history.map((row) => row.testAccuracy);
const trainLosses = (run: RunResult) => run.history.map((row) => row.trainLoss);
/** No run diverged, and each has epochs to measure. */
export const finished = (...runs: RunResult[]) => runs.every((run) => run.diverged === null && run.history.length > 0);
/** Test accuracy at the end of the run: the mean over its last tenth. */
export const finalAccuracy = (run: RunResult, config: StudyConfig) => tailMean(testAccuracies(run), tenth(config));
/** Oscillation: how much test accuracy was lost in the epochs where it fell, added up. */
export const wobble = (run: RunResult) => setbacks(testAccuracies(run), "higher");
/** The training loss at the early checkpoint (the end of the first tenth of the run). */
const earlyTrainLoss = (run: RunResult, config: StudyConfig) =>
  run.history[Math.min(tenth(config), run.history.length) - 1].trainLoss;

/**
 * Model 4's rule: over the whole run, the training loss falls by less than 5 % of the untrained network's, and the
 * test accuracy moves by less than 5 points.
 */
export function barelyLearns(run: RunResult): { measurements: Measurement[]; checks: Check[] } {
  if (!finished(run)) return NOTHING_MEASURED;
  const fall = (run.start.train.loss - (trainLosses(run).at(-1) ?? Number.NaN)) / run.start.train.loss;
  const accuracyChange = (testAccuracies(run).at(-1) ?? Number.NaN) - run.start.test.accuracy;
  return {
    measurements: [
      { label: "fall of the training loss", unit: "percent", value: fall },
      { label: "change of test accuracy", unit: "points", value: accuracyChange },
    ],
    checks: [
      { label: "loss barely falls", holds: fall < 0.05 },
      { label: "accuracy barely moves", holds: Math.abs(accuracyChange) < 0.05 },
    ],
  };
}

/** The notebook's five claims. A diverged run never counts as holding. */
export const CLAIMS: ClaimSpec[] = [
  {
    id: "claim1",
    notebook: "Model 1 (one hidden layer, lr 0.01) learns, with oscillation.",
    rule:
      "Model 1's test accuracy at the end of the run (the mean over its last tenth of epochs) is at least 10 " +
      "points above the untrained network's, and its test accuracy falls back by at least 4 points in total over the run " +
      "(setbacks).",
    measure(runs, config) {
      const m1 = runs.model1;
      if (!finished(m1)) return NOTHING_MEASURED;
      const gain = finalAccuracy(m1, config) - m1.start.test.accuracy;
      const wobble1 = wobble(m1);
      return {
        measurements: [
          { label: "test-accuracy gain over the untrained network", unit: "points", value: gain },
          { label: "test-accuracy setbacks", unit: "points", value: wobble1 },
        ],
        checks: [
          { label: "learns", holds: gain >= 0.1 },
          { label: "oscillates", holds: wobble1 >= OSCILLATION },
        ],
      };
    },
  },
  {
    id: "claim2",
    notebook: "Model 2 (lr 0.1) learns faster than Model 1 (lr 0.01), but more noisily.",
    rule:
      "Model 2's training loss at the end of the first tenth of the epochs is below Model 1's (faster), and " +
      "its test-accuracy setbacks are larger than Model 1's (noisier).",
    measure(runs, config) {
      const { model1: m1, model2: m2 } = runs;
      if (!finished(m1, m2)) return NOTHING_MEASURED;
      const early1 = earlyTrainLoss(m1, config);
      const early2 = earlyTrainLoss(m2, config);
      const extraWobble = wobble(m2) - wobble(m1);
      return {
        measurements: [
          { label: "early training loss, Model 1", unit: "loss", value: early1 },
          { label: "early training loss, Model 2", unit: "loss", value: early2 },
          { label: "test-accuracy setbacks, Model 2 minus Model 1", unit: "points", value: extraWobble },
        ],
        checks: [
          { label: "faster", holds: early2 < early1 },
          { label: "noisier", holds: extraWobble > 0 },
        ],
      };
    },
  },
  {
    id: "claim3",
    notebook: "Model 3 (two hidden layers, lr 0.01) is smoother and more accurate than Model 1 (one layer).",
    rule:
      "Model 3's test accuracy at the end of the run is above Model 1's (more accurate) and its test-accuracy setbacks are " +
      "smaller than Model 1's (smoother).",
    measure(runs, config) {
      const { model1: m1, model3: m3 } = runs;
      if (!finished(m1, m3)) return NOTHING_MEASURED;
      const accuracyGain = finalAccuracy(m3, config) - finalAccuracy(m1, config);
      const lessWobble = wobble(m1) - wobble(m3);
      return {
        measurements: [
          { label: "test accuracy at the end, Model 3 minus Model 1", unit: "points", value: accuracyGain },
          { label: "test-accuracy setbacks, Model 1 minus Model 3", unit: "points", value: lessWobble },
        ],
        checks: [
          { label: "more accurate", holds: accuracyGain > 0 },
          { label: "smoother", holds: lessWobble > 0 },
        ],
      };
    },
  },
  {
    id: "claim4",
    notebook: "Model 4 (lr 0.000001) barely learns.",
    rule:
      "Model 4's training loss falls by less than 5 % of the untrained network's over the whole run, and its " +
      "test accuracy moves by less than 5 points.",
    measure: (runs) => barelyLearns(runs.model4),
  },
  {
    id: "claim5",
    notebook: "Model 5 (two hidden layers, lr 0.1) overfits.",
    rule:
      "Model 5's test loss ends (mean of the last tenth) at least 10 % above its lowest value, while its " +
      "training loss ends below where it was at that lowest test-loss epoch.",
    measure(runs, config) {
      const m5 = runs.model5;
      if (!finished(m5)) return NOTHING_MEASURED;
      const lowest: LowestTestLoss = lowestTestLoss(m5.history, tenth(config));
      const trainAtBest = m5.history[lowest.epoch - 1].trainLoss;
      const trainFall = trainAtBest - tailMean(trainLosses(m5), tenth(config));
      return {
        measurements: [
          { label: "epoch of the lowest test loss", unit: "epoch", value: lowest.epoch },
          { label: "rise of the test loss after its lowest", unit: "percent", value: lowest.relativeRise },
          { label: "fall of the training loss after that epoch", unit: "loss", value: trainFall },
        ],
        checks: [
          { label: "test loss rises", holds: lowest.relativeRise >= 0.1 },
          { label: "training loss keeps falling", holds: trainFall > 0 },
        ],
      };
    },
  },
];

export type Verdict = "reproduced" | "mixed" | "not reproduced";

/** Reproduced when a claim holds in at least 80 % of the seeds, mixed from 40 %, not reproduced below. */
export function verdictFor(holdsIn: number, seeds: number): Verdict {
  const share = holdsIn / seeds;
  if (share >= 0.8) return "reproduced";
  if (share >= 0.4) return "mixed";
  return "not reproduced";
}

export interface ClaimResult {
  id: string;
  notebook: string;
  rule: string;
  /** Each measurement across the seeds that finished. */
  measurements: { label: string; unit: Unit; perSeed: number[]; mean: number; sd: number }[];
  /** Each part of the rule and the number of seeds in which it holds. */
  checks: { label: string; holdsIn: number }[];
  /** Seeds in which the whole rule holds. */
  holdsIn: number;
  seeds: number;
  /** Seeds in which a run the claim needs diverged. */
  divergedIn: number;
  verdict: Verdict;
}

/** Measures every claim in every seed and gives each its verdict. */
export function evaluateClaims(bySeed: SeedRuns[], config: StudyConfig): ClaimResult[] {
  return judgeClaims(CLAIMS, bySeed, config);
}

/**
 * Measures each of `claims` in every seed of `bySeed` and gives each its verdict by `verdictFor`. A measurement a
 * seed could not make (NaN, like the updates to a mark never reached) is left out of its mean; its checks say why.
 */
export function judgeClaims<Runs>(claims: ClaimOf<Runs>[], bySeed: Runs[], config: StudyConfig): ClaimResult[] {
  return claims.map((claim) => {
    const outcomes = bySeed.map((runs) => claim.measure(runs, config));
    // A diverged run gives no checks, and an empty list of checks never holds.
    const holdsIn = outcomes.filter((o) => o.checks.length > 0 && o.checks.every((c) => c.holds)).length;
    const measured = outcomes.filter((o) => o.measurements.length > 0);
    const first = measured[0];
    return {
      id: claim.id,
      notebook: claim.notebook,
      rule: claim.rule,
      measurements: (first?.measurements ?? []).map((m, i) => {
        const perSeed = measured.map((o) => o.measurements[i].value).filter((value) => !Number.isNaN(value));
        const summary = perSeed.length > 0 ? meanSd(perSeed) : { mean: Number.NaN, sd: Number.NaN };
        return { label: m.label, unit: m.unit, perSeed, ...summary };
      }),
      checks: (first?.checks ?? []).map((c, i) => ({
        label: c.label,
        holdsIn: measured.filter((o) => o.checks[i].holds).length,
      })),
      holdsIn,
      seeds: bySeed.length,
      divergedIn: outcomes.length - measured.length,
      verdict: verdictFor(holdsIn, bySeed.length),
    };
  });
}
