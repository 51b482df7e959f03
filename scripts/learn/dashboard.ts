/**
 * The learner's dashboard (`npm start`): how far each lesson is, overall progress, and the next step.
 * The lessons of a bonus part (course.json's "Beyond the notebook") come after the core, under their part's title.
 * `summarize`, `nextStep` and `formatDashboard` are pure, so tests feed them made-up results;
 * `dashboardCommand` runs the real tests.
 */
import { type Lesson, listLessons, shortTitle } from "../lib/lessons";
import { ROOT } from "../lib/target";
import { runTestsInProcess, type TestResult } from "../lib/vitest";
import { failureFrames } from "./failure-frames";
import { paint, type Terminal } from "./terminal";

export interface LessonProgress {
  lesson: Lesson;
  passed: number;
  total: number;
  /** The lesson's failing tests, in the order vitest reported them. */
  failures: TestResult[];
}

export interface NextStep {
  lesson: Lesson;
  /** The first failing test of that lesson, if the run reported one. */
  failure?: TestResult;
}

/** One entry per lesson, counting that lesson's tests in `results`. */
export function summarize(lessons: Lesson[], results: TestResult[]): LessonProgress[] {
  return lessons.map((lesson) => {
    const own = results.filter((r) => r.lesson === lesson.id);
    return {
      lesson,
      passed: own.filter((r) => r.status === "passed").length,
      total: own.length,
      failures: own.filter((r) => r.status === "failed"),
    };
  });
}

export function isDone(progress: LessonProgress): boolean {
  return progress.total > 0 && progress.passed === progress.total;
}

/** The first lesson with tests that are not all passing, or undefined when every lesson is done. */
export function nextStep(progress: LessonProgress[]): NextStep | undefined {
  const next = progress.find((p) => p.total > 0 && !isDone(p));
  return next && { lesson: next.lesson, failure: next.failures[0] };
}

export function bar(passed: number, total: number, color: boolean, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width);
  const [full, empty] = color ? ["█", "░"] : ["#", "."];
  return `${full.repeat(filled)}${empty.repeat(width - filled)}`;
}

const MESSAGE_LINES = 6;

/** The lessons grouped by part, in order: the core (no title) first, then each bonus part. */
function partsOf(progress: LessonProgress[]): { title?: string; lessons: LessonProgress[] }[] {
  const parts: { title?: string; lessons: LessonProgress[] }[] = [];
  for (const x of progress) {
    const last = parts.at(-1);
    if (last && last.title === x.lesson.part) last.lessons.push(x);
    else parts.push({ title: x.lesson.part, lessons: [x] });
  }
  return parts;
}

/** The whole dashboard as text; `color` switches on ANSI colour and Unicode bars. */
export function formatDashboard(progress: LessonProgress[], color: boolean): string {
  const p = paint(color);
  const titleWidth = Math.max(...progress.map((x) => shortTitle(x.lesson).length), 10);
  const countWidth = Math.max(...progress.map((x) => `${x.passed}/${x.total}`.length));
  const lines = [p.bold("Backprop from Scratch: your progress (the tests run against src/)"), ""];

  for (const [i, x] of progress.entries()) {
    if (x.lesson.part !== undefined && x.lesson.part !== progress[i - 1]?.lesson.part) {
      lines.push("", `  ${p.bold(x.lesson.part)} ${p.dim("(bonus)")}`);
    }
    const number = String(x.lesson.number).padStart(2, "0");
    const count = `${x.passed}/${x.total}`.padStart(countWidth);
    const mark = x.total === 0 ? p.dim("no tests yet") : isDone(x) ? p.green(color ? "✓ done" : "done") : "";
    const barText = x.total === 0 ? bar(0, 1, color) : bar(x.passed, x.total, color);
    const coloured = isDone(x) ? p.green(barText) : x.passed > 0 ? p.yellow(barText) : p.dim(barText);
    lines.push(`  ${number}  ${shortTitle(x.lesson).padEnd(titleWidth)}  ${count}  ${coloured}  ${mark}`.trimEnd());
  }

  lines.push("");
  const parts = partsOf(progress);
  for (const part of parts) {
    const passed = part.lessons.reduce((sum, x) => sum + x.passed, 0);
    const total = part.lessons.reduce((sum, x) => sum + x.total, 0);
    const done = part.lessons.filter(isDone).length;
    const name = part.title ?? (parts.length > 1 ? "Core course" : "Overall");
    lines.push(
      `${name}: ${done} of ${part.lessons.length} lessons done, ${passed}/${total} tests passing  ${bar(passed, total, color)}`,
    );
  }
  lines.push("");

  const next = nextStep(progress);
  if (!next) {
    lines.push(p.green("Every lesson passes. Well done: you built backprop from scratch."));
    return lines.join("\n");
  }
  const id = String(next.lesson.number).padStart(2, "0");
  if (next.lesson.part !== undefined && progress.filter((x) => x.lesson.part === undefined).every(isDone)) {
    lines.push(p.green(`The core course is done: well done. On to the bonus part, ${next.lesson.part}.`), "");
  }
  lines.push(
    p.bold(`Next: lesson ${id}, ${shortTitle(next.lesson)}`),
    `  Read  ${next.lesson.readme}`,
    `  Run   npm run lesson -- ${id}    (its tests in watch mode; once: npx vitest run ${next.lesson.id})`,
    `  Hint  npm run hint -- ${id}`,
  );
  if (next.failure) {
    const message = next.failure.message
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(0, MESSAGE_LINES)
      .join("\n    ");
    const where = failureFrames(next.failure, next.lesson.id, color ? "◀" : "<-").map((l) => `    ${l}`);
    lines.push("", `  First failing test: ${p.red(next.failure.name)}`, ...where, `    ${message}`);
  }
  return lines.join("\n");
}

/** `npm start`: runs every lesson's tests against src/ and prints the dashboard. */
export async function dashboardCommand(terminal: Terminal, root = ROOT): Promise<number> {
  const lessons = listLessons(root);
  const outcome = await runTestsInProcess({
    root,
    target: "src",
    filters: lessons.map((l) => `lessons/${l.folder}/`),
    // The lessons keep no state in their modules, so the test files can share them: a third less work.
    isolate: false,
  });
  if (outcome.results.length === 0) {
    terminal.error(`The lesson tests did not run. What vitest reported:\n${outcome.output || "(nothing)"}`);
    return 1;
  }
  terminal.print(formatDashboard(summarize(lessons, outcome.results), terminal.color));
  return 0;
}
