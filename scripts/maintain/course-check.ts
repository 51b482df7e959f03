/**
 * `npm run course:check`: proves the course is consistent (invariants 1-4 of COURSE.md).
 *
 *   1. src/ is exactly what the starter generator writes from solutions/.
 *   2. Against solutions/, every lesson test passes.
 *   3. Against the starter, every lesson test fails.
 *   4. With only lesson N stubbed, every lesson-N test fails and every test of the lessons before N passes.
 * And the committed pictures (lessons/<lesson>/figures/*.svg) are what `npm run figures` draws now, every
 * lesson's hints.md has a part for each of its describe blocks, so that a hint is there for any failing test, and
 * every command a lesson's text tells the learner to run works on a copy solved up to that lesson
 * (lesson-commands.ts).
 * (Invariant 5, the README code blocks, is checked by `npm test`: tests/readme-code-blocks.test.ts.)
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { hintProblems, hintsPath, lessonHints } from "../lib/hints";
import { listLessons } from "../lib/lessons";
import { MarkerError } from "../lib/regions";
import { courseFileNames, generateStarter, SRC, writeCourseFiles } from "../lib/starter";
import { ROOT } from "../lib/target";
import { pool, type RunOutcome, runTests, type TestResult } from "../lib/vitest";
import { courseSolvedUpTo, lessonCommands, runLessonCommand, runsLearnerCode } from "./lesson-commands";
import { generateFigures, staleFigures } from "./lesson-figures";

const SCRATCH = path.join(ROOT, ".course", "check");
const problems: string[] = [];
const lessons = listLessons();

function checkSrcIsStarter(starter: Map<string, string>): void {
  const present = new Set(courseFileNames(SRC));
  for (const [name, text] of starter) {
    if (!present.has(name)) {
      problems.push(`src/${name} is missing: run npm run starter.`);
      continue;
    }
    const actual = readFileSync(path.join(SRC, name), "utf8").split("\n");
    const expected = text.split("\n");
    const line = expected.findIndex((l, i) => l !== actual[i]);
    if (line >= 0 || actual.length !== expected.length) {
      const at = line >= 0 ? line + 1 : Math.min(actual.length, expected.length) + 1;
      problems.push(`src/${name}:${at} differs from what the generator writes from solutions/: run npm run starter.`);
    }
  }
  for (const name of present) {
    if (!starter.has(name)) problems.push(`src/${name} has no counterpart in solutions/: remove it or add it there.`);
  }
}

function prepare(name: string, stubbed?: (lessonId: string) => boolean): string {
  const dir = path.join(SCRATCH, name);
  writeCourseFiles(dir, generateStarter(stubbed, lessons));
  return dir;
}

function lessonFilters(upTo: number): string[] {
  return lessons.filter((l) => l.number <= upTo).map((l) => `lessons/${l.folder}/`);
}

function expectRan(outcome: RunOutcome, what: string): TestResult[] {
  if (outcome.results.length === 0) {
    problems.push(`${what}: vitest ran no tests.\n${outcome.output.slice(-2000)}`);
  }
  return outcome.results;
}

/** Each lesson's commands that run the learner's code, on a copy of the course solved up to that lesson. */
async function checkLessonCommands(): Promise<void> {
  const started = Date.now();
  const rows = await pool(
    lessons.map((lesson) => async () => {
      const text = readFileSync(path.join(ROOT, lesson.readme), "utf8");
      const commands = lessonCommands(text, lesson.readme).filter((c) => runsLearnerCode(c.command));
      if (commands.length === 0) return `ok  ${lesson.id}  no commands on the learner's code`;
      const copy = path.join(SCRATCH, `commands-${lesson.id}`);
      courseSolvedUpTo(copy, lesson.number, lessons);
      const ran: string[] = [];
      let bad = false;
      for (const { command, where } of commands) {
        const outcome = await runLessonCommand(command, copy);
        ran.push(`${command} (${outcome.seconds.toFixed(0)} s)`);
        if (outcome.ok) continue;
        bad = true;
        problems.push(
          `${lesson.id}: "${command}" (${where}) fails on a copy solved up to ${lesson.id}:\n${outcome.output.trim()}`,
        );
      }
      return `${bad ? "BAD" : "ok "} ${lesson.id}  on a copy solved up to it: ${ran.join(", ")}`;
    }),
    2,
  );
  console.log(`\nThe commands of each lesson text that run the learner's code:\n${rows.join("\n")}`);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function main(): Promise<void> {
  let starter: Map<string, string>;
  try {
    starter = generateStarter(undefined, lessons);
  } catch (error) {
    if (error instanceof MarkerError) {
      console.error(`course:check failed\n  ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  checkSrcIsStarter(starter);
  problems.push(...staleFigures(await generateFigures(lessons)));

  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  const last = lessons[lessons.length - 1]?.number ?? 0;
  const starterDir = prepare("starter");
  const isolated = lessons.map((l) => prepare(`only-${l.id}`, (id) => id === l.id));

  const started = Date.now();
  const [reference, onStarter, ...onIsolated] = await pool(
    [
      () => runTests({ target: "solutions", filters: lessonFilters(last), maxWorkers: 1 }),
      () => runTests({ target: starterDir, filters: lessonFilters(last), maxWorkers: 1 }),
      ...lessons.map(
        (l, i) => () => runTests({ target: isolated[i], filters: lessonFilters(l.number), maxWorkers: 1 }),
      ),
    ],
    2,
  );
  const referenceResults = expectRan(reference, "against solutions/");
  const starterResults = expectRan(onStarter, "against the starter");

  const rows: string[] = [];
  lessons.forEach((lesson, i) => {
    const mine = (results: TestResult[]) => results.filter((r) => r.lesson === lesson.id);
    const ref = mine(referenceResults);
    const start = mine(starterResults);
    const iso = expectRan(onIsolated[i], `with only ${lesson.id} stubbed`);
    const isoOwn = mine(iso);
    const isoEarlier = iso.filter((r) => r.lesson !== lesson.id);
    const failures: string[] = [];

    if (ref.length === 0) failures.push("has no tests");
    for (const t of ref.filter((r) => r.status !== "passed"))
      failures.push(`fails against solutions/: ${t.name}\n      ${t.message}`);
    for (const t of start.filter((r) => r.status === "passed")) failures.push(`passes against the starter: ${t.name}`);
    for (const t of isoOwn.filter((r) => r.status === "passed"))
      failures.push(`passes with only ${lesson.id} stubbed: ${t.name}`);
    const testNames = ref.map((t) => t.name);
    for (const p of hintProblems(hintsPath(lesson), lessonHints(lesson), testNames)) failures.push(p);
    for (const t of isoEarlier.filter((r) => r.status !== "passed")) {
      failures.push(
        `${t.lesson} test fails when only ${lesson.id} is stubbed (it depends on a later lesson): ${t.name}`,
      );
    }

    const verdict = failures.length === 0 ? "ok " : "BAD";
    const what = failures.length === 0 ? "pass on solutions/, fail on the starter, fail alone" : "see below";
    rows.push(`${verdict} ${lesson.id}  ${String(ref.length).padStart(3)} tests  ${what}  (${lesson.title})`);
    for (const f of failures) problems.push(`${lesson.id} ${f}`);
  });

  console.log(rows.join("\n"));
  console.log(`(${onIsolated.length + 2} test runs in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await checkLessonCommands();
  rmSync(SCRATCH, { recursive: true, force: true });
  if (problems.length > 0) {
    console.error(`\ncourse:check found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`course:check passed: ${lessons.length} lessons consistent.`);
}

await main();
