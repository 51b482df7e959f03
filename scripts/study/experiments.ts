/**
 * `npm run experiments`: the notebook's study, end to end. Trains the five models of solutions/study.ts on
 * every seed (on worker threads), measures the notebook's five claims, prints the results and writes into
 * lessons/lesson-10-experiments/results/: results.json, the SVG figures and results.md, and the same section
 * into the lesson README between its `<!-- BEGIN results ... -->` and `<!-- END results -->` markers.
 * Then lesson 15's study (modern.ts): the same five models the modern way, against lesson 10's runs, into
 * lessons/lesson-15-study-again/ likewise; then lesson 17's (digits.ts): MNIST on three seeds, into
 * lessons/lesson-17-mnist/, whose --check also fails when the median test accuracy misses the lesson's target.
 *
 *   npm run experiments                     the reference code (solutions/), writes both lessons' results
 *   npm run experiments -- --check          regenerates in memory; fails if the committed results differ
 *   npm run experiments -- --lesson 15      one lesson only (10, 15 or 17); 15 alone uses lesson 10's committed runs
 *   npm run experiments -- --target src     your own code; writes to .course/experiments/src/ instead
 *   npm run experiments -- --workers 1      fewer worker threads (default: one per core)
 *
 * On a learner's code, a lesson whose code is not done yet (its study stops on a stub or an error) is skipped,
 * saying why, and the other lesson's study still runs and writes its files: lesson 10's needs only the core.
 * Same code and seeds give byte-identical files.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import type * as Study from "../../solutions/study";
import type { ClaimResult } from "../../solutions/study";
import { compileTarget } from "../lib/compile-target";
import { ROOT, resolveTarget } from "../lib/target";
import { useCourseV8Flags } from "../lib/v8-flags";
import { compareWithReference, comparisonText } from "./compare-reference";
import { produceDigits } from "./digits";
import { produceModern } from "./modern";
import {
  parseStudyArgs,
  reportCheck,
  runStudyParts,
  type StudyPart,
  staleFiles,
  trainedLine,
  withSection,
  writeFiles,
} from "./outputs";
import { allModelsSpec, boundariesSpec, modelCurvesSpec, renderSvg } from "./plots";
import { flattenRuns, formatLr, resultsJson, resultsMarkdown, resultsText, type StudyResults } from "./report";
import { runStudyInWorkers } from "./runner";

const LESSON = path.join(ROOT, "lessons", "lesson-10-experiments");
const README = path.join(LESSON, "README.md");
const MODERN_LESSON = path.join(ROOT, "lessons", "lesson-15-study-again");
const DIGITS_LESSON = path.join(ROOT, "lessons", "lesson-17-mnist");
const LESSON_FOLDERS: Record<string, string> = { "10": LESSON, "15": MODERN_LESSON, "17": DIGITS_LESSON };
const { check, targetName, isReference, lessons, workers } = parseStudyArgs("experiments", ["10", "15", "17"]);

/** Replaces the generated results section of a lesson README. */
const withResults = (file: string, section: string) =>
  withSection(readFileSync(file, "utf8"), file, "results", "experiments", section);

/** Runs lesson 10's study on the code compiled in `buildDir`; returns every output file, by path, and the results. */
async function produce(
  buildDir: string,
  targetFolder: string,
  outDir: string,
): Promise<{ files: Map<string, string>; results: StudyResults }> {
  const studyModule = path.join(buildDir, "study.mjs");
  const study = (await import(pathToFileURL(studyModule).href)) as typeof Study;
  const config = study.STUDY_CONFIG;
  const models = study.MODELS;
  const totalRuns = models.length * config.seeds.length;

  console.log(
    `Training ${models.length} models × ${config.seeds.length} seeds × ${config.epochs} epochs with the code in ` +
      `${path.relative(ROOT, targetFolder)}/ ...`,
  );
  const started = Date.now();
  const tty = process.stdout.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format: "training |{bar}| {percentage}% | {value}/{total} epochs | {runs}/{totalRuns} runs | {elapsed} s",
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(totalRuns * config.epochs, 0, { runs: 0, totalRuns, elapsed: 0 });
  const elapsed = () => ((Date.now() - started) / 1000).toFixed(0);
  let runsDone = 0;
  const outcome = await runStudyInWorkers({
    studyModule,
    config,
    models,
    workers,
    onEpoch: () => bar?.increment(1, { elapsed: elapsed() }),
    onRun: (run, spec) => {
      runsDone += 1;
      const last = run.history[run.history.length - 1];
      const how = run.diverged ?? `final test accuracy ${last ? (100 * last.testAccuracy).toFixed(1) : "?"} %`;
      if (bar) {
        bar.increment(config.epochs - run.history.length, { runs: runsDone, elapsed: elapsed() });
      } else {
        console.log(`  run ${runsDone}/${totalRuns}: ${spec.name}, seed ${run.seed}: ${how} (${elapsed()} s)`);
      }
    },
  });
  bar?.stop();
  console.log(`${trainedLine(totalRuns, started)}\n`);

  const firstSeed = config.seeds[0];
  const results: StudyResults = {
    config,
    models: models.map((spec) => ({ ...spec, layers: [2, ...study.layerSizes(spec, config)] })),
    claims: study.evaluateClaims(outcome.bySeed, config),
    runs: flattenRuns(models, outcome.bySeed),
    boundaries: { seed: firstSeed, grid: outcome.grid, classes: outcome.boundaries },
  };
  console.log(resultsText(results));

  const files = new Map<string, string>();
  files.set(path.join(outDir, "results.json"), resultsJson(results));
  for (const spec of models) {
    const runs = outcome.bySeed.map((runs) => runs[spec.id]);
    files.set(path.join(outDir, `${spec.id}.svg`), await renderSvg(modelCurvesSpec(spec, runs, formatLr(spec.lr))));
  }
  files.set(path.join(outDir, "all-models.svg"), await renderSvg(allModelsSpec(models, outcome.bySeed)));
  const data = study.studyData(config, firstSeed);
  files.set(
    path.join(outDir, "boundaries.svg"),
    await renderSvg(boundariesSpec(models, outcome.grid, outcome.boundaries, data, firstSeed)),
  );
  const codeFolder = path.relative(ROOT, targetFolder).split(path.sep).join("/");
  files.set(path.join(outDir, "results.md"), resultsMarkdown(results, "", codeFolder));
  if (isReference) {
    files.set(README, withResults(README, resultsMarkdown(results, "results/", codeFolder)));
  }
  return { files, results };
}

