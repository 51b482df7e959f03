/**
 * Provided: you do not need to edit this file, but do read it.
 *
 * The measured comparisons of lessons 12 and 13, written down once for `npm run measure`, its tests and the
 * lesson texts. The configurations were fixed before the results below them were generated.
 *   - Lesson 12, oscillation: the training loss after every update, for per-example SGD in order and shuffled
 *     and for mini-batches of 8 and 32, all from the same network.
 *   - Lesson 13, the race: SGD, SGD with momentum, RMSprop and Adam train the same network on the same data;
 *     after every update the test accuracy is measured, and the first update at 95 % or more is recorded.
 *
 * Lessons 12 and 13.
 */
import { batchStep, miniBatches, type Updater } from "./batches";
import { type Dataset, makeMoons, toSigned, trainTestSplit } from "./data";
import type { Value } from "./engine";
import { meanSeLoss } from "./loss";
import { ANN } from "./nn";
import { Adam, RMSprop, SGD } from "./optim";
import { Random } from "./random";
import { evaluate } from "./train";

/** The two moons of a seed, targets -1/+1, split into training and test sets. */
export function moonsSplit(n: number, noise: number, seed: number): { train: Dataset; test: Dataset } {
  const moons = makeMoons(n, { noise, seed });
  return trainTestSplit({ x: moons.x, y: toSigned(moons.y) }, { seed });
}

/** The mean squared error of `model` over every example of `data` (a forward pass only). */
export function meanLoss(model: ANN, data: Dataset): number {
  return meanSeLoss(
    data.x.map((x) => model.forward(x)[0]),
    data.y,
  ).data;
}

// Lesson 12: oscillation ----------------------------------------------------------------------------------

export interface OscillationConfig {
  /** Points in the two moons, their noise, and the seed of the data, the split, the weights and the shuffles. */
  n: number;
  noise: number;
  seed: number;
  /** Hidden layer sizes: lesson 10's Model 2 has one layer of 8. */
  hidden: number[];
  lr: number;
  epochs: number;
}

/** Lesson 10's Model 2 on lesson 10's first seed: the model whose per-epoch curves showed the most wobble. */
export const OSCILLATION_CONFIG: OscillationConfig = { n: 200, noise: 0.2, seed: 1, hidden: [8], lr: 0.1, epochs: 3 };

export interface OscillationSpec {
  /** "per example, in order" */
  name: string;
  batchSize: number;
  shuffle: boolean;
}

/** The four ways of going through the data that lesson 12 compares. */
export const OSCILLATION_RUNS: OscillationSpec[] = [
  { name: "per example, in order", batchSize: 1, shuffle: false },
  { name: "per example, shuffled", batchSize: 1, shuffle: true },
  { name: "batches of 8, shuffled", batchSize: 8, shuffle: true },
  { name: "batches of 32, shuffled", batchSize: 32, shuffle: true },
];

/** One point of an oscillation curve: the training loss after an update. */
export interface LossPoint {
  /** How far into training, in epochs: the examples learned from so far over the size of the training set. */
  epoch: number;
  /** The mean squared error over the whole training set after the update. */
  loss: number;
}

/**
 * Trains a fresh network the way `spec` says and measures the whole training set's loss before training and
 * after every update. Every spec starts from the same weights; the shuffles use their own seeded generator.
 */
export function oscillationRun(spec: OscillationSpec, config: OscillationConfig): LossPoint[] {
  const { train } = moonsSplit(config.n, config.noise, config.seed);
  const model = new ANN(2, [...config.hidden, 1], { rng: new Random(config.seed) });
  const optimizer: Updater = { zeroGrad: () => model.zeroGrad(), step: () => model.update(config.lr) };
  const rng = spec.shuffle ? new Random(config.seed) : undefined;
  const points: LossPoint[] = [{ epoch: 0, loss: meanLoss(model, train) }];
  let seen = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const batch of miniBatches(train.x.length, spec.batchSize, rng)) {
      batchStep(model, train, batch, optimizer);
      seen += batch.length;
      points.push({ epoch: seen / train.x.length, loss: meanLoss(model, train) });
    }
  }
  return points;
}

// Lesson 13: the race ---------------------------------------------------------------------------------------

export interface RaceConfig {
  n: number;
  noise: number;
  hidden: number[];
  batchSize: number;
  /** The finish line: a test accuracy of at least this much. */
  target: number;
  /** Every run stops after this many updates, at the finish line or not. */
  maxUpdates: number;
  /** One race per seed; the seed picks the data, the split, the initial weights and the shuffles. */
  seeds: number[];
}

/**
 * Two moons of 200 points with noise 0.1 (at lesson 10's 0.2, even its best model ends below 95 % test
 * accuracy, so there would be no finish line to reach), two hidden layers of 8, mini-batches of 16, shuffled.
 */
export const RACE_CONFIG: RaceConfig = {
  n: 200,
  noise: 0.1,
  hidden: [8, 8],
  batchSize: 16,
  target: 0.95,
  maxUpdates: 300,
  seeds: [1, 2, 3, 4, 5],
};

export interface Racer {
  id: "sgd" | "momentum" | "rmsprop" | "adam";
  /** "SGD, lr 0.1" */
  name: string;
  make(params: Value[]): Updater;
}

/**
 * The four optimizers, each with a usual starting point for its learning rate: 0.1 for SGD (lesson 10's larger
 * rate); 0.01 with momentum 0.9, whose steps build up to about 0.01 / (1 − 0.9) = 0.1 times the gradient on a
 * steady slope; PyTorch's default 0.01 for RMSprop; and 0.01 for Adam, ten times PyTorch's default, as is
 * usual for small networks.
 */
export const RACERS: Racer[] = [
  { id: "sgd", name: "SGD, lr 0.1", make: (params) => new SGD(params, { lr: 0.1 }) },
  {
    id: "momentum",
    name: "SGD with momentum 0.9, lr 0.01",
    make: (params) => new SGD(params, { lr: 0.01, momentum: 0.9 }),
  },
  { id: "rmsprop", name: "RMSprop, lr 0.01", make: (params) => new RMSprop(params, { lr: 0.01 }) },
  { id: "adam", name: "Adam, lr 0.01", make: (params) => new Adam(params, { lr: 0.01 }) },
];

export interface RaceResult {
  racer: Racer["id"];
  seed: number;
  /** The test accuracy before training (index 0) and after every update. */
  accuracies: number[];
  /** The first update after which the test accuracy reached the target, or null if no update did. */
  reachedAt: number | null;
}

/** One optimizer trained on one seed's data for `config.maxUpdates` updates, measured after every update. */
export function race(racer: Racer, config: RaceConfig, seed: number): RaceResult {
  const { train, test } = moonsSplit(config.n, config.noise, seed);
  const model = new ANN(2, [...config.hidden, 1], { rng: new Random(seed) });
  const optimizer = racer.make(model.parameters());
  const rng = new Random(seed);
  const accuracies = [evaluate(model, test).accuracy];
  while (accuracies.length <= config.maxUpdates) {
    for (const batch of miniBatches(train.x.length, config.batchSize, rng)) {
      if (accuracies.length > config.maxUpdates) break;
      batchStep(model, train, batch, optimizer);
      accuracies.push(evaluate(model, test).accuracy);
    }
  }
  const reached = accuracies.findIndex((accuracy, update) => update > 0 && accuracy >= config.target);
  return { racer: racer.id, seed, accuracies, reachedAt: reached < 0 ? null : reached };
}
