/**
 * Provided: you do not need to edit this file, but do read it.
 *
 * Lesson 15's study: the notebook's five models again, on lesson 10's data, seeds and initial weights, each trained
 * two ways.
 *   - The notebook's way: lesson 10's runs themselves (the scalar engine, per-example SGD in a fixed order, squared
 *     error on targets ±1), as `npm run experiments` wrote them into lesson 10's results.json.
 *   - The modern way (`runModern`): lesson 14's tensor engine, mini-batches of 32 shuffled every epoch (lesson 12),
 *     cross-entropy from the logit on labels 0/1 (lesson 11) and Adam (lesson 13) at the model's own learning rate,
 *     for the same 50 epochs.
 * The recipe, the five claims and their rules below were written down and committed before the first run of the
 * study. Nothing here was changed after a result was seen.
 *
 * Lesson 15.
 */
import { type Dataset, makeMoons, trainTestSplit } from "./data";
import { evaluateModern, trainModern } from "./modern-training";
import { Adam } from "./optim";
import { Random } from "./random";
import {
  barelyLearns,
  type ClaimOf,
  type ClaimResult,
  finalAccuracy,
  finished,
  judgeClaims,
  layerSizes,
  type ModelId,
  type ModelSpec,
  NOTHING_MEASURED,
  OSCILLATION,
  type RunResult,
  type SeedRuns,
  STUDY_CONFIG,
  type StudyConfig,
  untilDiverged,
  wobble,
} from "./study";
import { entries, MLP } from "./tensor-nn";
import type { HistoryRow } from "./train";

/** The modern way's choices. The learning rate is each model's own: it is what tells the five models apart. */
export const MODERN_RECIPE = {
  /** Examples per update: 150 training examples make 5 updates an epoch (four of 32 and one of 22). */
  batchSize: 32,
  optimizer: "Adam (PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8) at the model's learning rate",
  loss: "cross-entropy from the logit, labels 0 and 1",
} as const;

/** A seed's data with makeMoons' labels 0/1: the same points and the same split as lesson 10's `studyData`. */
export function modernData(config: StudyConfig, seed: number): { train: Dataset; test: Dataset } {
  const moons = makeMoons(config.n, { noise: config.noise, seed });
  return trainTestSplit(moons, { testFraction: config.testFraction, seed });
}

/** One model trained the modern way on one seed: lesson 10's `RunResult`, with a measurement after every update. */
export interface ModernRunResult extends RunResult {
  /** The test accuracy before training (index 0) and after every update. */
  testAccuracyByUpdate: number[];
}

/**
 * Trains `spec` the modern way on `seed`'s data for `config.epochs` epochs, from the initial weights lesson 10's
 * network had in that seed (an MLP built from the same seed is the same network). The test accuracy is measured
 * after every update too. A run whose loss stops being a number stops and says so in `diverged`.
 */
export function runModern(
  spec: ModelSpec,
  config: StudyConfig,
  seed: number,
  onEpoch?: (row: HistoryRow) => void,
): { result: ModernRunResult; network: MLP } {
  const data = modernData(config, seed);
  const network = new MLP(2, layerSizes(spec, config), { rng: new Random(seed) });
  const start = { train: evaluateModern(network, data.train), test: evaluateModern(network, data.test) };
  const testAccuracyByUpdate = [start.test.accuracy];
  const { history, diverged } = untilDiverged(
    (record) =>
      trainModern(network, {
        ...data,
        epochs: config.epochs,
        batchSize: MODERN_RECIPE.batchSize,
        optimizer: new Adam(entries(network.parameters()), { lr: spec.lr }),
        rng: new Random(seed),
        onUpdate: () => testAccuracyByUpdate.push(evaluateModern(network, data.test).accuracy),
        onEpoch: record,
      }),
    onEpoch,
  );
  return { result: { model: spec.id, seed, start, history, diverged, testAccuracyByUpdate }, network };
}

// The claims --------------------------------------------------------------------------------------------------

/** Both ways of one seed: lesson 10's runs (the notebook's way) and lesson 15's (the modern way). */
export interface BothWays {
  notebook: SeedRuns;
  modern: Record<ModelId, ModernRunResult>;
}

/** The models that learn in lesson 10 (Model 4's learning rate is too small to learn anything either way). */
const LEARNERS: ModelId[] = ["model1", "model2", "model3", "model5"];
const NAMES: Record<ModelId, string> = {
  model1: "Model 1",
  model2: "Model 2",
  model3: "Model 3",
  model4: "Model 4",
  model5: "Model 5",
};
/** Accuracies compared with a mean of accuracies are equal up to this rounding. */
const ROUNDING = 1e-9;

/** The notebook's updates in a run: one per training example per epoch (per-example SGD). */
export function notebookUpdates(config: StudyConfig): number {
  return config.epochs * (config.n - Math.ceil(config.testFraction * config.n));
}

/** The modern way's updates in a run: one per mini-batch per epoch. */
export function modernUpdates(config: StudyConfig): number {
  const trainSize = config.n - Math.ceil(config.testFraction * config.n);
  return config.epochs * Math.ceil(trainSize / MODERN_RECIPE.batchSize);
}

/** The first update after which `accuracies` (index 0: before training) reached `mark`, or null if none did. */
export function updatesToReach(accuracies: number[], mark: number): number | null {
  const update = accuracies.findIndex((accuracy, i) => i > 0 && accuracy >= mark - ROUNDING);
  return update < 0 ? null : update;
}

