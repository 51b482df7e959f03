/**
 * The generated sections of lessons 12 and 13 (`npm run measure`), as markdown. Pure functions of what was
 * measured; every number in them comes from a run, none is typed by hand.
 */
import type * as Analysis from "../../solutions/analysis";
import type { LossPoint, OscillationSpec, RaceConfig, RaceResult, Racer } from "../../solutions/comparisons";
import type { CostMeasurement } from "./measure-cost";
import { generatedBy, markdownTable, medianReached } from "./report";

/** How the graph grows: `nodes = fixed + perExample · b` when every row fits that line, else undefined. */
export function linearFit(
  rows: { batchSize: number; nodes: number }[],
): { fixed: number; perExample: number } | undefined {
  const [a, b] = rows;
  const perExample = (b.nodes - a.nodes) / (b.batchSize - a.batchSize);
  const fixed = a.nodes - perExample * a.batchSize;
  return rows.every((r) => r.nodes === fixed + perExample * r.batchSize) ? { fixed, perExample } : undefined;
}

/** Lesson 12: the cost of one update against the batch size. */
export function costMarkdown(cost: CostMeasurement, codeFolder: string, figurePrefix: string): string {
  const fit = linearFit(cost.rows);
  const growth = fit
    ? `For a batch of b examples the graph has exactly ${fit.fixed} + ${fit.perExample} · b nodes: each example adds ` +
      `its own ${fit.perExample} nodes (its forward pass, its loss and its share of the sum), and the other ` +
      `${fit.fixed} are there once for the whole batch (the parameters, and the division that takes the mean).`
    : "The node counts do not lie on a straight line: each example should add the same number of nodes.";
  const base = cost.rows[0];
  const rows = cost.rows.map((r) => [
    String(r.batchSize),
    String(r.nodes),
    (r.nodes / base.nodes).toFixed(1),
    r.msPerUpdate.toFixed(3),
    (r.msPerUpdate / r.batchSize).toFixed(3),
    r.mbPerUpdate.toFixed(2),
  ]);
  return [
    generatedBy("npm run measure -- --lesson 12", codeFolder),
    "",
    `**The graph, exactly.** ${growth}`,
    "",
    `**Time and memory, as measured** on ${cost.machine}. Times are the median of 15 samples after a warm-up, ` +
      "each the mean over enough updates to cover 128 examples; memory is the median growth of the heap while one " +
      "batch's graph is built. They will differ on your machine, " +
      "and between two runs on this one; the shape is what to look at.",
    "",
    markdownTable(
      ["batch size", "nodes", "nodes / batch of 1", "ms per update", "ms per example", "MB per graph"],
      rows,
    ),
    "",
    `![The nodes of the graph, the milliseconds of one update and the megabytes of one graph of a ${cost.network} network, each against the batch size](${figurePrefix}cost.svg)`,
  ].join("\n");
}

const atEpochEnds = (points: LossPoint[]) => points.filter((p) => p.epoch > 0 && Number.isInteger(p.epoch));

/** Lesson 12: how much each way of going through the data wobbles. `setbacks` is the target's lesson 10 code. */
export function oscillationMarkdown(
  runs: { spec: OscillationSpec; points: LossPoint[] }[],
  setbacks: typeof Analysis.setbacks,
  codeFolder: string,
  figurePrefix: string,
): string {
  const epochs = atEpochEnds(runs[0].points).length;
  const rows = runs.map(({ spec, points }) => {
    const ends = atEpochEnds(points);
    const perUpdate = setbacks(
      points.map((p) => p.loss),
      "lower",
    );
    const perEpoch = setbacks([points[0].loss, ...ends.map((p) => p.loss)], "lower");
    return [
      spec.name,
      String((points.length - 1) / epochs),
      points[0].loss.toFixed(3),
      ...ends.map((p) => p.loss.toFixed(3)),
      perUpdate.toFixed(3),
      perEpoch.toFixed(3),
    ];
  });
  return [
    generatedBy("npm run measure -- --lesson 12", codeFolder),
    "",
    markdownTable(
      [
        "way through the data",
        "updates per epoch",
        "loss before",
        ...Array.from({ length: epochs }, (_, i) => `after epoch ${i + 1}`),
        "setbacks, update by update",
        "setbacks, epoch by epoch",
      ],
      rows,
    ),
    "",
    "The losses are the mean squared error over the whole training set. _Setbacks_ (lesson 10's measure of " +
      "oscillation) add up every rise of that loss: once measured after every update, once only at the end of " +
      "each epoch, as lesson 10 measured.",
    "",
    `![The training loss after every update, for per-example SGD in order and shuffled and for mini-batches of 8 and 32](${figurePrefix}oscillation.svg)`,
  ].join("\n");
}

