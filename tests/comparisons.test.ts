/**
 * The comparisons of lessons 12 and 13 (solutions/comparisons.ts) on tiny configurations, and the pure parts of
 * `npm run measure` that turn them into the lessons' sections. The full runs are `npm run measure` (a few minutes).
 */
import { describe, expect, test } from "vitest";
import { graphSizes } from "../scripts/study/measure-cost";
import { linearFit, raceMarkdown } from "../scripts/study/measure-report";
import * as batches from "../solutions/batches";
import {
  OSCILLATION_CONFIG,
  OSCILLATION_RUNS,
  oscillationRun,
  RACE_CONFIG,
  RACERS,
  type RaceResult,
  race,
} from "../solutions/comparisons";
import * as data from "../solutions/data";
import * as nn from "../solutions/nn";
import * as random from "../solutions/random";

describe("oscillationRun", () => {
  const config = { ...OSCILLATION_CONFIG, n: 24, epochs: 2 };

  test("measures the training loss before training and after every update, the epochs counted in examples", () => {
    const points = oscillationRun({ name: "batches of 5", batchSize: 5, shuffle: true }, config);
    // 24 points, 18 for training: batches of 5, 5, 5 and 3, so 4 updates per epoch.
    expect(points).toHaveLength(1 + 2 * 4);
    expect(points[0].epoch).toBe(0);
    expect(points.map((p) => Number(p.epoch.toFixed(4)))).toContain(1);
    expect(points.at(-1)?.epoch).toBe(2);
  });

  test("starts every way through the data from the same network", () => {
    const starts = OSCILLATION_RUNS.map((spec) => oscillationRun(spec, { ...config, epochs: 0 })[0].loss);
    expect(new Set(starts).size).toBe(1);
  });
});

describe("race", () => {
  const config = { ...RACE_CONFIG, n: 40, maxUpdates: 7, batchSize: 8 };

  test("measures the test accuracy before training and after each of maxUpdates updates, across epochs", () => {
    // 30 training points in batches of 8 is 4 updates an epoch, so 7 updates run into a second epoch.
    const result = race(RACERS[0], config, 1);
    expect(result.accuracies).toHaveLength(8);
    expect(result.racer).toBe("sgd");
  });

  test("records the first update at the target, or null when no update reaches it", () => {
    const result = race(RACERS[3], { ...config, target: 0 }, 2);
    expect(result.reachedAt, "every update reaches a target of 0; the untrained start does not count").toBe(1);
    expect(race(RACERS[1], { ...config, target: 1.01 }, 2).reachedAt).toBeNull();
    expect(race(RACERS[2], { ...config, target: 1.01 }, 3).reachedAt).toBeNull();
  });
});

describe("npm run measure's sections", () => {
  test("the graph of a batch grows by the same number of nodes per example", () => {
    const sizes = graphSizes({ batches, data, nn, random });
    const fit = linearFit(sizes);
    expect(fit, "the node counts lie on a line").toBeDefined();
    expect(linearFit([...sizes.slice(0, 2), { batchSize: 8, nodes: 1 }])).toBeUndefined();
  });

  test("the race ranks the optimizers by their median, a run that never finished counting as slowest", () => {
    const result = (racer: RaceResult["racer"], seed: number, reachedAt: number | null): RaceResult => ({
      racer,
      seed,
      accuracies: [0.5, 0.96],
      reachedAt,
    });
    const config = { ...RACE_CONFIG, seeds: [1, 2, 3] };
    const races = [
      ...[10, 20, null].map((r, i) => result("sgd", i + 1, r)),
      ...[30, 5, 40].map((r, i) => result("momentum", i + 1, r)),
      ...[null, null, 50].map((r, i) => result("rmsprop", i + 1, r)),
      ...[15, 15, 15].map((r, i) => result("adam", i + 1, r)),
    ];
    const markdown = raceMarkdown(races, RACERS, config, "solutions", "results/");
    expect(markdown).toMatch(
      /By the median over the seeds: Adam, lr 0\.01 \(15 updates\), then SGD, lr 0\.1 \(20 updates\)/,
    );
    expect(markdown).toMatch(/then RMSprop, lr 0\.01 \(not within 300 updates\)/);
    expect(markdown).toMatch(/\| SGD, lr 0\.1 +\| 10 +\| 20 +\| — +\| 20 +\| 2 of 3 +\| 1 /);
  });
});