/** Prints how the claims of a learner's study compare with the reference's, committed in `lesson`'s results. */
function compare(claims: ClaimResult[], lesson: string, section: string): void {
  const file = path.join(lesson, "results", "results.json");
  const reference = (JSON.parse(readFileSync(file, "utf8")) as { claims: ClaimResult[] }).claims;
  const readme = path.relative(ROOT, path.join(lesson, "README.md"));
  console.log(
    `\n${comparisonText(compareWithReference(claims, reference), path.relative(ROOT, file), section, readme)}`,
  );
}

async function main(): Promise<void> {
  useCourseV8Flags();
  const targetFolder = resolveTarget(targetName);
  const outDirOf = (lesson: string) =>
    isReference
      ? path.join(LESSON_FOLDERS[lesson], "results")
      : path.join(
          ROOT,
          ".course",
          "experiments",
          path.basename(targetFolder),
          ...(lesson === "10" ? [] : [`lesson-${lesson}`]),
        );
  const buildDir = compileTarget(
    targetFolder,
    path.join(ROOT, ".course", "experiments-build", path.basename(targetFolder)),
  );
  let notebook: StudyResults | undefined;
  /** Targets the study measured and missed (lesson 17's accuracy): --check fails on them, a plain run says so. */
  const missed: string[] = [];
  const parts: StudyPart[] = [
    {
      lesson: "10",
      run: async (files) => {
        const lesson10 = await produce(buildDir, targetFolder, outDirOf("10"));
        for (const [file, text] of lesson10.files) files.set(file, text);
        notebook = lesson10.results;
        if (!isReference) compare(lesson10.results.claims, LESSON, "Why correct code can give other numbers");
      },
    },
    {
      lesson: "15",
      run: async (files) => {
        // The notebook's way is lesson 10's runs: this run's, or the committed ones (which lesson 10's --check vouches for).
        const baseline =
          notebook ?? (JSON.parse(readFileSync(path.join(LESSON, "results", "results.json"), "utf8")) as StudyResults);
        const codeFolder = path.relative(ROOT, targetFolder).split(path.sep).join("/");
        const modern = await produceModern(buildDir, baseline, {
          outDir: outDirOf("15"),
          figurePrefix: "results/",
          codeFolder,
        });
        console.log(modern.text);
        for (const [file, text] of modern.files) files.set(file, text);
        if (!isReference) compare(modern.claims, MODERN_LESSON, "Run the study");
        if (isReference) {
          const readme = path.join(MODERN_LESSON, "README.md");
          files.set(readme, withResults(readme, modern.section));
        }
      },
    },
    {
      lesson: "17",
      run: async (files) => {
        const codeFolder = path.relative(ROOT, targetFolder).split(path.sep).join("/");
        const digits = await produceDigits(buildDir, {
          outDir: outDirOf("17"),
          figurePrefix: "results/",
          codeFolder,
          workers,
        });
        console.log(`\n${digits.text}`);
        for (const [file, text] of digits.files) files.set(file, text);
        if (isReference) {
          const readme = path.join(DIGITS_LESSON, "README.md");
          files.set(readme, withResults(readme, digits.section));
        }
        const { medianTestAccuracy, recipe, targetMet } = digits.results;
        if (!targetMet) {
          missed.push(
            `lesson 17's median test accuracy is ${(100 * medianTestAccuracy).toFixed(2)} %, below its target of ` +
              `${100 * recipe.targetAccuracy} %`,
          );
        }
      },
    },
  ];
  const files = await runStudyParts(
    parts.filter((p) => lessons.includes(p.lesson)),
    "study",
    isReference || lessons.length === 1,
  );
  if (check) return reportCheck("experiments", files, [...staleFiles(files, lessons.map(outDirOf)), ...missed]);
  writeFiles(files);
  for (const problem of missed) console.error(`\nNote: ${problem}.`);
}

await main();