/** Lesson 13: updates to the finish line, per optimizer and seed, and who got there first. */
export function raceMarkdown(
  races: RaceResult[],
  racers: Racer[],
  config: RaceConfig,
  codeFolder: string,
  figurePrefix: string,
): string {
  const of = (racer: Racer) => races.filter((r) => r.racer === racer.id);
  const shown = (n: number | null) => (n === null ? "—" : String(n));
  const firsts = (racer: Racer) =>
    config.seeds.filter((seed) => {
      const mine = races.find((r) => r.racer === racer.id && r.seed === seed)?.reachedAt ?? null;
      const best = Math.min(
        ...races.filter((r) => r.seed === seed).map((r) => r.reachedAt ?? Number.POSITIVE_INFINITY),
      );
      return mine !== null && mine === best;
    }).length;
  const rows = racers.map((racer) => {
    const mine = of(racer);
    const final = mine.reduce((sum, r) => sum + (r.accuracies.at(-1) ?? 0), 0) / mine.length;
    return [
      racer.name,
      ...mine.map((r) => shown(r.reachedAt)),
      shown(medianReached(mine.map((r) => r.reachedAt))),
      `${mine.filter((r) => r.reachedAt !== null).length} of ${mine.length}`,
      String(firsts(racer)),
      `${(100 * final).toFixed(1)} %`,
    ];
  });
  const ranked = [...racers].sort(
    (a, b) =>
      (medianReached(of(a).map((r) => r.reachedAt)) ?? Number.POSITIVE_INFINITY) -
      (medianReached(of(b).map((r) => r.reachedAt)) ?? Number.POSITIVE_INFINITY),
  );
  const order = ranked
    .map((racer) => {
      const m = medianReached(of(racer).map((r) => r.reachedAt));
      return `${racer.name} (${m === null ? `not within ${config.maxUpdates} updates` : `${m} updates`})`;
    })
    .join(", then ");
  return [
    generatedBy("npm run measure -- --lesson 13", codeFolder),
    "",
    `**Configuration.** Two moons, ${config.n} points with noise ${config.noise}, a quarter held out for testing; ` +
      `a network of 2-${config.hidden.join("-")}-1 (tanh hidden layers), squared error on targets ±1; ` +
      `mini-batches of ${config.batchSize}, shuffled every epoch; ${config.maxUpdates} updates per run; seeds ` +
      `${config.seeds.join(", ")} (a seed picks the data, the split, the initial weights and the shuffles, the same ` +
      "for every optimizer). The finish is the first update after which the test accuracy is at least " +
      `${100 * config.target} %.`,
    "",
    markdownTable(
      ["optimizer", ...config.seeds.map((s) => `seed ${s}`), "median", "reached", "first in", "final test accuracy"],
      rows,
    ),
    "",
    `Updates to reach ${100 * config.target} % test accuracy (— : not within ${config.maxUpdates}); "first in" ` +
      "counts the seeds where that optimizer got there first (a tie counts for both); the final test accuracy is " +
      `the mean over the seeds after update ${config.maxUpdates}. **By the median over the seeds: ${order}.**`,
    "",
    `![Test accuracy after every update for SGD, SGD with momentum, RMSprop and Adam, one line per seed](${figurePrefix}race.svg)`,
  ].join("\n");
}
