/**
 * The figures of lesson 17: vega-lite for the curves, the start and the confusion matrix (rendered by plots.ts's
 * `renderSvg`, in the style of the other lessons), picture grids (picture-grid.ts) for the misclassified digits and the
 * first layer's weights.
 */
import type { TopLevelSpec } from "vega-lite";
import type { DigitHistoryRow } from "../../solutions/digits";
import { type GridPicture, pictureGridSvg } from "./picture-grid";
import { CONFIG, round } from "./plots";
import { inkPng, signedPng } from "./png";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const SET_COLORS = { domain: ["train", "test"], range: ["#1f77b4", "#d62728"] };
const INIT_COLORS = { domain: ["uniform(−1, 1)", "scaled (Xavier)"], range: ["#7f7f7f", "#d62728"] };

/** Loss and accuracy after every epoch, training and test, one line per seed. */
export function curvesSpec(runs: { seed: number; history: DigitHistoryRow[] }[]): TopLevelSpec {
  const values = runs.flatMap(({ seed, history }) =>
    history.flatMap((row) => [
      { metric: "loss", set: "train", seed: `seed ${seed}`, epoch: row.epoch, value: round(row.trainLoss) },
      { metric: "loss", set: "test", seed: `seed ${seed}`, epoch: row.epoch, value: round(row.testLoss) },
      { metric: "accuracy", set: "train", seed: `seed ${seed}`, epoch: row.epoch, value: round(row.trainAccuracy) },
      { metric: "accuracy", set: "test", seed: `seed ${seed}`, epoch: row.epoch, value: round(row.testAccuracy) },
    ]),
  );
  const panel = (metric: string, title: string, scale: object) => ({
    title: { text: title, fontSize: 12 },
    width: 300,
    height: 200,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: "line" as const, point: { size: 12 }, strokeWidth: 1.5, clip: true },
    encoding: {
      x: { field: "epoch", type: "quantitative" as const, title: "epoch", axis: { tickMinStep: 1 } },
      y: { field: "value", type: "quantitative" as const, title: metric, scale },
      color: { field: "set", type: "nominal" as const, title: "set", scale: SET_COLORS, sort: SET_COLORS.domain },
      detail: { field: "seed", type: "nominal" as const },
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: "Loss and accuracy after every epoch, one line per seed (training: as it trained)" },
    data: { values },
    hconcat: [panel("loss", "cross-entropy", { zero: true }), panel("accuracy", "accuracy", { domain: [0.85, 1] })],
    config: CONFIG,
  } as TopLevelSpec;
}

export interface StartPicture {
  /** Per start: the share of the first layer's outputs in each of the bins over [−1, 1]. */
  histograms: { init: string; shares: number[] }[];
  /** Per start: the test accuracy after each of the first epochs. */
  curves: { init: string; accuracies: number[] }[];
}

/** The first layer's outputs at the start, as a histogram, and the test accuracy of the first epochs, per start. */
export function startSpec({ histograms, curves }: StartPicture): TopLevelSpec {
  const bins = histograms[0].shares.length;
  const bars = histograms.flatMap(({ init, shares }) =>
    shares.map((share, b) => ({
      init,
      from: round(-1 + (2 * b) / bins),
      to: round(-1 + (2 * (b + 1)) / bins),
      share: round(share),
    })),
  );
  const lines = curves.flatMap(({ init, accuracies }) =>
    accuracies.map((accuracy, i) => ({ init, epoch: i + 1, accuracy: round(accuracy) })),
  );
  const color = {
    field: "init",
    type: "nominal" as const,
    title: "start",
    scale: INIT_COLORS,
    sort: INIT_COLORS.domain,
  };
  return {
    $schema: SCHEMA,
    title: { text: "The start: what the hidden units answer before training, and what the first epochs learn" },
    hconcat: [
      {
        title: { text: "tanh(x · W1 + b1) on the test digits, before training", fontSize: 12 },
        width: 300,
        height: 200,
        data: { values: bars },
        mark: { type: "rect", opacity: 0.6 },
        encoding: {
          x: { field: "from", type: "quantitative", title: "hidden unit's output", scale: { domain: [-1, 1] } },
          x2: { field: "to" },
          y: { field: "share", type: "quantitative", title: "share of all outputs", stack: null },
          color,
        },
      },
      {
        title: { text: "test accuracy after each epoch, seed 1", fontSize: 12 },
        width: 200,
        height: 200,
        data: { values: lines },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
          y: { field: "accuracy", type: "quantitative", title: "test accuracy", scale: { domain: [0, 1] } },
          color,
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

/** counts[true][predicted] as a heat map, the count written in every cell that is not 0. */
export function confusionSpec(counts: number[][], title: string): TopLevelSpec {
  const values = counts.flatMap((row, truth) =>
    row.map((count, predicted) => ({ truth, predicted, count, right: truth === predicted })),
  );
  const axis = (field: string, name: string) => ({
    field,
    type: "ordinal" as const,
    title: name,
    axis: { labelAngle: 0 },
  });
  return {
    $schema: SCHEMA,
    title: { text: title },
    data: { values },
    width: 320,
    height: 320,
    encoding: { x: axis("predicted", "predicted digit"), y: axis("truth", "true digit") },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: {
            condition: { test: "datum.right", value: "#e8e8e8" },
            field: "count",
            type: "quantitative",
            title: "mistakes",
            scale: { scheme: "reds", type: "sqrt" },
          },
        },
      },
      {
        transform: [{ filter: "datum.count > 0" }],
        mark: { type: "text", fontSize: 10 },
        encoding: { text: { field: "count", type: "quantitative" } },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

/** The misclassified digits, "true → predicted" under each. */
export function misclassifiedSvg(
  images: { pixels: ArrayLike<number>; truth: number; predicted: number }[],
  title: string,
): string {
  const pictures: GridPicture[] = images.map(({ pixels, truth, predicted }) => ({
    url: inkPng(
      Array.from(pixels, (byte) => byte / 255),
      28,
    ),
    caption: `${truth} → ${predicted}`,
  }));
  return pictureGridSvg(pictures, { title, columns: 10, side: 56, captionHeight: 16 });
}

/** Each hidden unit's 784 weights as a 28 × 28 picture, red positive, blue negative, each unit on its own scale. */
export function weightsSvg(firstLayer: ArrayLike<number>, units: number, title: string): string {
  const pictures: GridPicture[] = Array.from({ length: units }, (_, unit) => {
    const weights = Array.from({ length: 784 }, (_, pixel) => firstLayer[pixel * units + unit]);
    const scale = Math.max(...weights.map(Math.abs));
    return { url: signedPng(weights, 28, scale), caption: `unit ${unit + 1}` };
  });
  return pictureGridSvg(pictures, { title, columns: 16, side: 42, captionHeight: 0 });
}
