/**
 * `npm run site [-- --target src]`: builds the course website into site/ (ignored by git) from the lesson
 * READMEs. Its interactive pages run the reference code in solutions/, or with `--target src` your own.
 * Open site/index.html, or run `npm run site:serve` to serve it on http://127.0.0.1.
 */
import path from "node:path";
import { ROOT } from "../lib/target";
import { siteArgs } from "./cli";
import { buildSite } from "./pages";

const { target } = siteArgs("npm run site", "npm run site [-- --target src|solutions|<folder>]");
const started = Date.now();
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
