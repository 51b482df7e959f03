/** The messages between the playground page and its training worker. */
import type { HistoryRow } from "@course/train";
import type { Domain, Grid } from "./boundary";
import type { Change, Settings } from "./settings";

export type ToWorker =
  /**
   * Build the data and a fresh network; `course` is the address of the compiled course modules. Every message
   * about this run carries its number `run`, so the page can drop what was still on its way from the last one.
   */
  | { kind: "reset"; settings: Settings; course: string; run: number }
  | { kind: "run" }
  | { kind: "pause" }
  /** One update (one batch). */
  | { kind: "step" }
  /** Training stops after this many epochs (changing it keeps the run going). */
  | { kind: "epochs"; epochs: number }
  /** A live setting changes from the next update on; the worker records when, in the run's changes. */
  | ({ kind: "set" } & Omit<Change, "update">);

export interface Points {
  x: number[][];
  /** Class +1 (target +1 or label 1). */
  positive: boolean[];
}

/** The pictures of the network as it is now: the output over the plane, each hidden unit's, its weights. */
export interface Pictures {
  /** The network's output on the grid of `area`, row by row from the top. */
  output: Float32Array;
  /** Every hidden unit's output on the coarser grid `tiles`, unit after unit, each row by row from the top. */
  units: Float32Array;
  /** Every weight, layer by layer, neuron by neuron: what the lines of the network picture show. */
  weights: Float32Array;
}

/** Why training stopped on its own. */
export type Stop =
  | { kind: "finished" }
  /** A lesson's code is still a starter stub: `lesson` is its id ("lesson-01"). */
  | { kind: "stub"; lesson: string; message: string }
  /** The numbers blew up (NaN or Infinity). */
  | { kind: "diverged"; message: string }
  | { kind: "failed"; message: string };

export type FromWorker = { run: number } & (
  | {
      kind: "data";
      train: Points;
      test: Points;
      area: Domain & Grid;
      /** The grid of the unit tiles: the same rectangle, fewer cells. */
      tiles: Grid;
      parameters: number;
      updatesPerEpoch: number;
      /** How long one update took when measured before training (forward, loss, backward). */
      secondsPerUpdate: number;
    }
  | {
      kind: "progress";
      epoch: number;
      updates: number;
      /** Rows of the epochs finished since the last message (epoch 0 is the untrained network). */
      rows: HistoryRow[];
      /** The last measurement of the network (after an epoch, or after One update). */
      latest?: HistoryRow & { updates: number };
      /** Absent when no update happened since the last pictures. */
      pictures?: Pictures;
      /** False when the pictures' arithmetic disagrees with the engine's outputs (see networkFunction). */
      gridMatchesEngine: boolean;
      /** Over the last few seconds of training; null before any. */
      updatesPerSecond: number | null;
      /** Every live change made so far in this run (from the address and from the page). */
      changes: Change[];
      running: boolean;
    }
  | { kind: "stopped"; stop: Stop }
);
