import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The root folder of the course repository. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Turns a target name into the absolute folder that `@course` points at.
 * `undefined` or "src" is the learner's workspace, "solutions" the reference; anything else is a folder,
 * relative to the course root, holding the same files (a grading copy, a checker's temporary starter).
 */
export function resolveTarget(name: string | undefined): string {
  const folder = path.resolve(ROOT, name && name.length > 0 ? name : "src");
  if (!existsSync(path.join(folder, "engine.ts"))) {
    throw new Error(
      `COURSE_TARGET=${name ?? ""} does not look like a copy of the course code: ${folder}/engine.ts is missing.`,
    );
  }
  return folder;
}

/** Vite aliases that make `@course` and `@course/<module>` resolve inside `folder`. */
export function courseAliases(folder: string) {
  return [
    { find: /^@course$/, replacement: path.join(folder, "index.ts") },
    { find: /^@course\/(.*)$/, replacement: path.join(folder, "$1") },
  ];
}
