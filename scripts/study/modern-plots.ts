/**
 * The figures of lesson 15, as vega-lite specifications (rendered by plots.ts's `renderSvg`, in the style of lesson
 * 10's figures): the test accuracy of both ways per epoch, and against the number of updates.
 */
import type { TopLevelSpec } from "vega-lite";
import type { BothWays } from "../../solutions/modern-study";
import type { ModelSpec, RunResult } from "../../solutions/study";
import { CONFIG, round } from "./plots";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** The two ways of training, in the order the figures draw them, and their colours. */
const WAY_NAMES = ["notebook", "modern"] as const;
const WAYS = { domain: [...WAY_NAMES], range: ["#7f7f7f", "#d62728"] };

interface Point {
  model: string;
  way: (typeof WAY_NAMES)[number];
  /** "seed 3", or "mean" */
  line: string;
  x: number;
  accuracy: number;
}

/** Every seed's curve and their mean, for one model and one way; `xs[i]` is where the i-th measurement lies. */
function curves(model: string, way: Point["way"], series: number[][], xs: (i: number) => number, seeds: number[]) {
  const points: Point[] = series.flatMap((values, s) =>
    values.map((accuracy, i) => ({ model, way, line: `seed ${seeds[s]}`, x: xs(i), accuracy: round(accuracy) })),
  );
  const longest = Math.max(...series.map((values) => values.length));
  for (let i = 0; i < longest; i++) {
    const at = series.filter((values) => values.length > i).map((values) => values[i]);
    points.push({ model, way, line: "mean", x: xs(i), accuracy: round(at.reduce((s, v) => s + v, 0) / at.length) });
  }
  return points;
}

/** Thin lines for the seeds, a thick one for their mean, coloured by the way. */
function layers(x: object) {
  const y = { field: "accuracy", type: "quantitative" as const, title: "test accuracy", scale: { domain: [0.3, 1] } };
  const color = { field: "way", type: "nominal" as const, title: "way", scale: WAYS, sort: WAYS.domain };
  return [
    {
      transform: [{ filter: "datum.line !== 'mean'" }],
      mark: { type: "line" as const, strokeWidth: 1, opacity: 0.3, clip: true },
      encoding: { x, y, color, detail: { field: "line", type: "nominal" as const } },
    },
    {
      transform: [{ filter: "datum.line === 'mean'" }],
      mark: { type: "line" as const, strokeWidth: 2.5, clip: true },
      encoding: { x, y, color, detail: { field: "way", type: "nominal" as const } },
    },
  ];
}

const accuracies = (run: RunResult) => run.history.map((row) => row.testAccuracy);

/** One panel per model, three to a row, each drawing `layer` from its model's points. */
function panelPerModel(title: string, models: ModelSpec[], values: Point[], layer: object[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: { text: title },
    data: { values },
    facet: { field: "model", type: "nominal", title: null, sort: models.map((m) => m.name) },
    columns: 3,
    spec: { width: 200, height: 140, layer },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Test accuracy per epoch, both ways, one panel per model. */
export function byEpochSpec(models: ModelSpec[], bySeed: BothWays[]): TopLevelSpec {
  const seeds = bySeed.map((s) => s.modern[models[0].id].seed);
  const values = models.flatMap((spec) =>
    WAY_NAMES.flatMap((way) =>
      curves(
        spec.name,
        way,
        bySeed.map((s) => accuracies(s[way][spec.id])),
        (i) => i + 1,
        seeds,
      ),
    ),
  );
  return panelPerModel(
    "Test accuracy after every epoch: the notebook's way and the modern way",
    models,
    values,
    layers({ field: "x", type: "quantitative", title: "epoch" }),
  );
}

/**
 * The mean test accuracy over the seeds against the updates made so far, on a log scale, both ways, one panel per
 * model: the notebook's way measured after every epoch (`notebookPerEpoch` updates each), the modern way after every
 * update. The dashed rule is a tenth of the notebook's updates.
 */
export function byUpdateSpec(models: ModelSpec[], bySeed: BothWays[], notebookPerEpoch: number): TopLevelSpec {
  const seeds = bySeed.map((s) => s.modern[models[0].id].seed);
  const notebookTotal = notebookPerEpoch * bySeed[0].notebook[models[0].id].history.length;
  // The means alone: the per-epoch figure shows the seeds, and 250 updates × 25 runs of thin lines would make
  // this one a megabyte.
  const values = models.flatMap((spec) =>
    [
      ...curves(
        spec.name,
        "notebook",
        bySeed.map((s) => accuracies(s.notebook[spec.id])),
        (i) => (i + 1) * notebookPerEpoch,
        seeds,
      ),
      ...curves(
        spec.name,
        "modern",
        bySeed.map((s) => s.modern[spec.id].testAccuracyByUpdate.slice(1)),
        (i) => i + 1,
        seeds,
      ),
    ].filter((point) => point.line === "mean"),
  );
  const x = { field: "x", type: "quantitative", title: "updates (log scale)", scale: { type: "log" } };
  return panelPerModel(
    "Mean test accuracy against the updates made; the dashed line is a tenth of the notebook's updates",
    models,
    values,
    [
      ...layers(x),
      { mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { x: { datum: notebookTotal / 10 } } },
    ],
  );
}
