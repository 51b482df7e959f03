/**
 * The figures of lesson 10, as vega-lite specifications rendered to SVG in Node (no browser, no canvas); the
 * rendering and the style are shared with the figures of lessons 11-13 (measure-plots.ts).
 * Deterministic: the same data gives the same bytes (fixed fonts, no timestamps, rounded numbers).
 */
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";
import type { Dataset } from "../../solutions/data";
import type { ModelSpec, RunResult, SeedRuns } from "../../solutions/study";
import { CLASS_COLOURS, POINT_OUTLINE } from "../lib/class-colours";
import type { BoundaryGrid } from "./runner";

const FONT = "Helvetica, Arial, sans-serif";
export const CONFIG = {
  font: FONT,
  // No ARIA labels on every mark: they would triple the size of the files.
  aria: false,
  view: { stroke: "#ccc" },
  axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: "#eee" },
  legend: { labelFontSize: 10, titleFontSize: 11 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};
const SET_COLORS = { domain: ["train", "test"], range: ["#1f77b4", "#d62728"] };
export const round = (x: number) => Number(x.toPrecision(5));
const { negative, positive } = CLASS_COLOURS;

/** Renders a vega-lite specification to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    // Two decimals of a pixel are plenty; vega writes fifteen, which only makes the files large. Only the
    // numbers inside tags are rounded: a title's "lr 0.000001" is text, not a coordinate.
    const svg = (await view.toSVG()).replace(/<[^>]*>/g, (tag) => tag.replace(/(\d\.\d\d)\d+/g, "$1"));
    return `${numberClipsFromOne(svg)}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Vega names its clip paths clip1, clip2, ... from a counter that lives as long as the process, so the same figure
 * drawn after other figures would get other names, and `--check` would call it stale. Each figure gets its own names,
 * counted from 1 in order of appearance (a figure is shown as an image, so its names only need to be unique in it).
 */
export function numberClipsFromOne(svg: string): string {
  const names = new Map<string, string>();
  return svg.replace(/\bclip(\d+)\b/g, (name) => {
    if (!names.has(name)) names.set(name, `clip${names.size + 1}`);
    return names.get(name) as string;
  });
}

interface CurvePoint {
  model: string;
  metric: "loss" | "accuracy";
  set: "train" | "test";
  /** "seed 3", or "mean" for the mean over the seeds. */
  line: string;
  epoch: number;
  value: number;
}

/** Every run's curves, plus their mean over the seeds that reached each epoch. */
function curves(runs: RunResult[], spec: ModelSpec): CurvePoint[] {
  const points: CurvePoint[] = [];
  const columns = [
    ["loss", "train", "trainLoss"],
    ["loss", "test", "testLoss"],
    ["accuracy", "train", "trainAccuracy"],
    ["accuracy", "test", "testAccuracy"],
  ] as const;
  const longest = Math.max(0, ...runs.map((run) => run.history.length));
  for (const [metric, set, column] of columns) {
    for (const run of runs) {
      for (const row of run.history) {
        points.push({
          model: spec.name,
          metric,
          set,
          line: `seed ${run.seed}`,
          epoch: row.epoch,
          value: round(row[column]),
        });
      }
    }
    for (let epoch = 1; epoch <= longest; epoch++) {
      const values = runs.filter((run) => run.history.length >= epoch).map((run) => run.history[epoch - 1][column]);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      points.push({ model: spec.name, metric, set, line: "mean", epoch, value: round(mean) });
    }
  }
  return points;
}

/** The layers shared by the curve figures: thin lines for the seeds, a thick line for their mean. */
function curveLayers() {
  const x = { field: "epoch", type: "quantitative" as const, title: "epoch" };
  const y = { field: "value", type: "quantitative" as const, title: null };
  const color = { field: "set", type: "nominal" as const, title: "set", scale: SET_COLORS, sort: ["train", "test"] };
  return [
    {
      transform: [{ filter: "datum.line !== 'mean'" }],
      mark: { type: "line" as const, strokeWidth: 1, opacity: 0.3 },
      encoding: { x, y, color, detail: { field: "line", type: "nominal" as const } },
    },
    {
      transform: [{ filter: "datum.line === 'mean'" }],
      mark: { type: "line" as const, strokeWidth: 2.5 },
      encoding: { x, y, color },
    },
  ];
}

