/**
 * `npm run figures`: draws every lesson's computation-graph pictures (lessons/<lesson>/figures.ts)
 * into lessons/<lesson>/figures/*.svg. Same inputs, same bytes: commit the result.
 */
import { generateFigures, staleFigures, writeFigures } from "./lesson-figures";

const started = Date.now();
const figures = await generateFigures();
const changed = staleFigures(figures);
writeFigures(figures);
console.log(
  `figures: ${figures.size} pictures, ${changed.length} written or removed (${((Date.now() - started) / 1000).toFixed(1)} s).`,
);
for (const problem of changed) console.log(`  ${problem.split(" ")[0]}`);
