/**
 * `npm run measure`: the measured parts of lessons 11-13, with the course code of a target.
 *   - lesson 11: each loss and its gradient on the logit (results/logit.svg);
 *   - lesson 12: the cost of one update against the batch size (results/cost.json, cost.svg) and the training
 *     loss after every update for four ways through the data (results/oscillation.svg);
 *   - lesson 13: the optimizers' race to 95 % test accuracy (results/race.svg);
 *   - lesson 18: the MNIST step on every path of the lesson, and the machine's SIMD peak (results/speed.json,
 *     speed.svg, roofline.svg); with --training, lesson 17's recipe trained on lesson 14's engine and on the SIMD
 *     paths (results/training.json; several minutes, so only when asked, and never in CI).
 * With the reference code it writes them into the lessons' results/ folders and their READMEs' generated sections.
 *
 *   npm run measure                          the reference code (solutions/): writes the lessons' results
 *   npm run measure -- --check               regenerates in memory; fails if the committed results differ
 *   npm run measure -- --target src          your own code: writes to .course/measure/src/ instead
 *   npm run measure -- --lesson 12           one lesson only (11, 12, 13 or 18)
 *   npm run measure -- --lesson 18 --training   lesson 18 and its training comparison (with --check: trains again and
 *                                               compares the accuracies with training.json)
 *   npm run measure -- --workers 1           fewer worker threads (default: one per core)
 *
 * On a learner's code, a lesson whose code is not done yet is skipped, saying why, and the others still run.
 * Everything is deterministic except lesson 12's and lesson 18's times (and lesson 12's memory), which belong to the
 * machine and the moment. So --check recounts lesson 12's graph sizes and compares them with the committed cost.json,
 * checks that lesson 18's speed.json names the lesson's paths and work and its training.json the runs it trains, then
 * that the committed figures and sections are what those files give; only a run without --check measures the time
 * again.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Analysis from "../../solutions/analysis";
import type * as Comparisons from "../../solutions/comparisons";
import type * as Digits from "../../solutions/digits";
import type * as Engine from "../../solutions/engine";
import type * as Loss from "../../solutions/loss";
import { compileTarget } from "../lib/compile-target";
import { FLOPS_PER_EXAMPLE, lessonRowNames } from "../lib/mnist-step";
import { ROOT, resolveTarget } from "../lib/target";
import { useCourseV8Flags } from "../lib/v8-flags";
import { type CostMeasurement, type CostModules, graphSizes, measureCost } from "./measure-cost";
import { costSpec, type LogitPoint, logitSpec, oscillationSpec, raceSpec } from "./measure-plots";
import { costMarkdown, oscillationMarkdown, raceMarkdown } from "./measure-report";
import { runComparisons, type Wanted } from "./measure-runs";
import { measureSpeed, rooflineSpec, type SpeedMeasurement, speedMarkdown, speedSpec } from "./measure-speed";
import {
  accuracies,
  measureTraining,
  type TrainingMeasurement,
  trainingMarkdown,
  trainingProblems,
} from "./measure-training";
import {
  parseStudyArgs,
  reportCheck,
  runStudyParts,
  type StudyPart,
  staleFiles,
  withSection,
  writeFiles,
} from "./outputs";
import { renderSvg } from "./plots";
import { resultsJson } from "./report";

const LESSONS: Record<string, string> = {
  "11": "lesson-11-cross-entropy",
  "12": "lesson-12-mini-batches",
  "13": "lesson-13-optimizers",
  "18": "lesson-18-speed",
};
const { check, targetName, isReference, lessons, workers, flags } = parseStudyArgs("measure", Object.keys(LESSONS), {
  training: "18",
});

/** Lesson 11: both losses and their gradients, computed with the target's engine, for z from -8 to 8. */
function logitPoints(engine: typeof Engine, loss: typeof Loss): LogitPoint[] {
  const zs = Array.from({ length: 65 }, (_, i) => -8 + i / 4);
  return zs.flatMap((z) => {
    const squared = new engine.Value(z);
    const se = loss.seLoss(squared.sigmoid(), 1);
    se.backward();
    const logit = new engine.Value(z);
    const ce = loss.bceWithLogitsLoss(logit, 1);
    ce.backward();
    return [
      { loss: "squared error, (p − 1)²", quantity: "loss", z, value: se.data },
      { loss: "squared error, (p − 1)²", quantity: "gradient dL/dz", z, value: squared.grad },
      { loss: "cross-entropy, −ln p", quantity: "loss", z, value: ce.data },
      { loss: "cross-entropy, −ln p", quantity: "gradient dL/dz", z, value: logit.grad },
    ] satisfies LogitPoint[];
  });
}