/** One model: loss and accuracy per epoch on both sets, every seed thin and the mean thick. */
export function modelCurvesSpec(spec: ModelSpec, runs: RunResult[], lr: string): TopLevelSpec {
  const diverged = runs.filter((run) => run.diverged !== null).length;
  const note = diverged > 0 ? ` — diverged in ${diverged} of ${runs.length} seeds` : "";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${spec.name}: ${spec.hiddenLayers} hidden layer${spec.hiddenLayers > 1 ? "s" : ""}, lr ${lr}${note}`,
    },
    data: { values: curves(runs, spec) },
    facet: {
      column: { field: "metric", type: "nominal", title: null, sort: ["loss", "accuracy"] },
    },
    spec: { width: 260, height: 180, layer: curveLayers() },
    resolve: { scale: { y: "independent" } },
    config: CONFIG,
  } as TopLevelSpec;
}

/** All models side by side: the mean curves, loss in the top row and accuracy below. */
export function allModelsSpec(models: ModelSpec[], bySeed: SeedRuns[]): TopLevelSpec {
  const values = models.flatMap((spec) =>
    curves(
      bySeed.map((runs) => runs[spec.id]),
      spec,
    ).filter((p) => p.line === "mean"),
  );
  const x = { field: "epoch", type: "quantitative" as const, title: "epoch" };
  const color = { field: "set", type: "nominal" as const, title: "set", scale: SET_COLORS, sort: ["train", "test"] };
  const row = (metric: "loss" | "accuracy") => ({
    transform: [{ filter: `datum.metric === '${metric}'` }],
    facet: { column: { field: "model", type: "nominal" as const, title: null, sort: models.map((m) => m.name) } },
    spec: {
      width: 150,
      height: 130,
      mark: { type: "line" as const, strokeWidth: 2 },
      encoding: { x, y: { field: "value", type: "quantitative" as const, title: `mean ${metric}` }, color },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `All models, mean over ${bySeed.length} seeds` },
    data: { values },
    vconcat: [row("loss"), row("accuracy")],
    config: CONFIG,
  } as TopLevelSpec;
}

/**
 * Each trained model's decision boundary on the first seed: the grid coloured by the class the network
 * predicts, with the training points (circles) and test points (triangles) on top.
 */
export function boundariesSpec(
  models: ModelSpec[],
  grid: BoundaryGrid,
  classes: Record<string, number[] | null>,
  data: { train: Dataset; test: Dataset },
  seed: number,
): TopLevelSpec {
  const half = (grid.xs[1] - grid.xs[0]) / 2;
  // Neighbouring cells of a row with the same class are drawn as one rectangle: the same picture, a
  // fraction of the file.
  const cells = models.flatMap((spec) => {
    const predicted = classes[spec.id];
    if (!predicted) return [];
    return grid.ys.flatMap((y, j) => {
      const row = grid.xs.map((_, i) => (predicted[j * grid.xs.length + i] > 0 ? positive.label : negative.label));
      const runs: { from: number; to: number; predicted: string }[] = [];
      row.forEach((cls, i) => {
        const last = runs[runs.length - 1];
        if (last && last.predicted === cls) last.to = i;
        else runs.push({ from: i, to: i, predicted: cls });
      });
      return runs.map((run) => ({
        model: spec.name,
        x: round(grid.xs[run.from] - half),
        x2: round(grid.xs[run.to] + half),
        y: round(y - half),
        y2: round(y + half),
        predicted: run.predicted,
      }));
    });
  });
  const points = models.flatMap((spec) =>
    (["train", "test"] as const).flatMap((set) =>
      data[set].x.map((p, i) => ({
        model: spec.name,
        px: round(p[0]),
        py: round(p[1]),
        label: data[set].y[i] > 0 ? positive.label : negative.label,
        set,
      })),
    ),
  );
  const xScale = { domain: [grid.xs[0] - half, grid.xs[grid.xs.length - 1] + half], nice: false };
  const yScale = { domain: [grid.ys[0] - half, grid.ys[grid.ys.length - 1] + half], nice: false };
  const labels = [negative.label, positive.label];
  const classColors = { domain: labels, range: [negative.area, positive.area] };
  const pointColors = { domain: labels, range: [negative.point, positive.point] };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Decision boundaries after training (seed ${seed}); areas: predicted class, points: true class` },
    data: { values: [...cells, ...points] },
    facet: { column: { field: "model", type: "nominal", title: null, sort: models.map((m) => m.name) } },
    spec: {
      width: 170,
      height: 130,
      layer: [
        {
          transform: [{ filter: "isValid(datum.x2)" }],
          // A thin outline in the fill colour closes the hairline seams between neighbouring cells.
          mark: { type: "rect", strokeWidth: 0.6 },
          encoding: {
            x: { field: "x", type: "quantitative", scale: xScale, title: "x₁" },
            x2: { field: "x2" },
            y: { field: "y", type: "quantitative", scale: yScale, title: "x₂" },
            y2: { field: "y2" },
            fill: { field: "predicted", type: "nominal", scale: classColors, title: "predicted class" },
            stroke: { field: "predicted", type: "nominal", scale: classColors, legend: null },
          },
        },
        {
          transform: [{ filter: "isValid(datum.px)" }],
          mark: { type: "point", filled: true, size: 20, opacity: 1, stroke: POINT_OUTLINE, strokeWidth: 0.5 },
          encoding: {
            x: { field: "px", type: "quantitative", scale: xScale },
            y: { field: "py", type: "quantitative", scale: yScale },
            color: { field: "label", type: "nominal", scale: pointColors, title: "true class" },
            shape: {
              field: "set",
              type: "nominal",
              scale: { domain: ["train", "test"], range: ["circle", "triangle-up"] },
            },
          },
        },
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}
