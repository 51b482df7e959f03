import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { everyLesson, manifestIfReadable } from "./manifest";
import { ROOT } from "./target";

export interface Lesson {
  /** "lesson-03" */
  id: string;
  /** 3 */
  number: number;
  /** "lesson-03-topo-sort" */
  folder: string;
  /** "lessons/lesson-03-topo-sort/README.md", relative to the course root. */
  readme: string;
  /** The README's first heading. */
  title: string;
  /** The title of the bonus part the lesson belongs to ("Beyond the notebook"), from course.json; none for the core. */
  part?: string;
  /** What the lesson builds, from course.json, if it says. */
  summary?: string;
}

/** Every lesson of the course, in order, read from the `lessons/lesson-NN-*` folders. */
export function listLessons(root = ROOT): Lesson[] {
  const manifest = manifestIfReadable(root);
  const bonus = manifest?.bonus;
  const bonusIds = new Set(bonus?.lessons.map((l) => l.id));
  const entries = manifest ? everyLesson(manifest) : [];
  return readdirSync(path.join(root, "lessons"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^lesson-\d\d-/.test(entry.name))
    .map((entry) => {
      const id = entry.name.slice(0, "lesson-NN".length);
      const readme = `lessons/${entry.name}/README.md`;
      const summary = entries.find((l) => l.id === id)?.summary;
      return {
        id,
        number: Number(id.slice(-2)),
        folder: entry.name,
        readme,
        title: readTitle(path.join(root, readme)),
        ...(bonus && bonusIds.has(id) ? { part: bonus.title } : {}),
        ...(summary ? { summary } : {}),
      };
    })
    .sort((a, b) => a.number - b.number);
}

/** "Lesson 05 — The Neuron" (or "Lesson 05: the Neuron") becomes the part after the number: lists show the number on its own. */
export function shortTitle(lesson: Lesson): string {
  const rest = lesson.title.replace(/^lesson[\s-]*\d+\s*[—–:.-]?\s*/i, "").trim();
  return rest.length > 0 ? rest : lesson.folder.replace(/^lesson-\d\d-/, "");
}

/** Finds a lesson from what a person might type: "3", "03", "lesson-03" or the folder name. */
export function findLesson(query: string, lessons = listLessons()): Lesson {
  const number = Number(query.replace(/^lesson-/, "").slice(0, 2));
  const lesson = lessons.find((l) => l.folder === query || l.id === query || l.number === number);
  if (!lesson) {
    throw new Error(`There is no lesson "${query}". The lessons are ${lessons.map((l) => l.number).join(", ")}.`);
  }
  return lesson;
}

function readTitle(readmePath: string): string {
  try {
    const heading = readFileSync(readmePath, "utf8").match(/^#\s+(.+)$/m);
    return heading ? heading[1].trim() : "";
  } catch {
    return "";
  }
}
