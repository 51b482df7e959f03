/**
 * Mutation testing of the lesson tests, the pure parts: which lines Stryker may mutate (the exercise
 * regions of solutions/), the scores read from its JSON report (mutation-testing-report-schema), and the
 * survivors document that explains every mutant the tests cannot kill. `mutation.ts` runs Stryker.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { listLessons } from "../lib/lessons";
import { parseRegions, regionsOf } from "../lib/regions";
import { courseFileNames } from "../lib/starter";
import { ROOT } from "../lib/target";

export const MUTATION_REPORT_DIR = "reports/mutation";
export const SURVIVORS_DOC = "docs/mutation-survivors.md";
/** The whole run and every single file must score at least this much (percent). */
export const OVERALL_MIN = 90;
export const PER_FILE_MIN = 85;

/**
 * Stryker's `mutate` patterns: one line range per exercise region of solutions/ (`solutions/engine.ts:35-38`),
 * the body between the markers, so only the code a learner writes is mutated. New files and lessons are
 * picked up from their markers.
 */
export function regionRanges(root = ROOT): string[] {
  const lessonIds = new Set(listLessons(root).map((l) => l.id));
  const dir = path.join(root, "solutions");
  return courseFileNames(dir).flatMap((name) => {
    const text = readFileSync(path.join(dir, name), "utf8");
    return regionsOf(parseRegions(text, `solutions/${name}`, lessonIds)).map(
      (r) => `solutions/${name}:${r.line + 1}-${r.line + r.body.length}`,
    );
  });
}

/** The files of `--only a.ts,b.ts` in a command line; undefined without the option (every file). */
export function onlyFiles(argv: string[]): string[] | undefined {
  const at = argv.indexOf("--only");
  if (at < 0) return undefined;
  const files = (argv[at + 1] ?? "").split(",").filter((file) => file !== "");
  if (files.length === 0) throw new Error("--only needs the files, like --only solutions/optim.ts,solutions/loss.ts");
  return files;
}

/** Whether a place ("solutions/optim.ts:12" or a range "solutions/optim.ts:12-20") is in one of `files`. */
export function inFiles(where: string, files: string[] | undefined): boolean {
  return !files || files.some((file) => where.startsWith(`${file}:`));
}

/** The report's entries of `files` (all of them without): an incremental report also holds the files not mutated. */
export function reportOf(report: MutationReport, files: string[] | undefined): MutationReport {
  if (!files) return report;
  return { files: Object.fromEntries(Object.entries(report.files).filter(([name]) => files.includes(name))) };
}

// What we read of Stryker's JSON report (mutation-testing-report-schema).
export interface Position {
  line: number;
  column: number;
}
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
}
export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

export interface Score {
  /** A file of solutions/, or "all files". */
  name: string;
  killed: number;
  survived: number;
  /** Mutants no test even reached: they count as survivors. */
  noCoverage: number;
  /** Killed + timed out (a mutant that loops forever is caught too) over every valid mutant, in percent. */
  percent: number;
}

/** Stryker's mutation score: detected / (detected + undetected); errors and ignored mutants do not count. */
export function score(name: string, mutants: ReportMutant[]): Score {
  const count = (...statuses: ReportMutant["status"][]) => mutants.filter((m) => statuses.includes(m.status)).length;
  const killed = count("Killed", "Timeout");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  const valid = killed + survived + noCoverage;
  return { name, killed, survived, noCoverage, percent: valid === 0 ? 100 : (100 * killed) / valid };
}

/** One score per mutated file, then the overall score last. */
export function scores(report: MutationReport): Score[] {
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
  return [
    ...files.map(([name, file]) => score(name, file.mutants)),
    score(
      "all files",
      files.flatMap(([, file]) => file.mutants),
    ),
  ];
}

/** What is below a threshold, as sentences; empty when the run is good enough. */
export function thresholdProblems(all: Score[]): string[] {
  return all
    .filter((s) => s.percent < (s.name === "all files" ? OVERALL_MIN : PER_FILE_MIN))
    .map((s) => {
      const min = s.name === "all files" ? OVERALL_MIN : PER_FILE_MIN;
      return `${s.name} scores ${s.percent.toFixed(2)} %, below ${min} %: kill its survivors with sharper lesson tests.`;
    });
}

/** A mutant the tests do not detect, described so a person can find it and a script can match it. */
export interface Survivor {
  /** "solutions/engine.ts:147" */
  where: string;
  mutator: string;
  /** The code the mutant changes, on one line, shortened. */
  original: string;
  replacement: string;
  /** Why no test can (or should) kill it; "" until someone writes it. */
  reason: string;
}

const MAX_CODE = 60;

/** Code on one line, white space collapsed, cut to a readable length. */
export function oneLine(code: string): string {
  const flat = code.replace(/\s+/g, " ").trim();
  return flat.length > MAX_CODE ? `${flat.slice(0, MAX_CODE - 1)}…` : flat;
}

/** The text of `source` between two 1-based line / 1-based column positions (the report's convention). */
function slice(source: string, start: Position, end: Position): string {
  const lines = source.split("\n");
  const offset = (p: Position) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return source.slice(offset(start), offset(end));
}