/** Lesson 12's cost: measured now, or (for --check) read back from cost.json after recounting its graphs. */
function costOf(modules: CostModules, costFile: string, problems: string[]): CostMeasurement {
  if (!check) return measureCost(modules);
  const committed = JSON.parse(readFileSync(costFile, "utf8")) as CostMeasurement;
  const counted = graphSizes(modules);
  const recorded = committed.rows.map((r) => ({ batchSize: r.batchSize, nodes: r.nodes }));
  if (JSON.stringify(counted) !== JSON.stringify(recorded)) {
    problems.push(
      `${path.relative(ROOT, costFile)} records graph sizes ${JSON.stringify(recorded)}, but the code now builds ` +
        `${JSON.stringify(counted)}: run npm run measure -- --lesson 12 to measure again.`,
    );
  }
  return committed;
}

/**
 * Lesson 18's speed: measured now, or (for --check) read back from speed.json after checking that it still
 * describes the lesson's paths and the work of its step.
 */
async function speedOf(targetFolder: string, speedFile: string, problems: string[]): Promise<SpeedMeasurement> {
  if (!check) return measureSpeed(targetFolder);
  const committed = JSON.parse(readFileSync(speedFile, "utf8")) as SpeedMeasurement;
  // The paths: the peak rows after them are named by the machine's number of cores.
  const names = committed.rows.filter((r) => r.step < 5).map((r) => r.name);
  if (JSON.stringify(names) !== JSON.stringify(lessonRowNames()) || committed.flopsPerExample !== FLOPS_PER_EXAMPLE) {
    problems.push(
      `${path.relative(ROOT, speedFile)} records the paths ${JSON.stringify(names)} and ${committed.flopsPerExample} ` +
        `operations per example, but the lesson now has ${JSON.stringify(lessonRowNames())} and ${FLOPS_PER_EXAMPLE}: ` +
        "run npm run measure -- --lesson 18 to measure again.",
    );
  }
  return committed;
}

/**
 * Lesson 18's training comparison. With --training: trained now, and for --check compared with the committed one, whose
 * losses and accuracies must be the same. Without it: the committed one, after checking that it names the runs the
 * lesson trains (none for another target than the reference, which has nothing committed).
 */
async function trainingOf(
  targetFolder: string,
  file: string,
  recipeEpochs: number,
  problems: string[],
): Promise<TrainingMeasurement | undefined> {
  const committed = () => JSON.parse(readFileSync(file, "utf8")) as TrainingMeasurement;
  if (flags.has("training")) {
    console.log("Training lesson 17's recipe on lesson 14's engine and on lesson 18's SIMD paths (a few minutes) ...");
    const fresh = await measureTraining(targetFolder);
    if (!check) return fresh;
    if (accuracies(committed()) !== accuracies(fresh)) {
      problems.push(
        `${path.relative(ROOT, file)} records other losses or accuracies than the code gives now: ` +
          "run npm run measure -- --lesson 18 --training to train again.",
      );
    }
    return committed();
  }
  if (!isReference) {
    console.log("Lesson 17's training on the fast paths is left out: add --training to run it (a few minutes).");
    return undefined;
  }
  const recorded = committed();
  for (const problem of trainingProblems(recorded, recipeEpochs)) {
    problems.push(`${path.relative(ROOT, file)} ${problem}: run npm run measure -- --lesson 18 --training.`);
  }
  return recorded;
}

