/**
 * Turns the study's runs and claims into what people read: the results JSON, the generated markdown
 * section of lesson 10 and the table printed on the terminal. Pure functions of the results, so the same
 * results give the same bytes.
 */
import type { ClaimResult, ModelSpec, RunResult, SeedRuns, StudyConfig, Unit } from "../../solutions/study";
import type { BoundaryGrid } from "./runner";

/** Everything the study produced, as written to results.json. */
export interface StudyResults {
  config: StudyConfig;
  models: (ModelSpec & { layers: number[] })[];
  claims: ClaimResult[];
  runs: RunResult[];
  boundaries: { seed: number; grid: BoundaryGrid; classes: Record<string, number[] | null> };
}

/** results.json: numbers rounded to 6 significant digits, which is plenty and keeps the file stable. */
export function resultsJson(results: object): string {
  const text = JSON.stringify(results, (_, v) => (typeof v === "number" ? Number(v.toPrecision(6)) : v), 2);
  // Lists of numbers on one line each, and one line per history row: readable, and a fifth of the size.
  return `${text
    .replace(
      /\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g,
      (_, items: string) => `[${items.split(/,\s+/).join(", ")}]`,
    )
    .replace(/\{\n\s+("epoch": [^{}[\]]*?)\n\s+\}/g, (_, body: string) => `{ ${body.split(/,\n\s+/).join(", ")} }`)}\n`;
}

/** The learning rate as the notebook writes it: 0.01, 0.1, 0.000001. */
export function formatLr(lr: number): string {
  return lr >= 1e-4 ? String(lr) : lr.toFixed(Math.ceil(-Math.log10(lr)));
}

export const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

