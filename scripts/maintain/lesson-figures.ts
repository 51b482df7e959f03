/**
 * The course's generated pictures. A lesson that has pictures holds a `figures.ts` exporting
 * `figures: Record<string, () => Value | Tensor>` (a name and how to build the graph); each becomes
 * `lessons/<lesson>/figures/<name>.svg`, drawn with `toDot` (or `tensorToDot` for a tensor graph,
 * solutions/draw.ts) and rendered by Graphviz.
 * `npm run figures` writes them; course:check regenerates them in memory and reports any that are stale.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tensorToDot, toDot } from "../../solutions/draw";
import type { Value } from "../../solutions/engine";
import { Tensor } from "../../solutions/tensor";
import { type Lesson, listLessons } from "../lib/lessons";
import { ROOT } from "../lib/target";
import { renderSvg } from "./graphviz";

export const FIGURE_SOURCE = "figures.ts";
export const FIGURE_FOLDER = "figures";

/** Every generated picture, by its path relative to the course root, with its SVG text. */
export async function generateFigures(lessons: Lesson[] = listLessons(), root = ROOT): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const lesson of lessons) {
    const source = path.join(root, "lessons", lesson.folder, FIGURE_SOURCE);
    if (!existsSync(source)) continue;
    const module = (await import(pathToFileURL(source).href)) as { figures?: Record<string, () => Value | Tensor> };
    if (!module.figures) {
      throw new Error(
        `lessons/${lesson.folder}/${FIGURE_SOURCE} must export \`figures\`: a name -> graph builder map.`,
      );
    }
    for (const [name, build] of Object.entries(module.figures)) {
      if (!/^[a-z0-9-]+$/.test(name)) {
        throw new Error(
          `lessons/${lesson.folder}/${FIGURE_SOURCE}: figure name "${name}" must be lower-case-with-dashes.`,
        );
      }
      const root = build();
      const dot = root instanceof Tensor ? tensorToDot(root) : toDot(root);
      files.set(`lessons/${lesson.folder}/${FIGURE_FOLDER}/${name}.svg`, await renderSvg(dot));
    }
  }
  return files;
}

/** The SVG files now in the lessons' figures/ folders, relative to the course root. */
export function committedFigures(lessons: Lesson[] = listLessons(), root = ROOT): string[] {
  return lessons.flatMap((lesson) => {
    const folder = path.join(root, "lessons", lesson.folder, FIGURE_FOLDER);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith(".svg"))
      .sort()
      .map((name) => `lessons/${lesson.folder}/${FIGURE_FOLDER}/${name}`);
  });
}

/** What is wrong with the pictures on disk compared with `expected`: one sentence per file. */
export function staleFigures(expected: Map<string, string>, lessons: Lesson[] = listLessons(), root = ROOT): string[] {
  const problems: string[] = [];
  for (const [file, svg] of expected) {
    const full = path.join(root, file);
    if (!existsSync(full)) problems.push(`${file} is missing: run npm run figures.`);
    else if (readFileSync(full, "utf8") !== svg)
      problems.push(
        `${file} is stale: it differs from what its lesson's ${FIGURE_SOURCE} draws now. Run npm run figures.`,
      );
  }
  for (const file of committedFigures(lessons, root)) {
    if (!expected.has(file))
      problems.push(`${file} has no entry in its lesson's ${FIGURE_SOURCE}: remove it or run npm run figures.`);
  }
  return problems;
}

/** Writes `figures`, removing SVGs in figures/ folders that no source draws any more. */
export function writeFigures(figures: Map<string, string>, lessons: Lesson[] = listLessons(), root = ROOT): void {
  for (const file of committedFigures(lessons, root)) {
    if (!figures.has(file)) rmSync(path.join(root, file));
  }
  for (const [file, svg] of figures) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), svg);
  }
}
