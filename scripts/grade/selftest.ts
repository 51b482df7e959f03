/**
 * `npm run grade:selftest`: grades the hostile submissions of tests/fixtures/grading/ in one batch, through
 * the same sandbox, pool and reports as `npm run grade`, and checks:
 * - each fixture's score, reason and duration, and its learner's name where it says;
 * - GitHub Classroom's reporter, as classroom-reporter.ts models it, shows each grade to the cent in its table
 *   and its notice;
 * - every report is well-formed, holds no control character, no raw HTML, no heading of the submission's
 *   making, and no path of this machine (the grader's copies, the course); every part of it the submission
 *   controls (notes, reasons, messages) is within its limit (bounds.ts);
 * - the course tree is byte for byte what it was (every file, node_modules included);
 * - no process a submission started is alive, $GITHUB_OUTPUT and the stream file named in the grader's
 *   environment are untouched;
 * - a grader stopped in the middle of a run (selftest-signals.ts): with SIGINT or SIGTERM it leaves nothing
 *   behind; with SIGKILL no process, and the next grader removes the folder and control groups it left;
 * - a busy machine costs an honest submission nothing (selftest-load.ts): the reference, graded with --bonus
 *   on one processor beside two busy loops, scores every lesson's points.
 *
 * A fixture is a JSON file: a base `src/` (the reference or the starter; the reference `solvedUpTo` a lesson
 * has every later lesson stubbed), find/replace `edits` (`all` to replace every occurrence), extra `files`,
 * files to `generate` (a path with `{n}`, a count, a text) and `delete`d ones (written into a copy of the
 * course when `copyLessons`), the `folder` the submission sits in (default: the fixture's name), `gate: false`
 * to prove what the rest holds on its own, `typecheck` to grade with --typecheck, `budgetSeconds` to pin the
 * time budget, `slow` to start it first; and what to `expect`: the `total` and some `lessons`' points (a
 * number, or "<N"), `feedback` phrases and `feedbackExcludes` (phrases it must not hold), `maxSeconds`, the
 * `learner` name (a regular expression). Too slow for `npm test`; .ci/run calls it.
 * `npm run grade:selftest -- <word> ...` grades only the fixtures whose names contain a word (the stopped-grader
 * checks run when the infinite-loop fixture is among them, the busy machine's when the reference is).
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { readManifest } from "../lib/manifest";
import { generateStarter, SOLUTIONS, writeCourseFiles } from "../lib/starter";
import { ROOT } from "../lib/target";
import { pool } from "../lib/vitest";
import { overLimits } from "./bounds";
import { type ClassroomResult, classroomJson } from "./classroom";
import { reporterDisagrees } from "./classroom-reporter";
import { learnerNames } from "./grade";
import { buildCatalogue, courseLessons, type GradeOptions, gradeSubmission, referenceBudget } from "./grader";
import { feedbackMarkdown, gradebookCsv, isHidden, junitXml, oneLine } from "./reports";
import { detectSandbox } from "./sandbox";
import { type Grade, points } from "./score";
import { busyMachineTest } from "./selftest-load";
import { leftovers, stoppedGraderTests } from "./selftest-signals";
import { checkCsv, checkMarkdown, checkXml, parseCsv } from "./wellformed";

interface Fixture {
  description: string;
  base: "reference" | "starter";
  /** With the reference: every lesson after this one is the starter's stub (a cheaper fixture where later lessons do not matter). */
  solvedUpTo?: string;
  folder?: string;
  copyLessons?: boolean;
  isolate?: boolean;
  gate?: boolean;
  typecheck?: boolean;
  budgetSeconds?: number;
  slow?: boolean;
  edits?: { file: string; find: string; replace: string; all?: boolean }[];
  files?: Record<string, string>;
  /** Files made at self-test time: a path with `{n}` in it, how many, and their text. */
  generate?: { path: string; count: number; text: string }[];
  delete?: string[];
  expect: {
    total?: Expected;
    lessons?: Record<string, Expected>;
    feedback?: string[];
    /** Phrases the feedback must not hold (what a hostile submission tried to put there). */
    feedbackExcludes?: string[];
    /** The most own time (own-time.ts) its grading may take, in seconds. */
    maxSeconds?: number;
    learner?: string;
  };
}

const FIXTURES = path.join(ROOT, "tests", "fixtures", "grading");
const WORK = path.join(ROOT, ".course", "grade-selftest");