/** Each asked lesson's part: its output files, by path, computed without writing anything. */
function parts(targetFolder: string, problems: string[]): StudyPart[] {
  const buildDir = compileTarget(
    targetFolder,
    path.join(ROOT, ".course", "measure-build", path.basename(targetFolder)),
  );
  const load = async <T>(name: string) => (await import(pathToFileURL(path.join(buildDir, `${name}.mjs`)).href)) as T;
  const codeFolder = path.relative(ROOT, targetFolder).split(path.sep).join("/");
  const figures = isReference ? "results/" : "";
  const outDir = (lesson: string) =>
    isReference
      ? path.join(ROOT, "lessons", LESSONS[lesson], "results")
      : path.join(ROOT, ".course", "measure", path.basename(targetFolder), LESSONS[lesson]);
  /** A lesson's generated sections: into its README for the reference, else into results.md beside its figures. */
  const addSections = (files: Map<string, string>, lesson: string, named: Map<string, string>) => {
    if (!isReference) {
      files.set(path.join(outDir(lesson), "results.md"), `${[...named.values()].join("\n\n")}\n`);
      return;
    }
    const readme = path.join(ROOT, "lessons", LESSONS[lesson], "README.md");
    let text = readFileSync(readme, "utf8");
    // Each section ends with an empty line before its END marker.
    for (const [name, markdown] of named) text = withSection(text, readme, name, "measure", `${markdown}\n`);
    files.set(readme, text);
  };
  const comparisons = async (wanted: Wanted) => {
    const module = await load<typeof Comparisons>("comparisons");
    const started = Date.now();
    const measured = await runComparisons(
      path.join(buildDir, "comparisons.mjs"),
      module,
      wanted,
      workers,
      (done, total) => console.log(`  ${done} of ${total} runs done (${((Date.now() - started) / 1000).toFixed(0)} s)`),
    );
    return { module, measured };
  };

  const all: StudyPart[] = [
    {
      lesson: "11",
      run: async (files) => {
        const points = logitPoints(await load<typeof Engine>("engine"), await load<typeof Loss>("loss"));
        files.set(path.join(outDir("11"), "logit.svg"), await renderSvg(logitSpec(points)));
      },
    },
    {
      lesson: "12",
      run: async (files) => {
        const modules: CostModules = {
          batches: await load("batches"),
          data: await load("data"),
          nn: await load("nn"),
          random: await load("random"),
        };
        const costFile = path.join(outDir("12"), "cost.json");
        console.log(check ? "Counting the graph of every batch size ..." : "Measuring one update per batch size ...");
        const cost = costOf(modules, costFile, problems);
        files.set(costFile, `${JSON.stringify(cost, null, 2)}\n`);
        files.set(path.join(outDir("12"), "cost.svg"), await renderSvg(costSpec(cost.rows, cost.network)));

        const { module, measured } = await comparisons({ races: false, oscillation: true });
        const runs = module.OSCILLATION_RUNS.map((spec, i) => ({ spec, points: measured.oscillation[i] }));
        files.set(
          path.join(outDir("12"), "oscillation.svg"),
          await renderSvg(oscillationSpec(runs.map((r) => ({ name: r.spec.name, points: r.points })))),
        );
        const analysis = await load<typeof Analysis>("analysis");
        const named = new Map([
          ["cost", costMarkdown(cost, codeFolder, figures)],
          ["oscillation", oscillationMarkdown(runs, analysis.setbacks, codeFolder, figures)],
        ]);
        addSections(files, "12", named);
      },
    },
    {
      lesson: "13",
      run: async (files) => {
        const { module, measured } = await comparisons({ races: true, oscillation: false });
        const { RACERS, RACE_CONFIG } = module;
        files.set(path.join(outDir("13"), "race.svg"), await renderSvg(raceSpec(measured.races, RACERS, RACE_CONFIG)));
        addSections(
          files,
          "13",
          new Map([["race", raceMarkdown(measured.races, RACERS, RACE_CONFIG, codeFolder, figures)]]),
        );
      },
    },
    {
      lesson: "18",
      run: async (files) => {
        const speedFile = path.join(outDir("18"), "speed.json");
        console.log(
          check ? "Reading lesson 18's measured speed ..." : "Timing the MNIST step on every path of lesson 18 ...",
        );
        const speed = await speedOf(targetFolder, speedFile, problems);
        files.set(speedFile, `${JSON.stringify(speed, null, 2)}\n`);
        files.set(path.join(outDir("18"), "speed.svg"), await renderSvg(speedSpec(speed)));
        files.set(path.join(outDir("18"), "roofline.svg"), await renderSvg(rooflineSpec(speed)));

        const named = new Map([["speed", speedMarkdown(speed, codeFolder, figures)]]);
        const trainingFile = path.join(outDir("18"), "training.json");
        const { MNIST_RECIPE } = await load<typeof Digits>("digits");
        const training = await trainingOf(targetFolder, trainingFile, MNIST_RECIPE.epochs, problems);
        if (training) {
          files.set(trainingFile, resultsJson(training));
          named.set("training", trainingMarkdown(training, codeFolder));
        }
        addSections(files, "18", named);
      },
    },
  ];
  return all.filter((part) => lessons.includes(part.lesson));
}

async function main(): Promise<void> {
  useCourseV8Flags();
  const targetFolder = resolveTarget(targetName);
  console.log(
    `Measuring lesson${lessons.length > 1 ? "s" : ""} ${lessons.join(", ")} with the code in ${targetName}/ ...`,
  );
  const problems: string[] = [];
  const files = await runStudyParts(parts(targetFolder, problems), "measurement", isReference || lessons.length === 1);
  if (check) return reportCheck("measure", files, [...problems, ...staleFiles(files, [])]);
  writeFiles(files);
  if (!isReference) {
    for (const [file, text] of files) if (file.endsWith(".md")) console.log(`\n${text}`);
  }
}

await main();
