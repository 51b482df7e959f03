/**
 * `npm run mutation`: Stryker mutates the exercise regions of solutions/ (the code a learner writes) and
 * runs the lesson tests against each mutant. A wrong solution that the lessons let pass is a survivor.
 *
 * Fails when the overall score is below 90 %, a file is below 85 %, or a survivor is not explained in
 * docs/mutation-survivors.md (and when the document explains a mutant that no longer survives).
 *
 * A full run tests about 900 mutants against instrumented lessons that train real networks: close to an hour on a
 * 2-core machine. So the run is incremental: Stryker keeps every mutant's result in docs/mutation-results.json
 * (committed) and tests again only the mutants whose code or whose covering tests changed since; the others keep
 * their recorded result. After changing solutions/ or a lesson test, run it and commit the file with the change.
 *
 *   npm run mutation                         run Stryker (incremental), then check
 *   npm run mutation -- --full               test every mutant again, ignoring the recorded results
 *   npm run mutation -- --report-only        check the last report again (reports/mutation/mutation.json)
 *   npm run mutation -- --update-survivors   also rewrite the document's table: new survivors get a TODO
 *                                            reason to fill in, moved ones their new line, stale ones go
 *   npm run mutation -- --only solutions/optim.ts,solutions/loss.ts
 *                                            only those files' regions: their scores and survivors are checked,
 *                                            the other files' entries kept; the recorded results are read but not
 *                                            rewritten (a run of some files would drop every other file's)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Stryker } from "@stryker-mutator/core";
import { ROOT } from "../lib/target";
import {
  checkSurvivors,
  inFiles,
  MUTATION_REPORT_DIR,
  type MutationReport,
  onlyFiles,
  parseSurvivorsDoc,
  regionRanges,
  renderSurvivorsDoc,
  reportOf,
  SURVIVORS_DOC,
  type Survivor,
  scores,
  survivorsOf,
  thresholdProblems,
  timedOutOf,
} from "./mutants";

const args = new Set(process.argv.slice(2));
const only = onlyFiles(process.argv.slice(2));
if (only && args.has("--update-survivors")) {
  console.error("--update-survivors rewrites the whole table: run it after a full run, not with --only.");
  process.exit(1);
}
const reportFile = path.join(ROOT, MUTATION_REPORT_DIR, "mutation.json");
/** Every mutant's last result, committed, so that a run tests again only what changed. */
const RESULTS_FILE = "docs/mutation-results.json";
/** Where a run of some files (--only) keeps its results: a copy of the recorded ones, beside the report. */
const ONLY_RESULTS_FILE = `${MUTATION_REPORT_DIR}/only-results.json`;
const docFile = path.join(ROOT, SURVIVORS_DOC);

async function runStryker(): Promise<void> {
  // The lesson tests import `@course`; in Stryker's sandbox this resolves to the sandbox's mutated solutions/.
  process.env.COURSE_TARGET = "solutions";
  const started = Date.now();
  if (only) {
    mkdirSync(path.join(ROOT, MUTATION_REPORT_DIR), { recursive: true });
    copyFileSync(path.join(ROOT, RESULTS_FILE), path.join(ROOT, ONLY_RESULTS_FILE));
  }
  const stryker = new Stryker({
    testRunner: "vitest",
    vitest: { configFile: "scripts/maintain/vitest.mutation.config.ts" },
    plugins: ["@stryker-mutator/vitest-runner"],
    mutate: regionRanges().filter((range) => inFiles(range, only)),
    // Only what the tests need goes into the sandbox.
    ignorePatterns: ["/.course", "/coverage", "/site", "/src", "/docs", "/tests"],
    coverageAnalysis: "perTest",
    concurrency: 2,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: `${MUTATION_REPORT_DIR}/index.html` },
    jsonReporter: { fileName: `${MUTATION_REPORT_DIR}/mutation.json` },
    thresholds: { high: 95, low: 90, break: null },
    // A mutant is a timeout when its tests take 3x as long as unmutated, plus 20 s: the machines are small and
    // busy (two other CPU-bound processes on two cores make everything about 3x slower), and an equivalent
    // mutant must not turn into a "timeout" because a neighbour hogged the CPU. If one still does, the check
    // below reports it as a note, not as a stale entry of the survivors document.
    timeoutFactor: 3,
    timeoutMS: 20_000,
    cleanTempDir: "always",
    incremental: true,
    incrementalFile: only ? ONLY_RESULTS_FILE : RESULTS_FILE,
    force: args.has("--full"),
  });
  await stryker.runMutationTest();
  console.log(`\nmutation testing took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}

function describe(s: Survivor): string {
  return `${s.where}  ${s.mutator}  \`${s.original}\` → \`${s.replacement}\``;
}

function check(): string[] {
  const report = reportOf(JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport, only);
  const all = scores(report);
  console.log("\nmutation score (killed or timed out / all valid mutants):");
  for (const s of all) {
    console.log(
      `  ${s.name.padEnd(22)} ${s.percent.toFixed(2).padStart(6)} %  ${s.killed} killed, ${s.survived} survived, ${s.noCoverage} not covered`,
    );
  }
  const problems = thresholdProblems(all);

  const doc = readFileSync(docFile, "utf8");
  const documented = parseSurvivorsDoc(doc).filter((s) => inFiles(s.where, only));
  const result = checkSurvivors(survivorsOf(report), documented, timedOutOf(report));
  for (const s of result.timedOut) {
    console.log(`  note: timed out this run (a busy machine?), so not confirmed as a survivor: ${describe(s)}`);
  }
  for (const s of result.unexplained) {
    problems.push(`survives but ${SURVIVORS_DOC} does not explain it: ${describe(s)}`);
  }
  for (const s of result.todo) problems.push(`${SURVIVORS_DOC} has no reason yet for ${describe(s)}`);
  for (const s of result.stale) {
    problems.push(`${SURVIVORS_DOC} lists a mutant that no longer survives (remove it): ${describe(s)}`);
  }
  for (const { entry, now } of result.moved) {
    problems.push(`${SURVIVORS_DOC} has ${entry.where} for a mutant now at ${now.where}`);
  }
  if (args.has("--update-survivors")) {
    writeFileSync(docFile, renderSurvivorsDoc(doc, result.updated));
    // Biome formats Markdown too: align the table as `npm run format` would, so `npm run lint` stays clean.
    spawnSync(path.join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", docFile], { stdio: "ignore" });
    console.log(`\nrewrote the table of ${SURVIVORS_DOC} (${result.updated.length} survivors).`);
  }
  return problems;
}

if (!args.has("--report-only")) await runStryker();
const problems = check();
if (problems.length > 0) {
  const hint = args.has("--update-survivors")
    ? ""
    : `\n(npm run mutation -- --report-only --update-survivors refreshes the table of ${SURVIVORS_DOC}.)`;
  console.error(
    `\nmutation testing found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}${hint}`,
  );
  process.exit(1);
}
console.log(`\nmutation testing passed: every survivor is explained in ${SURVIVORS_DOC}.`);
