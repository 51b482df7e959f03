/**
 * Reading handwritten digits: a network that takes a 28 × 28 image (784 pixels) and gives ten logits, one per
 * digit, trained on MNIST with lesson 16's cross-entropy, lesson 12's shuffled mini-batches and an optimizer of
 * lesson 13 such as Adam, on lesson 14's tensors. The loop is lesson 15's, for ten classes:
 *
 *     const model = new MLP(784, [128, 10], { rng: new Random(seed) });
 *     scaledInit(model, new Random(seed));
 *     const optimizer = new Adam(entries(model.parameters()), { lr: 0.003 });
 *     trainDigits(model, { train, test, epochs: 12, batchSize: 64, seed, maxShift: 2, optimizer });
 *
 * `trainRecipe` (provided, at the end) does exactly that, and lowers the learning rate after every epoch.
 *
 * Lesson 17.
 */
import { miniBatches, type Updater } from "./batches";
import { CLASSES, type Digits, digitBatch, PIXELS } from "./mnist";
import { Adam } from "./optim";
import { Random } from "./random";
import { argmax, crossEntropy } from "./softmax";
import { Tensor } from "./tensor";
import { entries, MLP } from "./tensor-nn";
import type { Evaluation } from "./train";

/** A batch of images, one per row of `x`, and their labels: what `digitBatch` gives. */
export interface DigitBatch {
  x: Tensor;
  labels: number[];
}

/** What the loop trains: a batch of images in (one per row), a row of ten logits per image out. An `MLP` is one. */
export interface DigitModel {
  forward(x: Tensor): Tensor;
}

export interface DigitTrainingOptions {
  /** The digits to learn from. */
  train: Digits;
  /** Held-out digits, only evaluated. */
  test: Digits;
  epochs: number;
  /** Images per update. */
  batchSize: number;
  /** Shuffles the training digits anew every epoch, and draws their shifts, from one generator made with this seed. */
  seed: number;
  /**
   * Moves every training image by up to this many pixels in each direction, a new random amount every time it is
   * used (`digitBatch`'s shift); 0, the default, trains on the images as they are. The test images are never moved.
   */
  maxShift?: number;
  /** Makes the updates: `new Adam(entries(model.parameters()))`. */
  optimizer: Updater;
  /** Called with each history row as soon as its epoch is done. */
  onEpoch?: (row: DigitHistoryRow) => void;
}

/**
 * One epoch: the training loss and accuracy are the means over its images, each batch measured on its batch just before
 * that batch's update (measuring all the training digits again would cost a third of an epoch); the test ones are
 * measured on every test digit after the epoch.
 */
export interface DigitHistoryRow {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
}

/** How many images `evaluateDigits` and `predictDigits` put through the network at once. */
export const EVALUATION_BATCH = 500;

/**
 * Rescales a fresh network's start for its size (Xavier's, or Glorot's, uniform start): every weight of a layer with
 * `nin` inputs and `nout` outputs drawn uniformly from ±√(6 / (nin + nout)), every bias 0, layer after layer, each
 * weight matrix row after row.
 */
export function scaledInit(model: MLP, rng: Random): void {
  // BEGIN lesson-17
  for (const { weight, bias } of model.layers) {
    const limit = Math.sqrt(6 / (weight.rows + weight.cols));
    for (let i = 0; i < weight.size; i++) weight.data[i] = rng.uniform(-limit, limit);
    bias.data.fill(0);
  }
  // END lesson-17
}

/** How often each digit was read as each digit: entry [true][predicted] counts the images of `true` read as `predicted`. */
export function confusionMatrix(predicted: number[], labels: number[], classes = 10): number[][] {
  if (predicted.length !== labels.length) {
    throw new RangeError(`confusionMatrix: ${predicted.length} predictions for ${labels.length} labels.`);
  }
  // BEGIN lesson-17
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((label, i) => {
    counts[label][predicted[i]] += 1;
  });
  return counts;
  // END lesson-17
}

/** The predicted digit of every image of `digits`, in order: the argmax of its logits. */
export function predictDigits(model: DigitModel, digits: Digits): number[] {
  // BEGIN lesson-17
  const predicted: number[] = [];
  for (const chunk of miniBatches(digits.count, EVALUATION_BATCH)) {
    predicted.push(...argmax(model.forward(digitBatch(digits, chunk).x)));
  }
  return predicted;
  // END lesson-17
}

/**
 * The mean cross-entropy and the accuracy of `model` over every image of `digits`, EVALUATION_BATCH images at a time
 * (a batch of all 8,000 would be a 8000 × 784 tensor and all its intermediate results at once).
 */
export function evaluateDigits(model: DigitModel, digits: Digits): Evaluation {
  // BEGIN lesson-17
  let lossSum = 0;
  let right = 0;
  for (const chunk of miniBatches(digits.count, EVALUATION_BATCH)) {
    const { x, labels } = digitBatch(digits, chunk);
    const logits = model.forward(x);
    // crossEntropy is the chunk's mean: times its size, it is the chunk's share of the sum.
    lossSum += crossEntropy(logits, labels).item() * chunk.length;
    right += argmax(logits).filter((digit, i) => digit === labels[i]).length;
  }
  return { loss: lossSum / digits.count, accuracy: right / digits.count };
  // END lesson-17
}

