/** The messages between the playground page and its training worker. */
import type { HistoryRow } from "@course/train";
import type { Domain, Grid } from "./boundary";
import type { Settings } from "./settings";

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
  | { kind: "epochs"; epochs: number };

export interface Points {
  x: number[][];
  /** Class 1 (target +1 or label 1). */
  positive: boolean[];
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
  | { kind: "data"; train: Points; test: Points; area: Domain & Grid; parameters: number }
  | {
      kind: "progress";
      epoch: number;
      updates: number;
      /** Rows of the epochs finished since the last message (epoch 0 is the untrained network). */
      rows: HistoryRow[];
      /** The network's output on the grid of `area`, row by row from the top; absent when no update happened. */
      grid?: Float32Array;
      /** False when the grid's arithmetic disagrees with the engine's outputs (see networkFunction). */
      gridMatchesEngine: boolean;
      /** Over the last few seconds of training; null before two epochs have finished in a run. */
      epochsPerSecond: number | null;
      running: boolean;
    }
  | { kind: "stopped"; stop: Stop }
);
