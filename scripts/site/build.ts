/**
 * `npm run site [-- --target src]`: builds the course website into site/ (ignored by git) from the lesson
 * READMEs. Its interactive pages run the reference code in solutions/, or with `--target src` your own.
 * Open site/index.html, or run `npm run site:serve` to serve it on http://127.0.0.1.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, resolveTarget } from "../lib/target";
import { buildSite } from "./pages";

const { values } = parseArgs({ options: { target: { type: "string", default: "solutions" } } });
const started = Date.now();
const target = resolveTarget(values.target);
const { out, pages, problems } = buildSite({ target });
const formulas = pages.reduce((sum, p) => sum + p.formulas, 0);
const images = pages.reduce((sum, p) => sum + p.images.length, 0);
console.log(
  `site: ${pages.length} pages, ${formulas} formulas, ${images} figures in ${path.relative(ROOT, out)}/, ` +
    `the interactive pages running ${path.relative(ROOT, target)}/ (${((Date.now() - started) / 1000).toFixed(1)} s).`,
);
if (problems.length > 0) {
  console.error(`\nThe site has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
