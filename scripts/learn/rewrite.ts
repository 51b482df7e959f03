/**
 * `npm run reset -- 3` and `npm run solve -- 3`: rewrite one lesson's exercise regions in the learner's
 * `src/`, back to the starter's stub (reset) or to the reference code (solve). Everything outside that
 * lesson's regions is left exactly as the learner has it.
 *
 * Safety first, because this touches the learner's own code:
 *   - the whole plan is made before anything is written; any doubt (a marker deleted or mangled, a region
 *     missing) refuses with the file and line, and nothing changes;
 *   - the learner sees what will change and confirms (or passes --yes);
 *   - every file is copied to `.course/backups/<time>/src/` before it is rewritten.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findLesson, type Lesson, listLessons } from "../lib/lessons";
import { MarkerError, parseRegions, type RegionSegment, regionsOf, renderSegments } from "../lib/regions";
import { courseFileNames, stubBody } from "../lib/starter";
import { ROOT } from "../lib/target";
import { paint, type Terminal } from "./terminal";

export type Mode = "reset" | "solve";

export interface RegionChange {
  /** 1-based line of the region's BEGIN marker in src/<file>. */
  line: number;
  before: string[];
  after: string[];
}

export interface FilePlan {
  /** The file name, like "engine.ts" (in src/ and solutions/). */
  file: string;
  after: string;
  changes: RegionChange[];
}

/** A reason not to touch src/, said the way a learner can act on it. */
export class RefusalError extends Error {
  override name = "RefusalError";
}

/**
 * What `mode` would do to `lesson` in src/: one plan per file with a change. Throws `RefusalError` when
 * src/ cannot be matched safely with solutions/.
 */
export function planLesson(mode: Mode, lesson: Lesson, lessons: Lesson[], root = ROOT): FilePlan[] {
  const ids = new Set(lessons.map((l) => l.id));
  const plans: FilePlan[] = [];
  for (const file of courseFileNames(path.join(root, "solutions"))) {
    const reference = regionsOf(
      parseRegions(readFileSync(path.join(root, "solutions", file), "utf8"), `solutions/${file}`, ids),
    ).filter((r) => r.lesson === lesson.id);
    if (reference.length === 0) continue;

    const srcPath = path.join(root, "src", file);
    if (!existsSync(srcPath)) {
      throw new RefusalError(
        `src/${file} is missing. Restore it with "git checkout -- src/${file}" (or from .course/backups/), then try again.`,
      );
    }
    const text = readFileSync(srcPath, "utf8");
    const segments = parseSrc(text, file, ids);
    const mine = regionsOf(segments).filter((r) => r.lesson === lesson.id);
    if (mine.length !== reference.length) {
      const where = mine.length > 0 ? `src/${file}:${mine[0].line}` : `src/${file}`;
      throw new RefusalError(
        `${where}: src/${file} has ${mine.length} ${lesson.id} region(s) but solutions/${file} has ${reference.length}, ` +
          `so they cannot be matched safely. A "// BEGIN ${lesson.id}" / "// END ${lesson.id}" pair was deleted or added: ` +
          `put the markers back where solutions/${file} has them (lines ${reference.map((r) => r.line).join(", ")}), then try again. ` +
          "Nothing was changed.",
      );
    }

    const replacement = new Map<RegionSegment, string[]>(
      mine.map((region, i) => [region, mode === "solve" ? reference[i].body : stubBody(reference[i], file, lesson)]),
    );
    const changes = mine
      .filter((region) => region.body.join("\n") !== replacement.get(region)?.join("\n"))
      .map((region) => ({ line: region.line, before: region.body, after: replacement.get(region) ?? region.body }));
    if (changes.length === 0) continue;
    plans.push({ file, after: renderSegments(segments, (r) => replacement.get(r) ?? r.body), changes });
  }
  return plans;
}

