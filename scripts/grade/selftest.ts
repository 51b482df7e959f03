/**
 * `npm run grade:selftest`: grades the hostile submissions of tests/fixtures/grading/ in one batch, through
 * the same pool and child processes as `npm run grade`, and checks that each gets its expected score and
 * reason, that every report is well-formed, and that the course's own files did not change.
 *
 * A fixture is a JSON file: a base `src/` (the reference or the starter), find/replace `edits`, extra
 * `files` and `delete`d ones (written into a copy of the course when `copyLessons`), and what to `expect`:
 * the `total` and some `lessons`' points (a number, or "<N" for less than N), and `feedback` phrases.
 * Too slow for `npm test` (a fixture loops until its time limit); .ci/run calls it.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readManifest } from "../lib/manifest";
import { generateStarter, SOLUTIONS, writeCourseFiles } from "../lib/starter";
import { ROOT } from "../lib/target";
import { pool } from "../lib/vitest";
import { buildCatalogue, courseLessons, type GradeOptions, gradeSubmission } from "./grader";
import { classroomJson, feedbackMarkdown, gradebookCsv, junitXml } from "./reports";
import { type Grade, points } from "./score";
import { checkCsv, checkMarkdown, checkXml } from "./wellformed";

interface Fixture {
  description: string;
  base: "reference" | "starter";
  copyLessons?: boolean;
  isolate?: boolean;
  edits?: { file: string; find: string; replace: string }[];
  files?: Record<string, string>;
  delete?: string[];
  expect: { total?: Expected; lessons?: Record<string, Expected>; feedback?: string[] };
}

const FIXTURES = path.join(ROOT, "tests", "fixtures", "grading");
const WORK = path.join(ROOT, ".course", "grade-selftest");

/** Every file the grader must never change, with its hash. */
function courseFingerprint(): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (relative: string) => {
    const absolute = path.join(ROOT, relative);
    if (statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute)) walk(path.join(relative, name));
    } else {
      hashes.set(relative, createHash("sha256").update(readFileSync(absolute)).digest("hex"));
    }
  };
  for (const entry of [
    "lessons",
    "solutions",
    "src",
    "scripts",
    "tests",
    "course.json",
    "package.json",
    "vitest.config.ts",
    "tsconfig.json",
  ]) {
    walk(entry);
  }
  return hashes;
}

/** Builds a fixture's submission folder from the reference or the starter. */
function build(name: string, fixture: Fixture): string {
  const dir = path.join(WORK, "submissions", name);
  const src = path.join(dir, "src");
  const base =
    fixture.base === "starter"
      ? generateStarter()
      : new Map(readdirSync(SOLUTIONS).map((n) => [n, readFileSync(path.join(SOLUTIONS, n), "utf8")]));
  writeCourseFiles(src, base);
  if (fixture.copyLessons) cpSync(path.join(ROOT, "lessons"), path.join(dir, "lessons"), { recursive: true });
  for (const edit of fixture.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = readFileSync(file, "utf8");
    if (!text.includes(edit.find)) throw new Error(`fixture ${name}: "${edit.find}" is not in ${edit.file}.`);
    writeFileSync(file, text.replace(edit.find, edit.replace));
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

function check(name: string, fixture: Fixture, grade: Grade, markdown: string): string[] {
  const problems: string[] = [];
  const { total, lessons = {}, feedback = [] } = fixture.expect;
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
  return problems.map((p) => `${name}: ${p}`);
}

async function main(): Promise<number> {
  const before = courseFingerprint();
  rmSync(WORK, { recursive: true, force: true });
  const names = readdirSync(FIXTURES)
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length))
    .sort();
  const fixtures = names.map((n) => JSON.parse(readFileSync(path.join(FIXTURES, `${n}.json`), "utf8")) as Fixture);
  const folders = names.map((n, i) => build(n, fixtures[i]));

  // Short limits keep the looping fixture cheap; the course's tests take well under a second per file.
  const limits = { timeoutMs: Number(process.env.GRADE_SELFTEST_TIMEOUT ?? 8) * 1000, memoryMb: 256 };
  const { manifest, lessons } = courseLessons(readManifest());
  const started = Date.now();
  const catalogue = await buildCatalogue(manifest, lessons, limits);
  const options = (isolate: boolean): GradeOptions => ({
    limits,
    isolate,
    scratch: path.join(WORK, "scratch"),
    typecheck: true,
  });
  const grades = await pool(
    folders.map(
      (folder, i) => () => gradeSubmission(folder, names[i], catalogue, options(fixtures[i].isolate ?? false)),
    ),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const out = path.join(WORK, "reports");
  mkdirSync(out, { recursive: true });
  const problems: string[] = [];
  grades.forEach((grade, i) => {
    const json = classroomJson(grade);
    const markdown = feedbackMarkdown(grade);
    const xml = junitXml(grade);
    writeFileSync(path.join(out, `${grade.learner}.json`), json);
    writeFileSync(path.join(out, `${grade.learner}.md`), markdown);
    writeFileSync(path.join(out, `${grade.learner}.xml`), xml);
    try {
      const parsed = JSON.parse(json);
      if (parsed.version !== 1 || parsed.max_score !== 100)
        problems.push(`${grade.learner}: bad Classroom JSON header`);
    } catch (error) {
      problems.push(`${grade.learner}: Classroom JSON does not parse: ${(error as Error).message}`);
    }
    for (const p of checkXml(xml)) problems.push(`${grade.learner}: JUnit XML: ${p}`);
    for (const p of checkMarkdown(markdown)) problems.push(`${grade.learner}: feedback: ${p}`);
    problems.push(...check(names[i], fixtures[i], grade, markdown));
    const mark = check(names[i], fixtures[i], grade, markdown).length === 0 ? "ok " : "BAD";
    const lessonPoints = grade.lessons.map((l) => points(l.score).padStart(5)).join(" ");
    console.log(
      `${mark} ${grade.learner.padEnd(26)} ${points(grade.score).padStart(6)}/100 ${(grade.durationMs / 1000).toFixed(1).padStart(5)} s  ${lessonPoints}`,
    );
  });
  const csv = gradebookCsv(
    grades,
    catalogue.map((l) => l.id),
  );
  writeFileSync(path.join(out, "gradebook.csv"), csv);
  for (const p of checkCsv(csv)) problems.push(`gradebook.csv: ${p}`);

  const after = courseFingerprint();
  for (const [file, hash] of before) {
    if (after.get(file) !== hash) problems.push(`the course's own ${file} changed during grading`);
  }
  for (const file of after.keys()) if (!before.has(file)) problems.push(`grading created ${file} in the course`);

  console.log(`\n${grades.length} fixtures graded in ${seconds} s (reports in ${path.relative(ROOT, out)}/).`);
  if (problems.length > 0) {
    console.error(`grade:selftest found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return 1;
  }
  rmSync(path.join(WORK, "submissions"), { recursive: true, force: true });
  console.log("grade:selftest passed: every hostile submission got its expected score and reason.");
  return 0;
}

process.exitCode = await main();
