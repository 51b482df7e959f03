/**
 * Run by the site's build in a child process (model.ts): trains lesson 17's recipe for a few epochs with the course
 * code compiled for the site, and writes model.json. A child process keeps the training's memory out of the build.
 *
 *   node --import tsx scripts/site/handwriting/train-model.ts <compiled course folder> <model.json> <epochs>
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as DigitsModule from "../../../solutions/digits";
import type * as MnistModule from "../../../solutions/mnist";
import { loadMnist } from "../../lib/mnist";
import { stubbedLesson } from "../../lib/stub-message";
import { type HandwritingModel, layerFile } from "./model-file";

const [courseDir, outFile, epochs] = process.argv.slice(2);
let model: HandwritingModel;
try {
  const load = (name: string) => import(pathToFileURL(path.join(courseDir, `${name}.mjs`)).href);
  const digits = (await load("digits")) as typeof DigitsModule;
  const data = ((await load("mnist")) as typeof MnistModule).splitDigits(loadMnist());
  const run = digits.trainRecipe(1, data, { epochs: Number(epochs) });
  model = {
    epochs: Number(epochs),
    testAccuracy: run.history.at(-1)?.testAccuracy ?? 0,
    layers: run.model.layers.map(({ weight, bias }) => layerFile(weight.rows, weight.cols, weight.data, bias.data)),
  };
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const lesson = stubbedLesson(message);
  if (!lesson) throw error;
  model = { unfinished: lesson, message };
}
writeFileSync(outFile, JSON.stringify(model));
