/**
 * The course manifest, `course.json`: every lesson's id, title and points. The core lessons total 100; an
 * optional bonus part (lessons 11 to 15, "Beyond the notebook") is worth points of its own, on top.
 * The grader reads the lesson list from here and from the `lessons/` folders, never from its own code,
 * so adding a lesson is one manifest entry plus its folder.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./target";

export interface ManifestLesson {
  /** "lesson-03", the prefix of the lesson's folder. */
  id: string;
  title: string;
  /** What the lesson is worth; within the lesson, credit is shared over its tests. */
  points: number;
  /** What the lesson builds, in a sentence or two of its own, for the course map on the site's home page. */
  summary?: string;
}

/** A part of the course after the core, shown on its own and graded as bonus points. */
export interface ManifestPart {
  /** "Beyond the notebook" */
  title: string;
  lessons: ManifestLesson[];
}

export interface Manifest {
  title: string;
  /** The core lessons: their points total 100. */
  lessons: ManifestLesson[];
  /** The bonus part, if the course has one. */
  bonus?: ManifestPart;
}

export const MANIFEST_FILE = "course.json";
/** What the core lessons are worth together; bonus points come on top. */
export const TOTAL_POINTS = 100;

/** Reads and shape-checks `course.json`; throws with a plain message when it is malformed. */
export function readManifest(root = ROOT): Manifest {
  const file = path.join(root, MANIFEST_FILE);
  const data = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
  checkLessons(data.lessons, "lessons");
  if (data.bonus !== undefined) {
    if (typeof data.bonus?.title !== "string" || data.bonus.title.trim() === "") {
      throw new Error(`${MANIFEST_FILE}: the bonus part needs a title.`);
    }
    checkLessons(data.bonus.lessons, "bonus.lessons");
  }
  return { title: data.title ?? "", lessons: data.lessons as ManifestLesson[], bonus: data.bonus };
}

function checkLessons(lessons: unknown, where: string): void {
  if (!Array.isArray(lessons)) throw new Error(`${MANIFEST_FILE}: expected a "${where}" array.`);
  for (const [i, l] of (lessons as Partial<ManifestLesson>[]).entries()) {
    if (typeof l?.id !== "string" || !/^lesson-\d\d$/.test(l.id)) {
      throw new Error(
        `${MANIFEST_FILE}: ${where}[${i}].id should look like "lesson-03", got ${JSON.stringify(l?.id)}.`,
      );
    }
    if (typeof l.title !== "string" || l.title.trim() === "") {
      throw new Error(`${MANIFEST_FILE}: ${l.id} needs a title.`);
    }
    if (typeof l.points !== "number" || !(l.points >= 0)) {
      throw new Error(`${MANIFEST_FILE}: ${l.id} needs points (a number of at least 0).`);
    }
    if (l.summary !== undefined && typeof l.summary !== "string") {
      throw new Error(`${MANIFEST_FILE}: ${l.id}'s summary should be text.`);
    }
  }
}

/** The core lessons, then the bonus part's, each marked with whether it is a bonus lesson. */
export function everyLesson(manifest: Manifest): (ManifestLesson & { bonus: boolean })[] {
  return [
    ...manifest.lessons.map((l) => ({ ...l, bonus: false })),
    ...(manifest.bonus?.lessons ?? []).map((l) => ({ ...l, bonus: true })),
  ];
}

/**
 * The manifest of the course at `root`, or undefined when it has no readable `course.json` (the lesson list must
 * not break over it: course:check and the manifest test report a broken manifest).
 */
export function manifestIfReadable(root = ROOT): Manifest | undefined {
  try {
    return readManifest(root);
  } catch {
    return undefined;
  }
}

/** What the check needs to know of a lesson folder (lessons.ts's `Lesson` has these, and reads the manifest). */
export interface LessonFolder {
  id: string;
  folder: string;
  title: string;
}

/**
 * What is wrong between the manifest and the lesson folders: a lesson in one and not the other,
 * a duplicate, a title that differs from the README's heading, core points that do not total 100,
 * a bonus lesson placed before a core one.
 * Empty when they agree.
 */
export function manifestProblems(manifest: Manifest, lessons: LessonFolder[]): string[] {
  const problems: string[] = [];
  const entries = everyLesson(manifest);
  const ids = entries.map((l) => l.id);
  const folders = new Set(lessons.map((l) => l.id));
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`${id} is listed twice in ${MANIFEST_FILE}.`);
  }
  for (const id of ids) {
    if (!folders.has(id)) problems.push(`${id} is in ${MANIFEST_FILE} but there is no lessons/${id}-* folder.`);
  }
  for (const lesson of lessons) {
    const entry = entries.find((l) => l.id === lesson.id);
    if (!entry) {
      problems.push(`lessons/${lesson.folder} has no entry in ${MANIFEST_FILE}: add its title and points.`);
      continue;
    }
    // The README's heading is "Lesson NN — Title"; the manifest repeats the title for the grader's reports.
    const heading = lesson.title.replace(/^Lesson \d\d\s*[—–-]\s*/, "");
    if (entry.title !== heading) {
      problems.push(`${lesson.id}'s title in ${MANIFEST_FILE} is "${entry.title}" but its README says "${heading}".`);
    }
    if (!entry.summary?.trim()) {
      problems.push(
        `${lesson.id} has no summary in ${MANIFEST_FILE}: a sentence or two on what it builds, for the site.`,
      );
    } else if (!/[.!?]$/.test(entry.summary.trim())) {
      problems.push(`${lesson.id}'s summary in ${MANIFEST_FILE} should end a sentence (with a full stop).`);
    }
  }
  const lastCore =
    manifest.lessons
      .map((l) => l.id)
      .sort()
      .at(-1) ?? "";
  for (const l of manifest.bonus?.lessons ?? []) {
    if (l.id < lastCore) problems.push(`${l.id} is a bonus lesson, but it comes before the core's ${lastCore}.`);
  }
  const total = manifest.lessons.reduce((sum, l) => sum + l.points, 0);
  if (Math.abs(total - TOTAL_POINTS) > 1e-9) {
    problems.push(`the core points in ${MANIFEST_FILE} total ${total}, not ${TOTAL_POINTS}.`);
  }
  return problems;
}