/** One update on a batch of images (`digitBatch`'s). Returns its loss and accuracy, measured before the update. */
export function digitStep(model: DigitModel, { x, labels }: DigitBatch, optimizer: Updater): Evaluation {
  // BEGIN lesson-17
  optimizer.zeroGrad();
  const logits = model.forward(x);
  const loss = crossEntropy(logits, labels);
  loss.backward();
  optimizer.step();
  const right = argmax(logits).filter((digit, i) => digit === labels[i]).length;
  return { loss: loss.item(), accuracy: right / labels.length };
  // END lesson-17
}

/**
 * Trains `model` for `epochs` epochs, each a `digitStep` on every batch of `miniBatches`, shuffled by one generator
 * made from `seed` (which also draws the shifts, batch by batch, after the epoch's shuffle); then `evaluateDigits` on
 * the test digits. Returns one history row per epoch.
 */
export function trainDigits(model: DigitModel, options: DigitTrainingOptions): DigitHistoryRow[] {
  const { train, test, epochs, batchSize, seed, maxShift = 0, optimizer, onEpoch } = options;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(`trainDigits: epochs must be a whole number of 0 or more, got ${epochs}.`);
  }
  // BEGIN lesson-17
  const rng = new Random(seed);
  const history: DigitHistoryRow[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let lossSum = 0;
    let accuracySum = 0;
    for (const positions of miniBatches(train.count, batchSize, rng)) {
      const batch = digitBatch(train, positions, maxShift > 0 ? { rng, maxShift } : undefined);
      const measured = digitStep(model, batch, optimizer);
      lossSum += measured.loss * positions.length;
      accuracySum += measured.accuracy * positions.length;
    }
    const onTest = evaluateDigits(model, test);
    const row = {
      epoch,
      trainLoss: lossSum / train.count,
      trainAccuracy: accuracySum / train.count,
      testLoss: onTest.loss,
      testAccuracy: onTest.accuracy,
    };
    history.push(row);
    onEpoch?.(row);
  }
  return history;
  // END lesson-17
}

/** Lesson 17's recipe, what `npm run experiments -- --lesson 17` trains: the network, the optimizer, the data's use. */
export const MNIST_RECIPE = {
  /** The hidden layer's width: 784-128-10. */
  hidden: 128,
  /**
   * Adam's learning rate at the start (its other settings are PyTorch's defaults), lowered after every epoch along half
   * a cosine, to lr · ½ (1 + cos(π · epoch / epochs)): the last epochs take small steps and settle.
   */
  lr: 0.003,
  batchSize: 64,
  epochs: 12,
  /** Every training image moved by up to 2 pixels each way, anew every epoch. */
  maxShift: 2,
  seeds: [1, 2, 3],
  /** The median test accuracy of the seeds must reach this... */
  targetAccuracy: 0.96,
  /** ...within this many seconds of training per seed on the course's 2-core machine (not checked: timings vary). */
  targetSeconds: 60,
} as const;

/** How a network starts: lesson 05's uniform(−1, 1) for every weight and bias, or `scaledInit`'s. */
export type DigitInit = "uniform" | "scaled";

export interface RecipeRun {
  /** The trained network. */
  model: MLP;
  history: DigitHistoryRow[];
}

/** MNIST_RECIPE's network for `seed`, untrained, from the start `init`: what every run of that seed starts from. */
export function recipeModel(seed: number, init: DigitInit = "scaled"): MLP {
  const model = new MLP(PIXELS, [MNIST_RECIPE.hidden, CLASSES], { rng: new Random(seed) });
  if (init === "scaled") scaledInit(model, new Random(seed));
  return model;
}

/**
 * Trains `model` with `optimizer` the recipe's way, from the seed `seed` (the shuffles and the shifts): its batches and
 * shifts, `epochs` epochs (the recipe's by default), and the optimizer's learning rate lowered along the recipe's
 * cosine after every epoch. Lesson 18 trains its fast network this way, to compare it with `trainRecipe`'s.
 */
export function trainByRecipe(
  model: DigitModel,
  optimizer: Updater & { lr: number },
  seed: number,
  { train, test }: { train: Digits; test: Digits },
  { epochs = MNIST_RECIPE.epochs, onEpoch }: { epochs?: number; onEpoch?: (row: DigitHistoryRow) => void } = {},
): DigitHistoryRow[] {
  const { lr, batchSize, maxShift } = MNIST_RECIPE;
  return trainDigits(model, {
    train,
    test,
    epochs,
    batchSize,
    seed,
    maxShift,
    optimizer,
    onEpoch: (row) => {
      optimizer.lr = lr * 0.5 * (1 + Math.cos((Math.PI * row.epoch) / epochs));
      onEpoch?.(row);
    },
  });
}

/**
 * Trains MNIST_RECIPE's network from the start `init` with the seed `seed` (the weights, the shuffles and the shifts)
 * on `train`, measured on `test` after every epoch, with Adam; `epochs` defaults to the recipe's.
 */
export function trainRecipe(
  seed: number,
  data: { train: Digits; test: Digits },
  {
    init = "scaled",
    epochs,
    onEpoch,
  }: { init?: DigitInit; epochs?: number; onEpoch?: (row: DigitHistoryRow) => void } = {},
): RecipeRun {
  const model = recipeModel(seed, init);
  const optimizer = new Adam(entries(model.parameters()), { lr: MNIST_RECIPE.lr });
  return { model, history: trainByRecipe(model, optimizer, seed, data, { epochs, onEpoch }) };
}
