/** `npm run starter`: writes the learner's `src/` from `solutions/` (see scripts/lib/starter.ts). */
import { MarkerError } from "./lib/regions";
import { generateStarter, SRC, writeCourseFiles } from "./lib/starter";

try {
  const files = generateStarter();
  writeCourseFiles(SRC, files);
  console.log(`Wrote ${files.size} files to src/ from solutions/.`);
} catch (error) {
  if (!(error instanceof MarkerError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}
