/**
 * Lesson 15's study as people read it: the results JSON, the generated markdown section of the lesson and the
 * table printed on the terminal. Pure functions of the results, so the same results give the same bytes.
 */
import type { BothWays, ModernRunResult } from "../../solutions/modern-study";
import type { ClaimResult, ModelSpec, RunResult, StudyConfig } from "../../solutions/study";
import {
  claimLines,
  claimRows,
  formatLr,
  generatedBy,
  markdownTable,
  meanSdText,
  medianReached,
  percent,
} from "./report";

/** Everything lesson 15's study produced, as written to its results.json (the notebook's runs are lesson 10's). */
export interface ModernResults {
  config: StudyConfig;
  recipe: { batchSize: number; optimizer: string; loss: string };
  models: (ModelSpec & { layers: number[] })[];
  /** Updates in one run: the notebook's way (one per example) and the modern way (one per batch). */
  updates: { notebook: number; modern: number };
  claims: ClaimResult[];
  /** The modern runs, model by model, seed by seed; each with its test accuracy after every update. */
  runs: ModernRunResult[];
}

const tenthOf = (config: StudyConfig) => Math.max(1, Math.ceil(config.epochs / 10));
const endAccuracy = (run: RunResult, config: StudyConfig) => {
  const tail = run.history.slice(-tenthOf(config)).map((row) => row.testAccuracy);
  return tail.reduce((sum, x) => sum + x, 0) / tail.length;
};
const testSetbacks = (run: RunResult) =>
  run.history.reduce(
    (total, row, i) => total + (i > 0 ? Math.max(0, run.history[i - 1].testAccuracy - row.testAccuracy) : 0),
    0,
  );
const points = (x: number) => (100 * x).toFixed(1);

/** The first update (1 or later) after which the modern run's test accuracy reached `mark`, to rounding. */
function reached(run: ModernRunResult, mark: number): number | null {
  const update = run.testAccuracyByUpdate.findIndex((accuracy, i) => i > 0 && accuracy >= mark - 1e-9);
  return update < 0 ? null : update;
}

/** One row per model: both ways side by side, mean ± sd over the seeds. */
function modelRows(results: ModernResults, bySeed: BothWays[]): string[][] {
  const { config } = results;
  return results.models.map((spec) => {
    const notebook = bySeed.map((seed) => seed.notebook[spec.id]);
    const modern = bySeed.map((seed) => seed.modern[spec.id]);
    const done = (runs: RunResult[]) => runs.filter((run) => run.diverged === null);
    const updates = modern.map((run, i) => reached(run, endAccuracy(notebook[i], config)));
    const middle = medianReached(updates);
    return [
      spec.name,
      spec.layers.join("-"),
      formatLr(spec.lr),
      meanSdText(
        modern.map((run) => run.start.test.accuracy),
        percent,
      ),
      meanSdText(
        done(notebook).map((run) => endAccuracy(run, config)),
        percent,
      ),
      meanSdText(
        done(modern).map((run) => endAccuracy(run, config)),
        percent,
      ),
      meanSdText(done(notebook).map(testSetbacks), points),
      meanSdText(done(modern).map(testSetbacks), points),
      `${middle === null ? "—" : middle} (${updates.filter((u) => u !== null).length} of ${updates.length})`,
      `${modern.length - done(modern).length} of ${modern.length}`,
    ];
  });
}

const MODEL_HEADER = [
  "Model",
  "layers",
  "lr",
  "untrained test acc.",
  "test acc. at the end, notebook",
  "test acc. at the end, modern",
  "setbacks (points), notebook",
  "setbacks (points), modern",
  "modern: updates to the notebook's accuracy",
  "diverged, modern",
];

function describe(results: ModernResults): string {
  const { config, recipe, updates } = results;
  const nTest = Math.ceil(config.testFraction * config.n);
  return (
    `Lesson 10's data, split, initial weights and seeds (${config.seeds.join(", ")}): two moons with n = ` +
    `${config.n} points and noise ${config.noise}, ${config.n - nTest} training and ${nTest} test points, hidden ` +
    `layers of ${config.hidden} tanh neurons, ${config.epochs} epochs. **The notebook's way** is lesson 10's runs: ` +
    `the scalar engine, per-example SGD in a fixed order, squared error on targets ±1, ${updates.notebook} updates ` +
    `per run. **The modern way**: the tensor engine, mini-batches of ${recipe.batchSize} shuffled every epoch, ` +
    `${recipe.loss}, ${recipe.optimizer}; ${updates.modern} updates per run. "At the end" is the mean of the last ` +
    `${tenthOf(config)} epochs; setbacks are lesson 10's, the test accuracy lost in the epochs where it fell, ` +
    "added up, measured once per epoch for both ways."
  );
}

/** The names of the figure files, in the order the section shows them. */
export const MODERN_FIGURES = [
  { file: "accuracy-by-epoch.svg", alt: "Test accuracy per epoch, the notebook's way and the modern way, per model" },
  {
    file: "accuracy-by-update.svg",
    alt: "Mean test accuracy against the number of updates, on a log scale, the notebook's way and the modern way",
  },
];

/**
 * The generated results section. `figurePrefix` is the path from the markdown file to the results folder;
 * `codeFolder` is the folder of the code that was studied ("solutions", "src", ...).
 */
export function modernMarkdown(
  results: ModernResults,
  bySeed: BothWays[],
  figurePrefix: string,
  codeFolder: string,
): string {
  const lines = [
    generatedBy("npm run experiments -- --lesson 15", codeFolder),
    "",
    `**Configuration.** ${describe(results)}`,
    "",
    "### Both ways, per model (mean ± sd over the seeds)",
    "",
    markdownTable(MODEL_HEADER, modelRows(results, bySeed)),
    "",
    "The updates column is the median over the seeds (— : half of them or more never got there) and, in " +
      "parentheses, the seeds in which the modern run reached the notebook run's test accuracy at its end.",
    "",
    "### The claims",
    "",
    "Each claim is tested in each seed by the rule below, stated before the first run; it is **reproduced** when it " +
      "holds in at least 80 % of the seeds, **mixed** from 40 % to 80 %, **not reproduced** below 40 %. A seed " +
      "whose run diverged counts as not holding. A measurement a seed could not make (the updates to an accuracy " +
      "its run never reached) is left out of the mean, and is — when no seed made it.",
    "",
    markdownTable(
      ["#", "The claim", "Measured (mean ± sd over seeds)", "Holds in", "Verdict"],
      claimRows(results.claims),
    ),
    "",
    "The rules:",
    "",
    ...results.claims.map((c, i) => `${i + 1}. ${c.rule}`),
    "",
    "### Figures",
    "",
    "Thin lines are single seeds, thick lines their mean (the second figure shows the means only).",
    "",
    ...MODERN_FIGURES.flatMap(({ file, alt }) => [`![${alt}](${figurePrefix}${file})`, ""]),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The same results as plain text for the terminal. */
export function modernText(results: ModernResults, bySeed: BothWays[]): string {
  const rows = [MODEL_HEADER, ...modelRows(results, bySeed)];
  const widths = MODEL_HEADER.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd(),
  );
  return [
    `Configuration: ${describe(results).replaceAll("**", "")}`,
    "",
    ...table,
    "",
    ...claimLines(results.claims),
  ].join("\n");
}
