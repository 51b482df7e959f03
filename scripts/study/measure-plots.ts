/**
 * The figures of lessons 11-13, as vega-lite specifications (rendered by plots.ts's `renderSvg`, in the style of
 * lesson 10's figures). Pure functions of what was measured, so the same numbers give the same bytes.
 */
import type { TopLevelSpec } from "vega-lite";
import type { LossPoint, RaceConfig, RaceResult, Racer } from "../../solutions/comparisons";
import type { CostRow } from "./measure-cost";
import { CONFIG, round } from "./plots";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** One point of lesson 11's figure: a loss, or its gradient, at a logit z, for the label 1. */
export interface LogitPoint {
  loss: "squared error, (p − 1)²" | "cross-entropy, −ln p";
  quantity: "loss" | "gradient dL/dz";
  z: number;
  value: number;
}

/** Lesson 11: both losses and their gradients on the logit, for the label 1, from very wrong (z = -8) to right. */
export function logitSpec(points: LogitPoint[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: { text: "The label is 1: each loss and its gradient on the logit z" },
    data: { values: points.map((p) => ({ ...p, z: round(p.z), value: round(p.value) })) },
    facet: { column: { field: "quantity", type: "nominal", title: null, sort: ["loss", "gradient dL/dz"] } },
    spec: {
      width: 260,
      height: 180,
      mark: { type: "line", strokeWidth: 2 },
      encoding: {
        x: { field: "z", type: "quantitative", title: "logit z" },
        y: { field: "value", type: "quantitative", title: null },
        color: {
          field: "loss",
          type: "nominal",
          title: "loss of p = sigmoid(z)",
          scale: { range: ["#1f77b4", "#d62728"] },
          sort: ["squared error, (p − 1)²", "cross-entropy, −ln p"],
          legend: { orient: "bottom", labelLimit: 300 },
        },
      },
    },
    resolve: { scale: { y: "independent" } },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Lesson 12: the nodes, time and memory of one update against the batch size. */
export function costSpec(rows: CostRow[], network: string): TopLevelSpec {
  const panel = (field: keyof CostRow, title: string) => ({
    width: 180,
    height: 150,
    mark: { type: "line" as const, point: true, strokeWidth: 2, color: "#1f77b4" },
    encoding: {
      x: { field: "batchSize", type: "quantitative" as const, title: "batch size" },
      y: { field, type: "quantitative" as const, title },
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: `One update of a ${network} network against the batch size` },
    data: {
      values: rows.map((r) => ({
        batchSize: r.batchSize,
        nodes: r.nodes,
        msPerUpdate: round(r.msPerUpdate),
        mbPerUpdate: round(r.mbPerUpdate),
      })),
    },
    hconcat: [
      panel("nodes", "nodes in the graph"),
      panel("msPerUpdate", "milliseconds per update"),
      panel("mbPerUpdate", "megabytes per graph"),
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

/** Lesson 12: the training loss after every update, one panel per way of going through the data. */
export function oscillationSpec(runs: { name: string; points: LossPoint[] }[]): TopLevelSpec {
  const values = runs.flatMap((run) =>
    run.points.map((p) => ({ run: run.name, epoch: round(p.epoch), loss: round(p.loss) })),
  );
  return {
    $schema: SCHEMA,
    title: { text: "The training loss after every update (one point per update)" },
    data: { values },
    facet: { field: "run", type: "nominal", title: null, sort: runs.map((r) => r.name) },
    columns: 2,
    spec: {
      width: 260,
      height: 150,
      mark: { type: "line", strokeWidth: 1.2, point: { size: 6 }, color: "#1f77b4" },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epochs (examples learned from / training set size)" },
        y: { field: "loss", type: "quantitative", title: "training loss (MSE)" },
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Lesson 13: the test accuracy after every update, one panel per optimizer, a line per seed, the finish line. */
export function raceSpec(races: RaceResult[], racers: Racer[], config: RaceConfig): TopLevelSpec {
  const name = (id: Racer["id"]) => racers.find((r) => r.id === id)?.name ?? id;
  const values = races.flatMap((race) =>
    race.accuracies.map((accuracy, update) => ({
      optimizer: name(race.racer),
      seed: `seed ${race.seed}`,
      update,
      accuracy: round(accuracy),
    })),
  );
  return {
    $schema: SCHEMA,
    title: { text: `Test accuracy after every update; the dashed line is the finish, ${100 * config.target} %` },
    data: { values },
    facet: { field: "optimizer", type: "nominal", title: null, sort: racers.map((r) => r.name) },
    columns: 2,
    spec: {
      width: 260,
      height: 150,
      layer: [
        {
          mark: { type: "line", strokeWidth: 1.2, opacity: 0.8, clip: true },
          encoding: {
            x: { field: "update", type: "quantitative", title: "updates (mini-batches of 16)" },
            y: {
              field: "accuracy",
              type: "quantitative",
              title: "test accuracy (from 50 %)",
              scale: { domain: [0.5, 1] },
            },
            color: { field: "seed", type: "nominal", title: "seed" },
          },
        },
        {
          mark: { type: "rule", strokeDash: [4, 3], color: "#555" },
          encoding: { y: { datum: config.target } },
        },
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}
