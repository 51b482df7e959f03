/**
 * `npm run grade -- <submission> [<submission> …]`: grades learners' copies of the course with this
 * course's pristine tests (see docs/grading.md).
 *
 *   --out <folder>      where the reports go (default reports/grading)
 *   --isolate           grade each lesson with the reference code for every other lesson
 *   --bonus             also grade the bonus lessons (Beyond the notebook), reported on their own
 *   --timeout <s>       time one test file may take, at least (default 15; the time the machine keeps it waiting
 *                       for a processor does not count, and a file the reference needs long for gets more)
 *   --memory <MB>       heap limit of each test process (default 512)
 *   --jobs <n>          submissions graded at once (default: one per core)
 *   --typecheck         also list each submission's type errors in its feedback
 *   --github-output     write each lesson's result for GitHub Classroom's reporter to $GITHUB_OUTPUT (one submission)
 *   --no-sandbox        grade even where no sandbox can be made (the submissions' code runs with your rights)
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { everyLesson, readManifest } from "../lib/manifest";
import { ROOT } from "../lib/target";
import { pool } from "../lib/vitest";
import { atExit } from "./at-exit";
import { classroomJson, githubOutput } from "./classroom";
import {
  buildCatalogue,
  courseLessons,
  DEFAULT_LIMITS,
  type GradeOptions,
  gradeSubmission,
  referenceBudget,
} from "./grader";
import { feedbackMarkdown, gradebookCsv, junitXml, oneLine } from "./reports";
import { detectSandbox } from "./sandbox";
import { type Grade, points } from "./score";

const USAGE = `usage: npm run grade -- <submission> [<submission> …] [--out reports/grading] [--isolate] [--bonus]
       [--timeout 15] [--memory 512] [--jobs ${os.availableParallelism()}] [--typecheck] [--github-output] [--no-sandbox]
A submission is a folder holding a learner's copy of the course, or only its src/.`;

/** A folder's name as a file name: letters (accents kept), digits, ".", "_" and "-"; nothing else. */
function safeName(name: string): string {
  const safe = name
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, "-")
    .replace(/^[.-]+/, "")
    .replace(/-+$/, "");
  return Array.from(safe).slice(0, 80).join("") || "learner";
}

/**
 * Learners' names from their folders: the base name (the parent's for a bare src/), safe as a file name.
 * Names that would clash (the same folder name in two places, even differing only in case) get a short
 * hash of the folder's full path: unique, and the same whatever order the folders are given in.
 */
export function learnerNames(folders: string[]): string[] {
  const absolute = folders.map((folder) => path.resolve(folder));
  const bases = absolute.map((a) =>
    safeName(path.basename(a) === "src" ? path.basename(path.dirname(a)) : path.basename(a)),
  );
  const count = new Map<string, number>();
  for (const base of bases) count.set(base.toLowerCase(), (count.get(base.toLowerCase()) ?? 0) + 1);
  const taken = new Set(bases.filter((b) => count.get(b.toLowerCase()) === 1).map((b) => b.toLowerCase()));
  return bases.map((base, i) => {
    if (count.get(base.toLowerCase()) === 1) return base;
    const hash = createHash("sha256").update(absolute[i]).digest("hex");
    for (let length = 6; ; length += 2) {
      const name = `${base}-${hash.slice(0, length)}`;
      if (!taken.has(name.toLowerCase())) {
        taken.add(name.toLowerCase());
        return name;
      }
    }
  });
}

/** Scratch folders of graders that were killed before they could remove them. */
function removeStaleScratch(): void {
  for (const name of readdirSync(os.tmpdir())) {
    const owner = /^course-grade-(\d+)-\w+$/.exec(name);
    if (!owner) continue;
    try {
      process.kill(Number(owner[1]), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") {
        rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
      }
    }
  }
}

