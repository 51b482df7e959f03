/**
 * Lesson 15's part of `npm run experiments`: trains the five models the modern way with a target's compiled code
 * (in this thread: the tensor engine needs a few seconds for all of them), pairs every run with lesson 10's run of
 * the same model and seed, judges the claims, and returns every output file by path, writing nothing.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as ModernStudy from "../../solutions/modern-study";
import type * as Study from "../../solutions/study";
import type { ClaimResult } from "../../solutions/study";
import { byEpochSpec, byUpdateSpec } from "./modern-plots";
import { MODERN_FIGURES, type ModernResults, modernMarkdown, modernText } from "./modern-report";
import { trainedLine } from "./outputs";
import { renderSvg } from "./plots";
import { resultsJson, type StudyResults } from "./report";

export interface ModernOutputs {
  /** Every file, by path. */
  files: Map<string, string>;
  /** The generated section, for the lesson README (with the figures under `figurePrefix`). */
  section: string;
  /** The results as plain text, for the terminal. */
  text: string;
  /** The claims, as judged on this run. */
  claims: ClaimResult[];
}

/**
 * Runs lesson 15's study with the compiled code in `buildDir` against lesson 10's results `notebook`, for the
 * results folder `outDir`. `figurePrefix` is the path from the README to that folder.
 */
export async function produceModern(
  buildDir: string,
  notebook: StudyResults,
  { outDir, figurePrefix, codeFolder }: { outDir: string; figurePrefix: string; codeFolder: string },
): Promise<ModernOutputs> {
  const load = async <T>(name: string) => (await import(pathToFileURL(path.join(buildDir, `${name}.mjs`)).href)) as T;
  const study = await load<typeof Study>("study");
  const modern = await load<typeof ModernStudy>("modern-study");
  const config = study.STUDY_CONFIG;
  if (JSON.stringify(notebook.config) !== JSON.stringify(config)) {
    throw new Error(
      "lesson 10's results.json was made with another configuration than STUDY_CONFIG: run npm run experiments " +
        "-- --lesson 10 first, so that both ways train on the same data.",
    );
  }
  const notebookRun = (model: Study.ModelId, seed: number) => {
    const run = notebook.runs.find((r) => r.model === model && r.seed === seed);
    if (!run) throw new Error(`lesson 10's results.json has no run of ${model} on seed ${seed}.`);
    return run;
  };

  console.log(
    `Training ${study.MODELS.length} models × ${config.seeds.length} seeds the modern way with the code in ${codeFolder}/ ...`,
  );
  const started = Date.now();
  const bySeed: ModernStudy.BothWays[] = config.seeds.map((seed) => ({
    notebook: Object.fromEntries(study.MODELS.map((spec) => [spec.id, notebookRun(spec.id, seed)])) as Study.SeedRuns,
    modern: Object.fromEntries(
      study.MODELS.map((spec) => [spec.id, modern.runModern(spec, config, seed).result]),
    ) as ModernStudy.BothWays["modern"],
  }));
  console.log(`${trainedLine(study.MODELS.length * config.seeds.length, started)}\n`);

  const results: ModernResults = {
    config,
    recipe: { ...modern.MODERN_RECIPE },
    models: study.MODELS.map((spec) => ({ ...spec, layers: [2, ...study.layerSizes(spec, config)] })),
    updates: { notebook: modern.notebookUpdates(config), modern: modern.modernUpdates(config) },
    claims: modern.evaluateModernClaims(bySeed, config),
    runs: study.MODELS.flatMap((spec) => bySeed.map((seed) => seed.modern[spec.id])),
  };
  const perEpoch = results.updates.notebook / config.epochs;
  const [byEpoch, byUpdate] = MODERN_FIGURES.map(({ file }) => path.join(outDir, file));
  const files = new Map<string, string>([
    [path.join(outDir, "results.json"), resultsJson(results)],
    [byEpoch, await renderSvg(byEpochSpec(study.MODELS, bySeed))],
    [byUpdate, await renderSvg(byUpdateSpec(study.MODELS, bySeed, perEpoch))],
    [path.join(outDir, "results.md"), modernMarkdown(results, bySeed, "", codeFolder)],
  ]);
  return {
    files,
    section: modernMarkdown(results, bySeed, figurePrefix, codeFolder),
    text: modernText(results, bySeed),
    claims: results.claims,
  };
}
