/**
 * `npm run starter`: writes the learner's `src/` from `solutions/` (see scripts/lib/starter.ts).
 * It refuses to overwrite a region of src/ that holds someone's own code, unless given --force.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { listLessons } from "../lib/lessons";
import { MarkerError, parseRegions, regionsOf } from "../lib/regions";
import { generateStarter, SRC, writeCourseFiles } from "../lib/starter";

/** Regions of src/ whose body differs from the starter's stub: code a person wrote. */
function regionsWithOwnCode(starter: Map<string, string>): string[] {
  const lessonIds = new Set(listLessons().map((l) => l.id));
  const found: string[] = [];
  for (const [name, text] of starter) {
    const file = path.join(SRC, name);
    if (!existsSync(file)) continue;
    const stubs = regionsOf(parseRegions(text, `solutions/${name}`, lessonIds));
    let current: ReturnType<typeof regionsOf>;
    try {
      current = regionsOf(parseRegions(readFileSync(file, "utf8"), `src/${name}`, lessonIds));
    } catch (error) {
      if (error instanceof MarkerError) {
        found.push(`src/${name} (its markers are damaged: ${error.problem})`);
        continue;
      }
      throw error;
    }
    const stubBodies = new Set(stubs.map((r) => r.body.join("\n")));
    for (const region of current) {
      if (!stubBodies.has(region.body.join("\n"))) found.push(`src/${name}:${region.line} (${region.lesson})`);
    }
  }
  return found;
}

try {
  const files = generateStarter();
  const own = process.argv.includes("--force") ? [] : regionsWithOwnCode(files);
  if (own.length > 0) {
    console.error(
      `npm run starter would overwrite code written in src/:\n${own.map((o) => `  ${o}`).join("\n")}\n` +
        "Keep it with a commit or a copy, then run `npm run starter -- --force`.",
    );
    process.exit(1);
  }
  writeCourseFiles(SRC, files);
  console.log(`Wrote ${files.size} files to src/ from solutions/.`);
} catch (error) {
  if (!(error instanceof MarkerError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}
