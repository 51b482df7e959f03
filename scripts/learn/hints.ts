/**
 * Lesson hints for the learner: `npm run hint -- 3` and the guided mode's `h` (the file format is in
 * lib/hints.ts). Asked for a hint, the learner gets the next one of the part of the lesson that holds the first
 * failing test, so the hint is about what is wrong now; the hint reached in each part is kept in
 * `.course/hints.json` (ignored by git), so a learner is never shown the answer before asking again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Hint, type HintPart, hintsPath, lessonHints, partFor } from "../lib/hints";
import { findLesson, type Lesson, listLessons } from "../lib/lessons";
import { stubbedLesson } from "../lib/stub-message";
import { ROOT } from "../lib/target";
import { runTestsInProcess, type TestResult } from "../lib/vitest";
import { paint, type Terminal } from "./terminal";

/** The hint reached in each part of each lesson: lesson id -> part title -> hint number. */
export type HintState = Record<string, Record<string, number>>;

export function hintStateFile(root = ROOT): string {
  return path.join(root, ".course", "hints.json");
}

export function readHintState(file: string): HintState {
  if (!existsSync(file)) return {};
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (!state || typeof state !== "object") return {};
    // Anything but a part -> number map (an older or damaged file) only means that lesson's hints start again.
    const entries = Object.entries(state as Record<string, unknown>).filter(
      ([, parts]) => parts && typeof parts === "object",
    );
    return Object.fromEntries(entries) as HintState;
  } catch {
    return {};
  }
}

export function writeHintState(file: string, state: HintState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** One hint more of `part` (or its last one again): records it in `.course/hints.json` and returns its number. */
export function revealNextHint(lessonId: string, part: HintPart, root = ROOT): number {
  const stateFile = hintStateFile(root);
  const state = readHintState(stateFile);
  const parts = state[lessonId] ?? {};
  const reached = Math.min((parts[part.title] ?? 0) + 1, part.hints.length);
  state[lessonId] = { ...parts, [part.title]: reached };
  writeHintState(stateFile, state);
  return reached;
}

/** The hint's markdown as a learner reads it: a code block's `skip-check: <reason>` note is for the course's checks. */
export function hintBody(hint: Hint): string {
  return hint.body.replace(/^(\s*```\w*)\s+skip-check:.*$/gm, "$1");
}

/** What to show when the learner asks for a hint on `lesson`, given the lesson's first failing test (if any). */
export type HintChoice =
  | { kind: "hint"; part: HintPart; failing?: TestResult }
  /** The failing test stops at the stub of an earlier lesson: its hints come first. */
  | { kind: "earlier"; lessonId: string; failing: TestResult }
  /** Every test of the lesson passes. */
  | { kind: "passes" }
  | { kind: "none" };

export function chooseHint(lessonId: string, parts: HintPart[], failing: TestResult | undefined): HintChoice {
  if (parts.length === 0) return { kind: "none" };
  if (!failing) return { kind: "passes" };
  const earlier = stubbedLesson(failing.message);
  if (earlier && earlier < lessonId) return { kind: "earlier", lessonId: earlier, failing };
  // A failure outside every part (a test file that does not load) is helped most by the lesson's first part.
  return { kind: "hint", part: partFor(parts, failing.name) ?? parts[0], failing };
}

/** The first failing test of `lesson` against the learner's code in `src/`, or undefined when all pass. */
export async function firstFailingTest(lesson: Lesson, root = ROOT): Promise<TestResult | undefined> {
  const { results } = await runTestsInProcess({ root, target: "src", filters: [`lessons/${lesson.folder}/`] });
  return results.find((r) => r.status === "failed");
}

const USAGE = "usage: npm run hint -- <lesson> [--all] [--reset]   (for example: npm run hint -- 3)";

function formatHint(hint: Hint, part: HintPart, color: boolean): string {
  const heading = `Hint ${hint.number} of ${part.hints.length} for "${part.title}": ${hint.title}`;
  return `${paint(color).bold(heading)}\n\n${hintBody(hint)}`;
}

/**
 * `npm run hint -- <lesson> [--all] [--reset]`. `findFailing` gives the lesson's first failing test; by default it
 * runs the lesson's tests against `src/`.
 */
export async function hintCommand(
  args: string[],
  terminal: Terminal,
  root = ROOT,
  findFailing: (lesson: Lesson) => Promise<TestResult | undefined> = (lesson) => firstFailingTest(lesson, root),
): Promise<number> {
  let parsed: ReturnType<typeof parseHintArgs>;
  let lesson: Lesson;
  try {
    parsed = parseHintArgs(args);
    lesson = findLesson(parsed.query, listLessons(root));
  } catch (error) {
    terminal.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const parts = lessonHints(lesson, root);
  const id = String(lesson.number).padStart(2, "0");
  if (parts.length === 0) {
    terminal.error(`${lesson.id} has no hints (${hintsPath(lesson)}): read the lesson and its tests' messages.`);
    return 1;
  }

  const stateFile = hintStateFile(root);
  const state = readHintState(stateFile);
  const p = paint(terminal.color);
  if (parsed.reset) {
    delete state[lesson.id];
    writeHintState(stateFile, state);
    terminal.print(`The hints of ${lesson.id} start again at hint 1 of every part.`);
    return 0;
  }
  if (parsed.all) {
    terminal.print(
      parts.map((part) => part.hints.map((hint) => formatHint(hint, part, terminal.color)).join("\n\n")).join("\n\n"),
    );
    state[lesson.id] = Object.fromEntries(parts.map((part) => [part.title, part.hints.length]));
    writeHintState(stateFile, state);
    return 0;
  }

  terminal.print(p.dim(`Running ${lesson.id}'s tests on your code in src/, to find the first one that fails ...`));
  const choice = chooseHint(lesson.id, parts, await findFailing(lesson));
  if (choice.kind === "passes") {
    terminal.print(`Every test of ${lesson.id} passes: no hint needed. (--all shows its hints anyway.)`);
    return 0;
  }
  if (choice.kind === "earlier") {
    terminal.print(
      `The first failing test, "${choice.failing.name}", stops in ${choice.lessonId}'s code, which is not done ` +
        `yet. Finish ${choice.lessonId} first: npm run hint -- ${choice.lessonId.slice(-2)} helps with it.`,
    );
    return 0;
  }
  if (choice.kind !== "hint") return 1;
  const { part, failing } = choice;
  const reached = revealNextHint(lesson.id, part, root);
  if (failing) terminal.print(`The first failing test: ${failing.name}\n`);
  const earlier = part.hints.slice(0, reached - 1).map((h) => p.dim(`  Hint ${h.number}: ${h.title}`));
  if (earlier.length > 0) {
    terminal.print(`${p.dim("Already shown for this part (--all shows them again):")}\n${earlier.join("\n")}\n`);
  }
  terminal.print(formatHint(part.hints[reached - 1], part, terminal.color));
  terminal.print(
    reached < part.hints.length
      ? p.dim(`\nStill stuck? npm run hint -- ${id} shows hint ${reached + 1} for this part.`)
      : p.dim(`\nThat was the last hint for this part. npm run hint -- ${id} --reset starts over.`),
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
