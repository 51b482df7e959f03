/**
 * The course manifest, `course.json`: every lesson's id, title and points (they total 100).
 * The grader reads the lesson list from here and from the `lessons/` folders, never from its own code,
 * so adding a lesson is one manifest entry plus its folder.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Lesson } from "./lessons";
import { ROOT } from "./target";

export interface ManifestLesson {
  /** "lesson-03", the prefix of the lesson's folder. */
  id: string;
  title: string;
  /** What the lesson is worth; within the lesson, credit is shared over its tests. */
  points: number;
}

export interface Manifest {
  title: string;
  lessons: ManifestLesson[];
}

export const MANIFEST_FILE = "course.json";
export const TOTAL_POINTS = 100;

/** Reads and shape-checks `course.json`; throws with a plain message when it is malformed. */
export function readManifest(root = ROOT): Manifest {
  const file = path.join(root, MANIFEST_FILE);
  const data = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
  if (!Array.isArray(data.lessons)) throw new Error(`${MANIFEST_FILE}: expected a "lessons" array.`);
  for (const [i, l] of data.lessons.entries()) {
    if (typeof l?.id !== "string" || !/^lesson-\d\d$/.test(l.id)) {
      throw new Error(`${MANIFEST_FILE}: lessons[${i}].id should look like "lesson-03", got ${JSON.stringify(l?.id)}.`);
    }
    if (typeof l.title !== "string" || l.title.trim() === "") {
      throw new Error(`${MANIFEST_FILE}: ${l.id} needs a title.`);
    }
    if (typeof l.points !== "number" || !(l.points >= 0)) {
      throw new Error(`${MANIFEST_FILE}: ${l.id} needs points (a number of at least 0).`);
    }
  }
  return { title: data.title ?? "", lessons: data.lessons };
}

/**
 * What is wrong between the manifest and the lesson folders: a lesson in one and not the other,
 * a duplicate, a title that differs from the README's heading, points that do not total 100.
 * Empty when they agree.
 */
export function manifestProblems(manifest: Manifest, lessons: Lesson[]): string[] {
  const problems: string[] = [];
  const ids = manifest.lessons.map((l) => l.id);
  const folders = new Set(lessons.map((l) => l.id));
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`${id} is listed twice in ${MANIFEST_FILE}.`);
  }
  for (const id of ids) {
    if (!folders.has(id)) problems.push(`${id} is in ${MANIFEST_FILE} but there is no lessons/${id}-* folder.`);
  }
  for (const lesson of lessons) {
    const entry = manifest.lessons.find((l) => l.id === lesson.id);
    if (!entry) {
      problems.push(`lessons/${lesson.folder} has no entry in ${MANIFEST_FILE}: add its title and points.`);
      continue;
    }
    // The README's heading is "Lesson NN — Title"; the manifest repeats the title for the grader's reports.
    const heading = lesson.title.replace(/^Lesson \d\d\s*[—–-]\s*/, "");
    if (entry.title !== heading) {
      problems.push(`${lesson.id}'s title in ${MANIFEST_FILE} is "${entry.title}" but its README says "${heading}".`);
    }
  }
  const total = manifest.lessons.reduce((sum, l) => sum + l.points, 0);
  if (Math.abs(total - TOTAL_POINTS) > 1e-9) {
    problems.push(`the points in ${MANIFEST_FILE} total ${total}, not ${TOTAL_POINTS}.`);
  }
  return problems;
}