/** The five claims about the modern way, stated before the first run. A diverged run never counts as holding. */
export const MODERN_CLAIMS: ClaimOf<BothWays>[] = [
  {
    id: "stable",
    notebook: "Adam and cross-entropy make Model 2 and Model 5 (lr 0.1) stable.",
    rule:
      "Trained the modern way, Model 2 and Model 5 each end (the mean over the last tenth of epochs) at least 10 " +
      "points of test accuracy above the untrained network (they learn), and their test accuracy, measured once per " +
      "epoch, falls back by less than 4 points in total (lesson 10's threshold for oscillation: they do not bounce).",
    measure({ modern }, config) {
      const runs = [modern.model2, modern.model5];
      if (!finished(...runs)) return NOTHING_MEASURED;
      const gains = runs.map((run) => finalAccuracy(run, config) - run.start.test.accuracy);
      const wobbles = runs.map(wobble);
      return {
        measurements: [
          { label: "Model 2's gain over the untrained network", unit: "points", value: gains[0] },
          { label: "Model 5's gain", unit: "points", value: gains[1] },
          { label: "Model 2's test-accuracy setbacks", unit: "points", value: wobbles[0] },
          { label: "Model 5's setbacks", unit: "points", value: wobbles[1] },
        ],
        checks: [
          { label: "Model 2 learns", holds: gains[0] >= 0.1 },
          { label: "Model 5 learns", holds: gains[1] >= 0.1 },
          { label: "Model 2 steady", holds: wobbles[0] < OSCILLATION },
          { label: "Model 5 steady", holds: wobbles[1] < OSCILLATION },
        ],
      };
    },
  },
  {
    id: "no-oscillation",
    notebook: "Mini-batches remove the oscillation.",
    rule:
      "Trained the modern way, every one of the five models has test-accuracy setbacks, measured once per epoch as " +
      "lesson 10 measured them, below 4 points.",
    measure({ modern }) {
      const runs = Object.values(modern);
      if (!finished(...runs)) return NOTHING_MEASURED;
      return {
        measurements: Object.entries(modern).map(([id, run]) => ({
          label: `${NAMES[id as ModelId]}'s setbacks`,
          unit: "points" as const,
          value: wobble(run),
        })),
        checks: Object.entries(modern).map(([id, run]) => ({
          label: NAMES[id as ModelId],
          holds: wobble(run) < OSCILLATION,
        })),
      };
    },
  },
  {
    id: "tenth-of-updates",
    notebook: "The modern recipe reaches the notebook's final accuracy in a tenth of the updates.",
    rule:
      "For each of Models 1, 2, 3 and 5, the modern run's test accuracy, measured after every update, reaches the " +
      "notebook run's test accuracy at its end (same model and seed) within a tenth of the notebook run's updates " +
      `(${notebookUpdates(STUDY_CONFIG) / 10} of its ${notebookUpdates(STUDY_CONFIG)}). The modern run makes only ` +
      `${modernUpdates(STUDY_CONFIG)} updates in its ${STUDY_CONFIG.epochs} epochs, so this asks that it gets there ` +
      "at all; the measurements say after how many updates.",
    measure({ notebook, modern }, config) {
      if (!finished(...LEARNERS.flatMap((id) => [notebook[id], modern[id]]))) return NOTHING_MEASURED;
      const budget = notebookUpdates(config) / 10;
      const reached = LEARNERS.map((id) =>
        updatesToReach(modern[id].testAccuracyByUpdate, finalAccuracy(notebook[id], config)),
      );
      return {
        measurements: LEARNERS.map((id, i) => ({
          label: `${NAMES[id]}'s updates to the notebook's accuracy`,
          unit: "updates" as const,
          value: reached[i] ?? Number.NaN,
        })),
        checks: LEARNERS.map((id, i) => ({
          label: NAMES[id],
          holds: (reached[i] ?? Number.POSITIVE_INFINITY) <= budget,
        })),
      };
    },
  },
  {
    id: "tiny-rate",
    notebook: "Adam does not rescue Model 4: at lr 0.000001 it still barely learns.",
    rule:
      "Trained the modern way, Model 4's training loss falls by less than 5 % of the untrained network's over the " +
      "whole run, and its test accuracy moves by less than 5 points (lesson 10's rule for Model 4).",
    measure: ({ modern }) => barelyLearns(modern.model4),
  },
  {
    id: "as-accurate",
    notebook: "The modern recipe ends at least as accurate as the notebook's way, for every model that learns.",
    rule:
      "For each of Models 1, 2, 3 and 5, the modern run's test accuracy at the end (the mean over the last tenth of " +
      "epochs) is at least the notebook run's, same model and seed.",
    measure({ notebook, modern }, config) {
      if (!finished(...LEARNERS.flatMap((id) => [notebook[id], modern[id]]))) return NOTHING_MEASURED;
      const gains = LEARNERS.map((id) => finalAccuracy(modern[id], config) - finalAccuracy(notebook[id], config));
      return {
        measurements: LEARNERS.map((id, i) => ({
          label: `${NAMES[id]}, modern minus notebook`,
          unit: "points" as const,
          value: gains[i],
        })),
        checks: LEARNERS.map((id, i) => ({ label: NAMES[id], holds: gains[i] >= -ROUNDING })),
      };
    },
  },
];

/** Measures every claim about the modern way in every seed and gives each its verdict (lesson 10's rule). */
export function evaluateModernClaims(bySeed: BothWays[], config: StudyConfig): ClaimResult[] {
  return judgeClaims(MODERN_CLAIMS, bySeed, config);
}