/** The survivors (and mutants no test covers) of a report, in file and line order. */
export function survivorsOf(report: MutationReport): Survivor[] {
  return mutantsOf(report, ["Survived", "NoCoverage"]);
}

/**
 * The mutants whose tests ran out of time. Stryker counts them as killed, but on a busy machine an equivalent
 * mutant can time out too: its entry in the survivors document is then not stale, only unconfirmed this run.
 */
export function timedOutOf(report: MutationReport): Survivor[] {
  return mutantsOf(report, ["Timeout"]);
}

function mutantsOf(report: MutationReport, statuses: ReportMutant["status"][]): Survivor[] {
  return Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, file]) =>
      file.mutants
        .filter((m) => statuses.includes(m.status))
        .sort(
          (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
        )
        .map((m) => ({
          where: `${name}:${m.location.start.line}`,
          mutator: m.mutatorName,
          original: oneLine(slice(file.source, m.location.start, m.location.end)),
          replacement: oneLine(m.replacement ?? ""),
          reason: "",
        })),
    );
}

/** Matches a survivor to its entry whatever line it moved to: file, mutator and code. */
export function survivorKey(s: Survivor): string {
  return [s.where.replace(/:\d+$/, ""), s.mutator, s.original, s.replacement].join("\u0000");
}

const START = "<!-- survivors:start -->";
const END = "<!-- survivors:end -->";
const HEADER = ["| Where | Mutator | Original | Replacement | Why it survives |", "| --- | --- | --- | --- | --- |"];

/** Code in a table cell: pipes escaped, and double backticks around code that holds a backtick itself. */
function cell(code: string): string {
  const escaped = code.replace(/\|/g, "\\|");
  return code.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}
function uncell(text: string): string {
  const trimmed = text.trim();
  const code = trimmed.startsWith("`` ") ? trimmed.slice(3, -3) : trimmed.slice(1, -1);
  return code.replace(/\\\|/g, "|");
}

/** The table rows between the survivors markers of the document. */
export function parseSurvivorsDoc(markdown: string): Survivor[] {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${SURVIVORS_DOC} has no ${START} ... ${END} table.`);
  return (
    markdown
      .slice(start + START.length, end)
      .split("\n")
      // Table rows only: not the header, not the |---| rule (whatever width a formatter gave them).
      .filter((line) => line.startsWith("|") && !/^\|\s*Where\s*\|/.test(line) && !/^[|\s:-]+$/.test(line))
      .map((line) => {
        // Split on the pipes that are not escaped inside code cells.
        const cells = line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim());
        const [where, mutator, original, replacement, reason] = cells;
        return { where, mutator, original: uncell(original), replacement: uncell(replacement), reason };
      })
  );
}

/** The document with its table replaced by `survivors`. */
export function renderSurvivorsDoc(markdown: string, survivors: Survivor[]): string {
  const rows = survivors.map(
    (s) => `| ${s.where} | ${s.mutator} | ${cell(s.original)} | ${cell(s.replacement)} | ${s.reason || "TODO"} |`,
  );
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  return `${markdown.slice(0, start + START.length)}\n${[...HEADER, ...rows].join("\n")}\n${markdown.slice(end)}`;
}

export interface SurvivorsCheck {
  /** Survivors the document does not explain. */
  unexplained: Survivor[];
  /** Entries of the document that no longer survive. */
  stale: Survivor[];
  /** Entries whose mutant timed out this run: neither confirmed nor stale. */
  timedOut: Survivor[];
  /** Entries whose mutant is still there, at another line. */
  moved: { entry: Survivor; now: Survivor }[];
  /** Entries with no reason yet. */
  todo: Survivor[];
  /** The document's entries with today's line numbers, and the new survivors without a reason. */
  updated: Survivor[];
}

/** Compares what Stryker reports (survivors, and the mutants that timed out) with what the document explains. */
export function checkSurvivors(
  reported: Survivor[],
  documented: Survivor[],
  timedOut: Survivor[] = [],
): SurvivorsCheck {
  const remaining = new Map<string, Survivor[]>();
  for (const entry of documented) {
    const key = survivorKey(entry);
    remaining.set(key, [...(remaining.get(key) ?? []), entry]);
  }
  const result: SurvivorsCheck = { unexplained: [], stale: [], timedOut: [], moved: [], todo: [], updated: [] };
  for (const now of reported) {
    const entry = remaining.get(survivorKey(now))?.shift();
    if (!entry) {
      result.unexplained.push(now);
      result.updated.push(now);
      continue;
    }
    if (entry.where !== now.where) result.moved.push({ entry, now });
    if (!entry.reason || entry.reason === "TODO") result.todo.push(entry);
    result.updated.push({ ...now, reason: entry.reason === "TODO" ? "" : entry.reason });
  }
  const timedOutKeys = new Set(timedOut.map(survivorKey));
  for (const entry of [...remaining.values()].flat()) {
    if (timedOutKeys.has(survivorKey(entry))) {
      result.timedOut.push(entry);
      result.updated.push(entry);
    } else result.stale.push(entry);
  }
  return result;
}