function table(grades: Grade[], lessonIds: string[]): string {
  const withBonus = grades.some((g) => g.bonus);
  const header = ["learner", ...lessonIds.map((id) => id.slice(-2)), "total", ...(withBonus ? ["bonus"] : []), "time"];
  const rows = grades.map((g) => [
    oneLine(g.learner),
    ...g.lessons.map((l) => points(l.score)),
    `${points(g.score)}/${points(g.max)}`,
    ...(g.bonus ? [`${points(g.bonus.score)}/${points(g.bonus.max)}`] : []),
    `${(g.durationMs / 1000).toFixed(1)}s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function writeReports(out: string, grade: Grade): void {
  writeFileSync(path.join(out, `${grade.learner}.json`), classroomJson(grade));
  writeFileSync(path.join(out, `${grade.learner}.md`), feedbackMarkdown(grade));
  writeFileSync(path.join(out, `${grade.learner}.xml`), junitXml(grade));
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.error(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const missing = positionals.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.error(`No such folder: ${missing.join(", ")}`);
    return 2;
  }
  const number = (value: string | undefined, fallback: number, what: string) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--${what} needs a positive number, got "${value}".`);
    return n;
  };
  const limits = {
    timeoutMs: number(values.timeout, DEFAULT_LIMITS.timeoutMs / 1000, "timeout") * 1000,
    memoryMb: number(values.memory, DEFAULT_LIMITS.memoryMb, "memory"),
  };
  const jobs = number(values.jobs, os.availableParallelism(), "jobs");
  if (values["github-output"] && (!process.env.GITHUB_OUTPUT || positionals.length !== 1)) {
    console.error("--github-output needs $GITHUB_OUTPUT (set by GitHub Actions) and exactly one submission.");
    return 2;
  }
  const detected = detectSandbox();
  const sandbox = values["no-sandbox"] ? undefined : detected.sandbox;
  if (!detected.sandbox && !values["no-sandbox"]) {
    console.error(
      `grade: ${detected.summary}. Refusing to run learners' code without one: install bubblewrap, or pass --no-sandbox to grade anyway (their code then runs with your rights; see docs/grading.md).`,
    );
    return 2;
  }
  console.error(
    `grade: ${sandbox ? detected.summary : "no sandbox (--no-sandbox): the submissions' code runs with your rights, guarded only by the static gate"}`,
  );
  const out = path.resolve(values.out ?? path.join(ROOT, "reports", "grading"));
  mkdirSync(out, { recursive: true });
  // The copies live outside the course tree: a learner's code never sits next to the course's files.
  removeStaleScratch();
  const scratch = mkdtempSync(path.join(os.tmpdir(), `course-grade-${process.pid}-`));
  const releaseScratch = atExit(() => rmSync(scratch, { recursive: true, force: true }));

  const started = Date.now();
  let grades: Grade[] = [];
  let lessonIds: string[] = [];
  try {
    const { manifest, lessons } = courseLessons(readManifest());
    // Without --bonus only the core is graded; with it, the bonus lessons too, marked so they are added up apart.
    const graded = { ...manifest, lessons: values.bonus ? everyLesson(manifest) : manifest.lessons };
    const isolate = values.isolate ?? false;
    const reference = await buildCatalogue(graded, lessons, { limits, scratch, sandbox });
    lessonIds = reference.catalogue.map((l) => l.id);
    const options: GradeOptions = {
      limits,
      isolate,
      scratch,
      typecheck: values.typecheck ?? false,
      sandbox,
      budgetMs: referenceBudget(reference, limits, isolate),
      referenceFileMs: reference.referenceFileMs,
    };
    grades = await gradeAll(positionals, reference.catalogue, options, out, jobs);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    releaseScratch();
  }

  writeFileSync(path.join(out, "gradebook.csv"), gradebookCsv(grades, lessonIds));
  console.log(table(grades, lessonIds));
  for (const g of grades.filter((g) => g.notes.length > 0)) {
    console.log(`\n${oneLine(g.learner)}:\n${g.notes.map((n) => `  - ${oneLine(n)}`).join("\n")}`);
  }
  console.log(
    `\nGraded ${grades.length} submission(s) in ${((Date.now() - started) / 1000).toFixed(1)} s. Reports in ${shownPath(out)}/ (gradebook.csv, <learner>.json/.md/.xml).`,
  );
  // Written once, by the grader, after every run is over: nothing the submission ran could reach this file.
  const target = process.env.GITHUB_OUTPUT;
  if (values["github-output"] && target) {
    appendFileSync(target, githubOutput(grades[0]));
  }
  return 0;
}

/** Grades the submissions, `jobs` at a time; each task ends with a grade (it never throws), so all are waited for. */
async function gradeAll(
  positionals: string[],
  catalogue: Awaited<ReturnType<typeof buildCatalogue>>["catalogue"],
  options: GradeOptions,
  out: string,
  jobs: number,
): Promise<Grade[]> {
  const names = learnerNames(positionals);
  const interactive = process.stderr.isTTY && positionals.length > 1;
  const bar = interactive
    ? new cliProgress.SingleBar(
        {
          format: "grading [{bar}] {value}/{total} submissions | {eta_formatted} left | last: {last}",
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(positionals.length, 0, { last: "-" });
  let done = 0;
  try {
    return await pool(
      positionals.map((folder, i) => async () => {
        const grade = await gradeSubmission(folder, names[i], catalogue, options);
        try {
          writeReports(out, grade);
        } catch (error) {
          grade.notes.push(`Its reports could not be written: ${(error as Error).message}`);
        }
        done++;
        const bonus = grade.bonus ? ` + ${points(grade.bonus.score)}/${points(grade.bonus.max)} bonus` : "";
        const summary = `${oneLine(grade.learner)} ${points(grade.score)}/${points(grade.max)}${bonus}`;
        if (bar) bar.update(done, { last: summary });
        else if (positionals.length > 1) console.error(`[${done}/${positionals.length}] ${summary}`);
        return grade;
      }),
      jobs,
    );
  } finally {
    bar?.stop();
  }
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" },
      isolate: { type: "boolean" },
      bonus: { type: "boolean" },
      timeout: { type: "string" },
      memory: { type: "string" },
      jobs: { type: "string" },
      typecheck: { type: "boolean" },
      "github-output": { type: "boolean" },
      "no-sandbox": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** A folder as the instructor would type it: relative to where they are when it lies below, absolute otherwise. */
function shownPath(folder: string): string {
  const relative = path.relative(process.cwd(), folder);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? folder : relative;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, "scripts", "grade", "grade.ts")) {
  process.exitCode = await main().catch((error: unknown) => {
    console.error(`grade: ${(error as Error).message}`);
    return 1;
  });
}