export function formatValue(x: number, unit: Unit): string {
  switch (unit) {
    case "points":
      return `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;
    case "percent":
      return `${(100 * x).toFixed(1)} %`;
    case "loss":
      return x.toFixed(3).replace("-", "−");
    case "epoch":
    case "updates":
      return x.toFixed(1);
  }
}

const unitSuffix = (unit: Unit) => (unit === "points" ? " points" : "");

export function meanSdText(values: number[], format: (x: number) => string): string {
  if (values.length === 0) return "—";
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return `${format(mean)} ± ${format(sd).replace(/^[+−]/, "")}`;
}

/** One row per model: its results, mean ± sd over the seeds whose run finished. */
export function modelRows(results: StudyResults): string[][] {
  return results.models.map((spec) => {
    const runs = results.runs.filter((run) => run.model === spec.id);
    const done = runs.filter((run) => run.diverged === null);
    const last = (pick: (run: RunResult) => number) => done.map(pick);
    const final = (run: RunResult) => run.history[run.history.length - 1];
    const lowestEpoch = (run: RunResult) =>
      run.history.reduce((best, row) => (row.testLoss < best.testLoss ? row : best)).epoch;
    return [
      spec.name,
      `${spec.layers.join("-")}`,
      formatLr(spec.lr),
      meanSdText(
        runs.map((run) => run.start.test.accuracy),
        percent,
      ),
      meanSdText(
        last((run) => final(run).trainAccuracy),
        percent,
      ),
      meanSdText(
        last((run) => final(run).testAccuracy),
        percent,
      ),
      meanSdText(
        last((run) => final(run).trainLoss),
        (x) => x.toFixed(3),
      ),
      meanSdText(
        last((run) => final(run).testLoss),
        (x) => x.toFixed(3),
      ),
      meanSdText(last(lowestEpoch), (x) => x.toFixed(1)),
      `${runs.length - done.length} of ${runs.length}`,
    ];
  });
}

const MODEL_HEADER = [
  "Model",
  "layers",
  "lr",
  "untrained test acc.",
  "final train acc.",
  "final test acc.",
  "final train loss",
  "final test loss",
  "epoch of lowest test loss",
  "diverged",
];

function describeConfig(config: StudyConfig): string {
  const nTest = Math.ceil(config.testFraction * config.n);
  const tenth = Math.max(1, Math.ceil(config.epochs / 10));
  return (
    `Two moons with n = ${config.n} points and noise ${config.noise}, ${percent(config.testFraction)} held out ` +
    `(${config.n - nTest} training and ${nTest} test points); hidden layers of ${config.hidden} tanh neurons and ` +
    `one linear output, targets ±1, squared error, per-example SGD; ${config.epochs} epochs; ` +
    `seeds ${config.seeds.join(", ")} (a seed picks the data, the split and the initial weights). ` +
    `"Final" is the last epoch; "the end" of a run is the mean of its last ${tenth} epochs, and the ` +
    `"early" checkpoint is epoch ${tenth}. Accuracy differences are in percentage points.`
  );
}

function claimMeasured(claim: ClaimResult): string {
  if (claim.measurements.length === 0) return "not measured: every run diverged";
  return claim.measurements
    .map((m) => `${m.label}: ${meanSdText(m.perSeed, (x) => formatValue(x, m.unit))}${unitSuffix(m.unit)}`)
    .join("; ");
}

function claimHolds(claim: ClaimResult): string {
  const diverged = claim.divergedIn > 0 ? `, diverged in ${claim.divergedIn}` : "";
  const parts = claim.checks.map((c) => `${c.label}: ${c.holdsIn}`).join(", ");
  return `${claim.holdsIn} of ${claim.seeds} (${parts}${diverged})`;
}

/** One row per claim for the results table: number, claim, measured, holds in, verdict. */
export function claimRows(claims: ClaimResult[]): string[][] {
  return claims.map((c, i) => [String(i + 1), c.notebook, claimMeasured(c), claimHolds(c), `**${c.verdict}**`]);
}

/** The claims for the terminal: what each says, what was measured, and the verdict. */
export function claimLines(claims: ClaimResult[]): string[] {
  return claims.flatMap((c, i) => [
    `Claim ${i + 1}: ${c.notebook}`,
    `  measured: ${claimMeasured(c)}`,
    `  holds in ${claimHolds(c).replace(" (", " seeds (")}: ${c.verdict.toUpperCase()}`,
  ]);
}

/**
 * The line that opens a generated section: the command that wrote it, run on `codeFolder` ("solutions" is the
 * reference, anything else a `--target`), so that a learner's results never claim to be the reference's.
 */
export function generatedBy(command: string, codeFolder: string): string {
  const reference = codeFolder === "solutions";
  const source = reference ? "the reference code in `solutions/`" : `the code in \`${codeFolder}/\``;
  const target = reference ? "" : `${command.includes(" -- ") ? "" : " --"} --target ${codeFolder}`;
  return `_Generated by \`${command}${target}\` from ${source}: do not edit this part by hand, re-run the command._`;
}

/** A markdown table with padded columns, exactly as the formatter (Biome) writes it, so `npm run format` leaves it be. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The names of the figure files, in the order the section shows them. */
export function figureFiles(results: StudyResults): { file: string; alt: string }[] {
  return [
    ...results.models.map((m) => ({ file: `${m.id}.svg`, alt: `${m.name}: loss and accuracy per epoch` })),
    { file: "all-models.svg", alt: "All models side by side" },
    { file: "boundaries.svg", alt: "Decision boundary of each trained model" },
  ];
}

/**
 * The generated results section. `figurePrefix` is the path from the markdown file to the results folder
 * ("" for results/results.md, "results/" for the lesson README); `codeFolder` is the folder of the code that
 * was studied, relative to the course root ("solutions", "src", ...).
 */
export function resultsMarkdown(results: StudyResults, figurePrefix: string, codeFolder: string): string {
  const claims = results.claims;
  const lines = [
    generatedBy("npm run experiments", codeFolder),
    "",
    `**Configuration.** ${describeConfig(results.config)}`,
    "",
    `### Results per model (mean ± sd over the seeds whose run finished)`,
    "",
    markdownTable(MODEL_HEADER, modelRows(results)),
    "",
    "### The notebook's claims",
    "",
    "A claim is tested in each seed by the rule below; it is **reproduced** when it holds in at least 80 % of " +
      "the seeds, **mixed** from 40 % to 80 %, **not reproduced** below 40 %. A seed whose run diverged counts " +
      "as not holding.",
    "",
    markdownTable(
      ["#", "The notebook says", "Measured (mean ± sd over seeds)", "Holds in", "Verdict"],
      claimRows(claims),
    ),
    "",
    "The rules:",
    "",
    ...claims.map((c, i) => `${i + 1}. ${c.rule}`),
    "",
    "### Figures",
    "",
    "Thin lines are single seeds, thick lines their mean.",
    "",
    ...figureFiles(results).flatMap(({ file, alt }) => [`![${alt}](${figurePrefix}${file})`, ""]),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The same results as plain text for the terminal. */
export function resultsText(results: StudyResults): string {
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    return [header, ...rows]
      .map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join("  ")
          .trimEnd(),
      )
      .join("\n");
  };
  return [
    `Configuration: ${describeConfig(results.config)}`,
    "",
    table(MODEL_HEADER, modelRows(results)),
    "",
    ...claimLines(results.claims),
  ].join("\n");
}

/** Every model's runs in seed order (the flat list stored in results.json). */
export function flattenRuns(models: ModelSpec[], bySeed: SeedRuns[]): RunResult[] {
  return models.flatMap((spec) => bySeed.map((runs) => runs[spec.id]));
}

/** The median of the numbers, counting a null (never reached) as later than any number; null if it is one. */
export function medianReached(values: (number | null)[]): number | null {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  return Number.isFinite(middle) ? middle : null;
}
