/**
 * `npm run grade -- <submission> [<submission> …]`: grades learners' copies of the course with this
 * course's pristine tests (see docs/grading.md).
 *
 *   --out <folder>      where the reports go (default reports/grading)
 *   --isolate           grade each lesson with the reference code for every other lesson
 *   --bonus             also grade the bonus lessons (Beyond the notebook), reported on their own
 *   --timeout <s>       wall-clock limit for one test file (default 15; a run of all files gets twice that)
 *   --memory <MB>       heap limit of each test process (default 512)
 *   --jobs <n>          submissions graded at once (default: one per core)
 *   --typecheck         also list each submission's type errors in its feedback
 *   --github-output     write the result for GitHub Classroom's reporter to $GITHUB_OUTPUT (one submission)
 */
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { everyLesson, readManifest } from "../lib/manifest";
import { ROOT } from "../lib/target";
import { pool } from "../lib/vitest";
import { buildCatalogue, courseLessons, DEFAULT_LIMITS, type GradeOptions, gradeSubmission } from "./grader";
import { classroomJson, feedbackMarkdown, gradebookCsv, junitXml } from "./reports";
import { type Grade, points } from "./score";

const USAGE = `usage: npm run grade -- <submission> [<submission> …] [--out reports/grading] [--isolate] [--bonus]
       [--timeout 15] [--memory 512] [--jobs ${os.availableParallelism()}] [--typecheck] [--github-output]
A submission is a folder holding a learner's copy of the course, or only its src/.`;

/** A learner's name from the folder: its base name (the parent's for a bare src/), safe as a file name. */
export function learnerNames(folders: string[]): string[] {
  const used = new Map<string, number>();
  return folders.map((folder) => {
    const absolute = path.resolve(folder);
    const base = path.basename(absolute) === "src" ? path.basename(path.dirname(absolute)) : path.basename(absolute);
    const safe = base.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "learner";
    const seen = used.get(safe) ?? 0;
    used.set(safe, seen + 1);
    return seen === 0 ? safe : `${safe}-${seen + 1}`;
  });
}

function table(grades: Grade[], lessonIds: string[]): string {
  const withBonus = grades.some((g) => g.bonus);
  const header = ["learner", ...lessonIds.map((id) => id.slice(-2)), "total", ...(withBonus ? ["bonus"] : []), "time"];
  const rows = grades.map((g) => [
    g.learner,
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
  const out = path.resolve(values.out ?? path.join(ROOT, "reports", "grading"));
  mkdirSync(out, { recursive: true });
  const scratch = path.join(ROOT, ".course", "grade", `run-${process.pid}-${Date.now()}`);
  const options: GradeOptions = {
    limits,
    isolate: values.isolate ?? false,
    scratch,
    typecheck: values.typecheck ?? false,
  };

  const started = Date.now();
  const { manifest, lessons } = courseLessons(readManifest());
  // Without --bonus only the core is graded; with it, the bonus lessons too, marked so they are added up apart.
  const graded = { ...manifest, lessons: values.bonus ? everyLesson(manifest) : manifest.lessons };
  const catalogue = await buildCatalogue(graded, lessons, limits);
  const lessonIds = catalogue.map((l) => l.id);
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
  let grades: Grade[];
  try {
    grades = await pool(
      positionals.map((folder, i) => async () => {
        const grade = await gradeSubmission(folder, names[i], catalogue, options);
        writeReports(out, grade);
        done++;
        const bonus = grade.bonus ? ` + ${points(grade.bonus.score)}/${points(grade.bonus.max)} bonus` : "";
        const summary = `${grade.learner} ${points(grade.score)}/${points(grade.max)}${bonus}`;
        if (bar) bar.update(done, { last: summary });
        else if (positionals.length > 1) console.error(`[${done}/${positionals.length}] ${summary}`);
        return grade;
      }),
      jobs,
    );
  } finally {
    bar?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(path.join(out, "gradebook.csv"), gradebookCsv(grades, lessonIds));
  console.log(table(grades, lessonIds));
  for (const g of grades.filter((g) => g.notes.length > 0)) {
    console.log(`\n${g.learner}:\n${g.notes.map((n) => `  - ${n.replace(/\n/g, "\n    ")}`).join("\n")}`);
  }
  console.log(
    `\nGraded ${grades.length} submission(s) in ${((Date.now() - started) / 1000).toFixed(1)} s. Reports in ${path.relative(process.cwd(), out) || "."}/ (gradebook.csv, <learner>.json/.md/.xml).`,
  );

  if (values["github-output"]) {
    const target = process.env.GITHUB_OUTPUT;
    if (!target || grades.length !== 1) {
      console.error("--github-output needs $GITHUB_OUTPUT (set by GitHub Actions) and exactly one submission.");
      return 2;
    }
    appendFileSync(target, `result=${Buffer.from(classroomJson(grades[0])).toString("base64")}\n`);
  }
  return 0;
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
      help: { type: "boolean", short: "h" },
    },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, "scripts", "grade", "grade.ts")) {
  process.exitCode = await main().catch((error: unknown) => {
    console.error(`grade: ${(error as Error).message}`);
    return 1;
  });
}
