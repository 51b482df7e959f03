/**
 * Lesson hints (`npm run hint -- 3`). They live in the lesson's README, in a last section `## Hints`:
 *
 *     <details><summary>Hint 1: short title</summary>
 *     ...markdown...
 *     </details>
 *
 * Each time the learner asks, one more tier is shown; the tier reached per lesson is kept in
 * `.course/hints.json` (ignored by git), so a learner is never shown the answer before asking again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findLesson, type Lesson, listLessons } from "../lib/lessons";
import { ROOT } from "../lib/target";
import { paint, type Terminal } from "./terminal";

export interface Hint {
  /** 1, 2, ... in the order of the README. */
  number: number;
  title: string;
  /** The markdown inside the <details> block, trimmed. */
  body: string;
}

/** The tiers of the README's `## Hints` section, in order; none when there is no such section. */
export function parseHints(markdown: string): Hint[] {
  const section = /^## Hints[ \t]*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1] ?? "";
  const tiers = section.matchAll(/<details>\s*<summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/g);
  return [...tiers].map((match, index) => ({
    number: index + 1,
    title: match[1].trim().replace(/^Hint\s+\d+\s*[:.—–-]\s*/i, ""),
    body: match[2].trim(),
  }));
}

/** The tier reached for each lesson id, as stored in `file`. */
export type HintState = Record<string, number>;

export function hintStateFile(root = ROOT): string {
  return path.join(root, ".course", "hints.json");
}

export function readHintState(file: string): HintState {
  if (!existsSync(file)) return {};
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return state && typeof state === "object" ? (state as HintState) : {};
  } catch {
    return {}; // A damaged state file only means the hints start again at tier 1.
  }
}

export function writeHintState(file: string, state: HintState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

const USAGE = "usage: npm run hint -- <lesson> [--all] [--reset]   (for example: npm run hint -- 3)";

/** The hint's markdown as a learner reads it: a code block's `skip-check: <reason>` note is for the course's checks. */
export function hintBody(hint: Hint): string {
  return hint.body.replace(/^(\s*```\w*)\s+skip-check:.*$/gm, "$1");
}

function formatHint(hint: Hint, count: number, color: boolean): string {
  return `${paint(color).bold(`Hint ${hint.number} of ${count}: ${hint.title}`)}\n\n${hintBody(hint)}`;
}

/** The hint tiers of `lesson`, from its README. */
export function lessonHints(lesson: Lesson, root = ROOT): Hint[] {
  return parseHints(readFileSync(path.join(root, lesson.readme), "utf8"));
}

/**
 * One tier more of a lesson with `count` tiers (or the last one again): records it in `.course/hints.json` and
 * returns it (1-based). `npm run hint` and the guided mode's `h` key both go through here.
 */
export function revealNextHint(lessonId: string, count: number, root = ROOT): number {
  const stateFile = hintStateFile(root);
  const state = readHintState(stateFile);
  const reached = Math.min((state[lessonId] ?? 0) + 1, count);
  state[lessonId] = reached;
  writeHintState(stateFile, state);
  return reached;
}

/** `npm run hint -- <lesson> [--all] [--reset]` */
export function hintCommand(args: string[], terminal: Terminal, root = ROOT): number {
  let parsed: ReturnType<typeof parseHintArgs>;
  let lesson: Lesson;
  try {
    parsed = parseHintArgs(args);
    lesson = findLesson(parsed.query, listLessons(root));
  } catch (error) {
    terminal.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const hints = lessonHints(lesson, root);
  if (hints.length === 0) {
    terminal.error(`${lesson.readme} has no "## Hints" section yet: read the lesson and its tests' messages.`);
    return 1;
  }

  const stateFile = hintStateFile(root);
  const state = readHintState(stateFile);
  const p = paint(terminal.color);
  if (parsed.reset) {
    delete state[lesson.id];
    writeHintState(stateFile, state);
    terminal.print(`The hints of ${lesson.id} start again at hint 1.`);
    return 0;
  }
  if (parsed.all) {
    terminal.print(hints.map((h) => formatHint(h, hints.length, terminal.color)).join("\n\n"));
    state[lesson.id] = hints.length;
    writeHintState(stateFile, state);
    return 0;
  }

  const reached = revealNextHint(lesson.id, hints.length, root);
  const earlier = hints.slice(0, reached - 1).map((h) => p.dim(`  Hint ${h.number}: ${h.title}`));
  if (earlier.length > 0)
    terminal.print(`${p.dim("Already shown (--all shows them again):")}\n${earlier.join("\n")}\n`);
  terminal.print(formatHint(hints[reached - 1], hints.length, terminal.color));
  const id = String(lesson.number).padStart(2, "0");
  terminal.print(
    reached < hints.length
      ? p.dim(`\nStill stuck? npm run hint -- ${id} shows hint ${reached + 1}.`)
      : p.dim(`\nThat was the last hint of ${lesson.id}. npm run hint -- ${id} --reset starts over.`),
  );
  return 0;
}

function parseHintArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: "boolean" }, reset: { type: "boolean" } },
  });
  if (positionals.length !== 1) throw new Error("Which lesson? Give its number.");
  return { query: positionals[0], all: values.all === true, reset: values.reset === true };
}