/** Every file of the course tree with its hash (or a symlink's target), but the self-test's own reports. */
function courseFingerprint(): Map<string, string> {
  const hashes = new Map<string, string>();
  const skip = new Set([path.join(ROOT, ".course", "grade-selftest")]);
  const todo = [ROOT];
  while (todo.length > 0) {
    const dir = todo.pop() as string;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (skip.has(absolute)) continue;
      const relative = path.relative(ROOT, absolute);
      if (entry.isDirectory()) {
        todo.push(absolute);
        hashes.set(`${relative}/`, "dir");
      } else if (entry.isSymbolicLink()) hashes.set(relative, `-> ${readlinkSync(absolute)}`);
      else hashes.set(relative, createHash("sha256").update(readFileSync(absolute)).digest("hex"));
    }
  }
  return hashes;
}

/** Builds a fixture's submission folder (under `submissions`, outside the course) from the reference or the starter. */
function build(submissions: string, name: string, fixture: Fixture): string {
  const dir = path.join(submissions, fixture.folder ?? name);
  const src = path.join(dir, "src");
  const upTo = fixture.solvedUpTo;
  const base =
    fixture.base === "starter"
      ? generateStarter()
      : upTo
        ? generateStarter((lesson) => lesson > upTo)
        : new Map(readdirSync(SOLUTIONS).map((n) => [n, readFileSync(path.join(SOLUTIONS, n), "utf8")]));
  writeCourseFiles(src, base);
  if (fixture.copyLessons) cpSync(path.join(ROOT, "lessons"), path.join(dir, "lessons"), { recursive: true });
  for (const edit of fixture.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = readFileSync(file, "utf8");
    if (!text.includes(edit.find)) throw new Error(`fixture ${name}: "${edit.find}" is not in ${edit.file}.`);
    writeFileSync(file, edit.all ? text.split(edit.find).join(edit.replace) : text.replace(edit.find, edit.replace));
  }
  for (const { path: pattern, count, text } of fixture.generate ?? []) {
    mkdirSync(path.dirname(path.join(dir, pattern)), { recursive: true });
    for (let n = 0; n < count; n++) writeFileSync(path.join(dir, pattern.replace("{n}", String(n))), text);
  }
  for (const [file, text] of Object.entries(fixture.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  for (const file of fixture.delete ?? []) rmSync(path.join(dir, file));
  return dir;
}

/** Points expected: exactly a number, or "<N" for less than N (where the exact share depends on the tests). */
type Expected = number | string;

function meets(got: number, want: Expected): boolean {
  return typeof want === "number" ? Math.abs(got - want) < 0.005 : got < Number(want.slice(1));
}

function check(fixture: Fixture, grade: Grade, markdown: string): string[] {
  const problems: string[] = [];
  const { total, lessons = {}, feedback = [], feedbackExcludes = [], maxSeconds, learner } = fixture.expect;
  if (total !== undefined && !meets(grade.score / 100, total)) {
    problems.push(`total ${points(grade.score)}, expected ${total}`);
  }
  for (const [id, want] of Object.entries(lessons)) {
    const got = (grade.lessons.find((l) => l.id === id)?.score ?? Number.NaN) / 100;
    if (!meets(got, want)) problems.push(`${id} got ${got}, expected ${want}`);
  }
  for (const phrase of feedback) {
    if (!markdown.includes(phrase)) problems.push(`feedback does not say "${phrase}"`);
  }
  for (const phrase of feedbackExcludes) {
    if (markdown.includes(phrase)) problems.push(`feedback says "${phrase}"`);
  }
  if (maxSeconds !== undefined && grade.ownMs > maxSeconds * 1000) {
    problems.push(`took ${(grade.ownMs / 1000).toFixed(1)} s of its own time, more than ${maxSeconds} s`);
  }
  if (learner !== undefined && !new RegExp(learner, "u").test(grade.learner)) {
    problems.push(`named ${JSON.stringify(grade.learner)}, expected ${learner}`);
  }
  return problems;
}

/**
 * What no report may hold: control characters, host paths, and in markdown, outside fenced blocks (where
 * nothing is rendered), raw HTML or headings of the submission's making.
 */
function reportProblems(name: string, text: string, hostPaths: string[]): string[] {
  const problems: string[] = [];
  if (Array.from(text).some((ch) => isHidden(ch.codePointAt(0) ?? 0)))
    problems.push(`${name} holds a control character`);
  for (const host of hostPaths) if (text.includes(host)) problems.push(`${name} shows the path ${host}`);
  if (name.endsWith(".md")) {
    const rendered = text.replace(/^ *```text\n[\s\S]*?^ *```$/gm, "");
    if (/<[a-z]/i.test(rendered)) problems.push(`${name} holds raw HTML from the submission`);
    const headings = rendered.split("\n").filter((l) => /^\s{0,3}#/.test(l));
    const ours = headings.filter((l) => /^# Grade for |^## About this submission$|^## lesson-\d\d: /.test(l));
    if (ours.length !== headings.length) problems.push(`${name} has a heading the grader did not write`);
  }
  return problems;
}

async function main(): Promise<number> {
  const totalStart = Date.now();
  const { sandbox, summary } = detectSandbox();
  console.log(`grade:selftest: ${summary}`);
  if (!sandbox && !process.argv.includes("--no-sandbox")) {
    console.error("grade:selftest needs the sandbox (install bubblewrap), or --no-sandbox to check the rest.");
    return 1;
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // After WORK exists: on a fresh clone, making it also makes .course/, which is not grading's doing.
  const before = courseFingerprint();
  const temp = mkdtempSync(path.join(os.tmpdir(), "course-grade-selftest-"));
  const submissions = path.join(temp, "submissions");
  const scratch = path.join(temp, "scratch");
  // Outputs a hostile submission must not reach: the grader's environment names them.
  const githubOutput = path.join(temp, "github-output");
  const streamFile = path.join(temp, "stream.jsonl");
  writeFileSync(githubOutput, "");
  writeFileSync(streamFile, "");
  process.env.GITHUB_OUTPUT = githubOutput;
  process.env.COURSE_STREAM_FILE = streamFile;

  // `npm run grade:selftest -- heap loop` grades only the fixtures whose names contain one of the words.
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const names = readdirSync(FIXTURES)
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length))
    .filter((n) => only.length === 0 || only.some((word) => n.includes(word)))
    .sort();
  const fixtures = names.map((n) => JSON.parse(readFileSync(path.join(FIXTURES, `${n}.json`), "utf8")) as Fixture);
  const folders = names.map((n, i) => build(submissions, n, fixtures[i]));
  const learners = learnerNames(folders);

  // A short per-file limit keeps the looping fixtures cheap; the course's test files take about a second each.
  const limits = { timeoutMs: Number(process.env.GRADE_SELFTEST_TIMEOUT ?? 6) * 1000, memoryMb: 256 };
  const { manifest, lessons } = courseLessons(readManifest());
  const started = Date.now();
  const reference = await buildCatalogue(manifest, lessons, { limits, scratch, sandbox });
  const { catalogue, referenceMs } = reference;
  const options = (fixture: Fixture): GradeOptions => ({
    limits,
    isolate: fixture.isolate ?? false,
    scratch,
    typecheck: fixture.typecheck ?? false,
    sandbox,
    budgetMs: fixture.budgetSeconds
      ? fixture.budgetSeconds * 1000
      : referenceBudget(reference, limits, fixture.isolate ?? false),
    referenceFileMs: reference.referenceFileMs,
    gate: fixture.gate ?? true,
  });
  // The slow fixtures first, so the quick ones fill the other worker meanwhile.
  const order = names
    .map((_, i) => i)
    .sort((a, b) => Number(fixtures[b].slow ?? false) - Number(fixtures[a].slow ?? false));
  const graded = await pool(
    order.map(
      (i) => async () => [i, await gradeSubmission(folders[i], learners[i], catalogue, options(fixtures[i]))] as const,
    ),
  );
  const grades: Grade[] = new Array(names.length);
  for (const [i, grade] of graded) grades[i] = grade;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const out = path.join(WORK, "reports");
  mkdirSync(out, { recursive: true });
  const hostPaths = [temp, ROOT, os.tmpdir() === "/tmp" ? "/tmp/course-grade" : os.tmpdir()];
  const problems: string[] = [];
  grades.forEach((grade, i) => {
    const json = classroomJson(grade);
    const markdown = feedbackMarkdown(grade);
    const xml = junitXml(grade);
    writeFileSync(path.join(out, `${grade.learner}.json`), json);
    writeFileSync(path.join(out, `${grade.learner}.md`), markdown);
    writeFileSync(path.join(out, `${grade.learner}.xml`), xml);
    try {
      const parsed = Object.values(JSON.parse(json)) as ClassroomResult[];
      if (parsed.some((runner) => runner.version !== 1) || parsed.reduce((sum, r) => sum + r.max_score, 0) !== 100)
        problems.push(`${grade.learner}: bad Classroom JSON header`);
    } catch (error) {
      problems.push(`${grade.learner}: Classroom JSON does not parse: ${(error as Error).message}`);
    }
    problems.push(...reporterDisagrees(grade).map((p) => `${names[i]}: ${p}`));
    for (const p of checkXml(xml)) problems.push(`${names[i]}: JUnit XML: ${p}`);
    for (const p of checkMarkdown(markdown)) problems.push(`${names[i]}: feedback: ${p}`);
    for (const [ext, text] of [
      ["json", JSON.stringify(JSON.parse(json))],
      ["md", markdown],
      ["xml", xml],
    ]) {
      problems.push(...reportProblems(`${names[i]}.${ext}`, text, hostPaths));
    }
    const parts = {
      notes: grade.notes,
      reasons: grade.lessons.flatMap((l) => l.reasons),
      messages: grade.lessons.flatMap((l) => l.tests.map((t) => t.message)),
    };
    problems.push(...overLimits(parts).map((p) => `${names[i]}: unbounded feedback: ${p}`));
    const mine = check(fixtures[i], grade, markdown);
    problems.push(...mine.map((p) => `${names[i]}: ${p}`));
    const lessonPoints = grade.lessons.map((l) => points(l.score).padStart(5)).join(" ");
    console.log(
      `${mine.length === 0 ? "ok " : "BAD"} ${names[i].padEnd(28)} ${points(grade.score).padStart(6)}/100 ${(grade.durationMs / 1000).toFixed(1).padStart(5)} s ${`(own ${(grade.ownMs / 1000).toFixed(1)} s)`.padStart(14)}  ${lessonPoints}`,
    );
  });
  const csv = gradebookCsv(
    grades,
    catalogue.map((l) => l.id),
  );
  writeFileSync(path.join(out, "gradebook.csv"), csv);
  for (const p of checkCsv(csv)) problems.push(`gradebook.csv: ${p}`);
  const rows = parseCsv(csv).slice(1);
  if (new Set(rows.map((r) => r[0].toLowerCase())).size !== rows.length)
    problems.push("gradebook.csv: two rows share a learner");
  if (rows.some((row, i) => row[1] !== oneLine(folders[i])))
    problems.push("gradebook.csv: a row's source is not its folder");
  problems.push(...reportProblems("gradebook.csv", csv, [ROOT]));

  // Nothing a submission did may outlive its grade, or reach the grader's outputs and the course.
  const left = leftovers(process.pid);
  for (const p of left.processes) problems.push(`process ${p}, started by a submission, is still alive`);
  for (const g of left.groups) problems.push(`control group ${g} is left behind`);
  if (readFileSync(githubOutput, "utf8") !== "") problems.push("$GITHUB_OUTPUT was written during the batch");
  if (readFileSync(streamFile, "utf8") !== "") problems.push("the stream file named in the environment was written");

  // One after the other: a grader that starts removes what killed graders left, which the stopped graders check.
  const loop = folders[names.indexOf("infinite-loop")];
  if (sandbox && loop) problems.push(...(await stoppedGraderTests(loop, temp)));
  const referenceCopy = folders[names.indexOf("reference")];
  if (sandbox && referenceCopy) {
    const busy = await busyMachineTest(referenceCopy, temp);
    problems.push(...busy.problems);
    console.log(busy.summary);
  }

  const after = courseFingerprint();
  for (const [file, hash] of before) {
    if (after.get(file) !== hash) problems.push(`the course's own ${file} changed during grading`);
  }
  for (const file of after.keys()) if (!before.has(file)) problems.push(`grading created ${file} in the course`);

  console.log(
    `\n${grades.length} fixtures graded in ${seconds} s (reference run ${(referenceMs / 1000).toFixed(1)} s; reports in ${path.relative(ROOT, out)}/); self-test ${((Date.now() - totalStart) / 1000).toFixed(1)} s in all, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}.`,
  );
  if (problems.length > 0) {
    console.error(`grade:selftest found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    // Kept for a look (the submissions as graded, the busy machine's reports); 90 MB with the 20,000 extra files.
    console.error(`The submissions and outputs are kept in ${temp}: remove it when done.`);
    return 1;
  }
  rmSync(temp, { recursive: true, force: true });
  console.log("grade:selftest passed: every hostile submission got its expected score and reason.");
  return 0;
}

process.exitCode = await main();
