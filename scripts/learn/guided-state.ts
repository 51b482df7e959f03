/**
 * The guided mode's state and how it changes (`npm start` in a terminal, see guided.ts). Everything here is
 * pure: an event goes in (a save made vitest re-run, a run ended, a key was pressed, a hint was revealed) and
 * the new state comes out with the effects to perform (run a lesson's tests, reveal a hint, quit), which
 * guided.ts carries out. So tests walk through a whole session with made-up results.
 */
import type { Lesson } from "../lib/lessons";
import { parseRegions, regionsOf } from "../lib/regions";
import type { TestResult } from "../lib/vitest";
import { isDone, type LessonProgress, summarize } from "./dashboard";

/**
 * A hint on screen: hint `number` of the `count` of the part `part` (the part of the lesson's first failing test).
 * `count` 0 means there is no hint to show, and `note` says why (no hints.md, the lesson passes, an earlier
 * lesson comes first).
 */
export interface ShownHint {
  lessonId: string;
  part: string;
  number: number;
  count: number;
  title: string;
  body: string;
  note?: string;
}

export interface GuidedState {
  lessons: Lesson[];
  /** What each lesson has the learner write, by lesson id (see `describeWork`). */
  work: Record<string, string>;
  /** The latest results of every test file that has run, by file. */
  results: Record<string, TestResult[]>;
  /** Test files whose results are older than a save they depend on (later lessons are not re-run on a save). */
  stale: string[];
  /** The lesson on screen, an index into `lessons`; -1 until the first run has ended. */
  current: number;
  /** The learner chose the current lesson (n, p, l): it stays on screen even when it passes. */
  picked: boolean;
  running: boolean;
  view: "lesson" | "list";
  /** The highlighted row of the list. */
  cursor: number;
  /** Lessons just finished, or found passing and skipped, since the last save or key: "lesson 01 done". */
  finished: { lessonId: string; skipped: boolean }[];
  /** Lessons that passed and fail since a save, by id. */
  broken: string[];
  hint?: ShownHint;
  /** Errors vitest reported outside any test in the last run. */
  errors: string[];
}

export type GuidedEvent =
  /** Vitest re-runs the tests that depend on a saved file; `stale` are those it left out (later lessons). */
  | { type: "saved"; stale: string[] }
  | { type: "run-start" }
  /** A run ended: `files` are the test files it ran, `results` their tests. */
  | { type: "run-end"; files: string[]; results: TestResult[]; errors: string[] }
  | { type: "key"; name: string; ctrl?: boolean }
  | { type: "hint"; hint: ShownHint };

export type Effect =
  | { kind: "run"; lesson: Lesson }
  /** `failing`: the lesson's first failing test, whose part of the lesson the hint is for. */
  | { kind: "hint"; lesson: Lesson; failing?: TestResult }
  | { kind: "quit" };

export interface Transition {
  state: GuidedState;
  effects: Effect[];
}

export function initialState(lessons: Lesson[], work: Record<string, string> = {}): GuidedState {
  return {
    lessons,
    work,
    results: {},
    stale: [],
    current: -1,
    picked: false,
    running: true,
    view: "lesson",
    cursor: 0,
    finished: [],
    broken: [],
    errors: [],
  };
}

/** Each lesson's counts from the latest results, in lesson order. */
export function progressOf(state: GuidedState): LessonProgress[] {
  return summarize(state.lessons, Object.values(state.results).flat());
}

/** Some of the lesson's results predate a save they depend on (or it never ran). */
export function isStale(state: GuidedState, lesson: Lesson): boolean {
  return (
    state.stale.some((file) => file.includes(`/${lesson.folder}/`)) ||
    !Object.values(state.results).some((results) => results.some((r) => r.lesson === lesson.id))
  );
}

/** Passes, as of the latest save: an auto-advance skips it. */
function settled(state: GuidedState, progress: LessonProgress[], index: number): boolean {
  return isDone(progress[index]) && !isStale(state, state.lessons[index]);
}

export function update(state: GuidedState, event: GuidedEvent): Transition {
  switch (event.type) {
    case "saved":
      return {
        state: { ...state, finished: [], running: true, stale: [...new Set([...state.stale, ...event.stale])] },
        effects: [],
      };
    case "run-start":
      return { state: { ...state, running: true }, effects: [] };
    case "run-end":
      return runEnded(state, event);
    case "key":
      return keyPressed(state, event.name, event.ctrl === true);
    case "hint":
      return { state: { ...state, hint: event.hint }, effects: [] };
  }
}

function runEnded(state: GuidedState, event: Extract<GuidedEvent, { type: "run-end" }>): Transition {
  const before = progressOf(state);
  const results = { ...state.results };
  for (const file of event.files) results[file] = event.results.filter((r) => r.file === file);
  const next: GuidedState = {
    ...state,
    results,
    stale: state.stale.filter((file) => !event.files.includes(file)),
    running: false,
    errors: event.errors,
  };
  const after = progressOf(next);
  const ran = (lesson: Lesson) => event.files.some((file) => file.includes(`/${lesson.folder}/`));

  // A lesson that passed and now fails was broken by the save; it stays reported until it passes again.
  const broken = new Set(state.broken);
  state.lessons.forEach((lesson, i) => {
    if (!ran(lesson)) return;
    if (isDone(after[i])) broken.delete(lesson.id);
    else if (isDone(before[i])) broken.add(lesson.id);
  });
  next.broken = state.lessons.filter((l) => broken.has(l.id)).map((l) => l.id);

  if (state.current === -1) {
    const first = after.findIndex((p, i) => p.total > 0 && !settled(next, after, i));
    return go(next, first === -1 ? state.lessons.length - 1 : first, false);
  }
  const lesson = state.lessons[state.current];
  if (!ran(lesson) || !isDone(after[state.current])) return { state: next, effects: [] };
  const justFinished = !isDone(before[state.current]);
  if (!justFinished && state.picked) return { state: next, effects: [] };
  const target = nextUnfinished(next, after);
  if (target === undefined) {
    return { state: justFinished ? withFinished(next, lesson.id, false) : next, effects: [] };
  }
  return go(withFinished(next, lesson.id, !justFinished), target, false, true);
}

