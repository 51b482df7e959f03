/**
 * The starter generator: `src/` is `solutions/` with the body of every exercise region replaced by a
 * stub that throws, naming the lesson and its README. Everything outside the regions is copied as is.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Lesson, listLessons } from "./lessons";
import { parseRegions, type RegionSegment, renderSegments } from "./regions";
import { stubMessage } from "./stub-message";
import { ROOT } from "./target";

export const SOLUTIONS = path.join(ROOT, "solutions");
export const SRC = path.join(ROOT, "src");

/** The course's source files in `dir` (the `.ts` files, by name). */
export function courseFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .sort();
}

/** The stub that stands in a region until the learner writes it. */
export function stubBody(region: RegionSegment, file: string, lesson: Lesson): string[] {
  const message = stubMessage(region.lesson, file, lesson.readme);
  return [`${region.indent}throw new Error(${JSON.stringify(message)});`];
}

/**
 * One file of the starter. `stubbed` says which lessons' regions become stubs: all of them for the
 * learner's starter, a single one for the checks that each lesson stands on its own.
 */
export function stubFile(
  text: string,
  file: string,
  lessons: Lesson[],
  stubbed: (lessonId: string) => boolean = () => true,
): string {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const segments = parseRegions(text, `solutions/${file}`, new Set(byId.keys()));
  return renderSegments(segments, (region) => {
    const lesson = byId.get(region.lesson);
    return stubbed(region.lesson) && lesson ? stubBody(region, file, lesson) : region.body;
  });
}

/** Every file of the starter, by name, generated in memory from `solutions/`. */
export function generateStarter(stubbed?: (lessonId: string) => boolean, lessons = listLessons()): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of courseFileNames(SOLUTIONS)) {
    files.set(name, stubFile(readFileSync(path.join(SOLUTIONS, name), "utf8"), name, lessons, stubbed));
  }
  return files;
}

/** Writes `files` into `dir`, removing any other `.ts` file there, so `dir` holds exactly `files`. */
export function writeCourseFiles(dir: string, files: Map<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const name of courseFileNames(dir)) {
    if (!files.has(name)) rmSync(path.join(dir, name));
  }
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
}