function parseSrc(text: string, file: string, ids: Set<string>) {
  try {
    return parseRegions(text, `src/${file}`, ids);
  } catch (error) {
    if (!(error instanceof MarkerError)) throw error;
    throw new RefusalError(
      `${error.message}\nThe exercise markers in src/${file} must stay as they are in solutions/${file}. ` +
        "Fix that marker by hand, then try again. Nothing was changed.",
    );
  }
}

/** A diff-like preview: each changed region with its old lines (-) and new lines (+). */
export function formatPlan(plans: FilePlan[], color: boolean): string {
  const p = paint(color);
  return plans
    .flatMap((plan) =>
      plan.changes.map((change) =>
        [
          p.bold(`src/${plan.file}:${change.line}`),
          ...change.before.map((line) => p.red(`- ${line}`)),
          ...change.after.map((line) => p.green(`+ ${line}`)),
        ].join("\n"),
      ),
    )
    .join("\n\n");
}

/** A folder name for now that sorts in time order: 2025-01-31T12-00-00-000Z. */
export function backupStamp(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

/**
 * Copies every planned file to `.course/backups/<stamp>/src/`, then writes the new text (through a
 * temporary file and a rename, so an interrupted write never leaves half a file). Returns the backup folder.
 */
export function applyPlans(plans: FilePlan[], root = ROOT, stamp = backupStamp()): string {
  const backup = path.join(root, ".course", "backups", stamp, "src");
  mkdirSync(backup, { recursive: true });
  for (const plan of plans) copyFileSync(path.join(root, "src", plan.file), path.join(backup, plan.file));
  for (const plan of plans) {
    const target = path.join(root, "src", plan.file);
    writeFileSync(`${target}.tmp`, plan.after);
    renameSync(`${target}.tmp`, target);
  }
  return path.relative(root, backup);
}

const WHAT: Record<Mode, { verb: string; result: string }> = {
  reset: { verb: "Reset", result: "back to the starter" },
  solve: { verb: "Solve", result: "filled with the reference solution" },
};

/** `npm run reset -- <lesson> [--yes]` and `npm run solve -- <lesson> [--yes]` */
export async function rewriteCommand(mode: Mode, args: string[], terminal: Terminal, root = ROOT): Promise<number> {
  const usage = `usage: npm run ${mode} -- <lesson> [--yes]   (for example: npm run ${mode} -- 3)`;
  let lesson: Lesson;
  let lessons: Lesson[];
  let yes: boolean;
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { yes: { type: "boolean" } } });
    if (positionals.length !== 1) throw new Error("Which lesson? Give its number.");
    yes = values.yes === true;
    lessons = listLessons(root);
    lesson = findLesson(positionals[0], lessons);
  } catch (error) {
    terminal.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  let plans: FilePlan[];
  try {
    plans = planLesson(mode, lesson, lessons, root);
  } catch (error) {
    if (!(error instanceof RefusalError)) throw error;
    terminal.error(error.message);
    return 1;
  }

  const id = String(lesson.number).padStart(2, "0");
  if (plans.length === 0) {
    terminal.print(`${lesson.id} in src/ is already ${WHAT[mode].result}: nothing to change.`);
    return 0;
  }
  const count = plans.reduce((sum, plan) => sum + plan.changes.length, 0);
  terminal.print(`${WHAT[mode].verb} ${lesson.id}: ${count} region(s) in src/ will be ${WHAT[mode].result}.\n`);
  terminal.print(formatPlan(plans, terminal.color));
  terminal.print("");
  if (!yes) {
    if (!terminal.interactive) {
      terminal.error(`Nothing was changed (no terminal to ask). To do it, run: npm run ${mode} -- ${id} --yes`);
      return 1;
    }
    if (!(await terminal.confirm(`${WHAT[mode].verb} ${lesson.id} now? Your current code is backed up first.`))) {
      terminal.print("Nothing was changed.");
      return 1;
    }
  }
  const backup = applyPlans(plans, root);
  terminal.print(
    `Done: ${plans.map((plan) => `src/${plan.file}`).join(", ")} rewritten. Your previous code is in ${backup}/.`,
  );
  return 0;
}