function withFinished(state: GuidedState, lessonId: string, skipped: boolean): GuidedState {
  return { ...state, finished: [...state.finished, { lessonId, skipped }] };
}

/** The first lesson after the current one (then from the start) that does not pass yet. */
function nextUnfinished(state: GuidedState, progress: LessonProgress[]): number | undefined {
  const count = state.lessons.length;
  for (let step = 1; step < count; step++) {
    const i = (state.current + step) % count;
    if (progress[i].total > 0 && !settled(state, progress, i)) return i;
  }
  return undefined;
}

/** Shows lesson `index`; its tests run first when their results are out of date. */
function go(state: GuidedState, index: number, picked: boolean, keepFinished = false): Transition {
  const lesson = state.lessons[index];
  const next: GuidedState = {
    ...state,
    current: index,
    picked,
    view: "lesson",
    finished: keepFinished ? state.finished : [],
    hint: state.hint?.lessonId === lesson.id ? state.hint : undefined,
  };
  return { state: next, effects: isStale(state, lesson) ? [{ kind: "run", lesson }] : [] };
}

function keyPressed(state: GuidedState, name: string, ctrl: boolean): Transition {
  const none = { state, effects: [] };
  if (name === "q" || (ctrl && name === "c")) return { state, effects: [{ kind: "quit" }] };
  if (state.current === -1 || ctrl) return none;
  const last = state.lessons.length - 1;

  if (state.view === "list") {
    if (name === "up" || name === "k")
      return { state: { ...state, cursor: Math.max(0, state.cursor - 1) }, effects: [] };
    if (name === "down" || name === "j") {
      return { state: { ...state, cursor: Math.min(last, state.cursor + 1) }, effects: [] };
    }
    if (name === "return" || name === "enter") return go(state, state.cursor, true);
    if (name === "escape" || name === "l") return { state: { ...state, view: "lesson" }, effects: [] };
    return none;
  }

  const lesson = state.lessons[state.current];
  switch (name) {
    case "n":
      return state.current < last ? go(state, state.current + 1, true) : none;
    case "p":
      return state.current > 0 ? go(state, state.current - 1, true) : none;
    case "l":
      return { state: { ...state, view: "list", cursor: state.current, finished: [] }, effects: [] };
    case "h": {
      const failing = progressOf(state)[state.current].failures[0];
      return { state, effects: [{ kind: "hint", lesson, ...(failing && { failing }) }] };
    }
    case "r":
      return { state, effects: [{ kind: "run", lesson }] };
    default:
      return none;
  }
}

/**
 * What each lesson has the learner write, from the regions of `files` (solutions/): the functions or methods
 * its regions sit in, like "Value's constructor, add, sub, mul, div, neg and pow in src/engine.ts".
 */
export function describeWork(files: { name: string; text: string }[], lessonIds: ReadonlySet<string>) {
  const parts = new Map<string, string[]>();
  for (const { name, text } of files) {
    const lines = text.split("\n");
    const byLesson = new Map<string, Map<string, string[]>>();
    for (const region of regionsOf(parseRegions(text, name, lessonIds))) {
      const { owner, member } = enclosing(lines, region.line - 1);
      const members = byLesson.get(region.lesson) ?? new Map<string, string[]>();
      const names = members.get(owner) ?? [];
      if (!names.includes(member)) names.push(member);
      byLesson.set(region.lesson, members.set(owner, names));
    }
    for (const [lesson, members] of byLesson) {
      const said = [...members].map(([owner, names]) => (owner ? `${owner}'s ${list(names)}` : list(names)));
      parts.set(lesson, [...(parts.get(lesson) ?? []), `${said.join("; ")} in src/${name}`]);
    }
  }
  return Object.fromEntries([...parts].map(([lesson, said]) => [lesson, said.join("; ")]));
}

/** "a", "a and b", "a, b and c" */
function list(names: string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const indent = (line: string) => line.length - line.trimStart().length;

/** The line above `index` that opens the block around it: the nearest one indented less (formatted code). */
function opener(lines: string[], index: number): number {
  let i = index - 1;
  while (i >= 0 && (lines[i].trim() === "" || indent(lines[i]) >= indent(lines[index]))) i--;
  // A signature over several lines closes with ") {": its name is on the line above at the same indentation.
  if (i > 0 && lines[i].trimStart().startsWith(")")) {
    const level = indent(lines[i]);
    i--;
    while (i > 0 && indent(lines[i]) !== level) i--;
  }
  return i;
}

/** The function or method around line `index` ("constructor", "add") and its class, if any ("Value"). */
function enclosing(lines: string[], index: number): { owner: string; member: string } {
  const at = opener(lines, index);
  const member = /^\s*(?:(?:export|default|async|function|static|public|private|protected|get|set)\s+)*([\w$]+)/.exec(
    lines[at] ?? "",
  )?.[1];
  const classLine = at > 0 && indent(lines[at]) > 0 ? lines[opener(lines, at)] : "";
  return { owner: /\bclass\s+([\w$]+)/.exec(classLine)?.[1] ?? "", member: member ?? "" };
}
