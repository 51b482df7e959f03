/**
 * A submission as the grader sees it: only the course's module files from its `src/`, read defensively
 * (regular files of a sane size, no symlinks), plus notes on everything it ships that the grader ignores
 * (its own tests, configs, package.json): grading always uses this course's pristine lessons and tests.
 */
import { createHash } from "node:crypto";
import { type Dir, existsSync, lstatSync, opendirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "../lib/target";
import { LIMITS, someOf } from "./bounds";

/** A course file larger than this is not read: no module of the course comes near it. */
export const MAX_FILE_BYTES = 512 * 1024;

export interface Submission {
  learner: string;
  /** The folder as given on the command line. */
  source: string;
  /** The course module files found, by name ("engine.ts" → its text). */
  files: Map<string, string>;
  /** Things the learner should know about how the submission was read. */
  notes: string[];
}

/** The folder holding the submission's modules: its `src/`, or the folder itself if it is a bare `src/`. */
export function findSrc(dir: string, moduleNames: string[]): string | undefined {
  const src = path.join(dir, "src");
  if (isDirectory(src)) return src;
  if (moduleNames.some((name) => existsSync(path.join(dir, name)))) return dir;
  return undefined;
}

function isDirectory(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads a submission; never throws for anything the submission contains. The `provided` files (the course's
 * helpers, with no exercise in them) are read too, but their absence is not worth a note: the grader uses
 * the course's own copies.
 */
export function readSubmission(
  dir: string,
  learner: string,
  moduleNames: string[],
  provided: ReadonlySet<string> = new Set(),
): Submission {
  const notes: string[] = [];
  const files = new Map<string, string>();
  const src = findSrc(dir, moduleNames);
  if (!src) {
    notes.push("No src/ folder (and no course files like engine.ts) in the submission: nothing to grade.");
    return { learner, source: dir, files, notes };
  }
  const shown = src === dir ? "" : "src/";
  for (const name of moduleNames) {
    const file = path.join(src, name);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(file);
    } catch {
      if (!provided.has(name)) notes.push(`${shown}${name} is missing: the lessons that use it cannot pass.`);
      continue;
    }
    if (!stat.isFile()) {
      notes.push(`${shown}${name} is not a regular file (a link or a folder?): it was not graded.`);
    } else if (stat.size > MAX_FILE_BYTES) {
      notes.push(
        `${shown}${name} is ${Math.round(stat.size / 1024)} KB, over the ${MAX_FILE_BYTES / 1024} KB limit: it was not graded.`,
      );
    } else {
      files.set(name, readFileSync(file, "utf8"));
    }
  }
  const extra = firstNames(src, (n) => n.endsWith(".ts") && !moduleNames.includes(n));
  if (extra.total > 0) {
    notes.push(
      `Only the course's own files in src/ are graded (${moduleNames.join(", ")}); ignored: ${someOf(extra.names, extra.total)}.`,
    );
  }
  if (src !== dir) notes.push(...ignoredCourseFiles(dir));
  return { learner, source: dir, files, notes };
}

/**
 * The first names in `dir` (in sorted order) that `wanted` accepts, as many as a note lists, and how many it
 * accepts in all: read one entry at a time, so a folder of a million files costs time, not memory.
 */
function firstNames(dir: string, wanted: (name: string) => boolean): { names: string[]; total: number } {
  const names: string[] = [];
  let total = 0;
  let folder: Dir | undefined;
  try {
    folder = opendirSync(dir);
    for (let entry = folder.readSync(); entry; entry = folder.readSync()) {
      if (!wanted(entry.name)) continue;
      total++;
      names.push(entry.name);
      names.sort();
      if (names.length > LIMITS.listItems) names.pop();
    }
  } catch {
    // An unreadable folder lists nothing.
  } finally {
    folder?.closeSync();
  }
  return { names, total };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const hash = (file: string) => {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return "unreadable";
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
};

/** Configs a learner's copy might change to influence a run; the grader uses the course's own. */
const CONFIG_FILES = [
  "package.json",
  "vitest.config.ts",
  "vitest.config.mts",
  "vitest.config.js",
  "vitest.config.mjs",
  "vite.config.ts",
  "vite.config.js",
  "vitest.workspace.ts",
  "tsconfig.json",
  "course.json",
];

/** Notes on the submission's lesson tests and configs that differ from the course's (all ignored). */
function ignoredCourseFiles(dir: string): string[] {
  const notes: string[] = [];
  const configs = CONFIG_FILES.filter((name) => {
    const theirs = hash(path.join(dir, name));
    return theirs !== undefined && theirs !== hash(path.join(ROOT, name));
  });
  if (configs.length > 0) {
    notes.push(`Ignored the submission's own ${configs.join(", ")}: grading always uses the course's configuration.`);
  }
  if (!isDirectory(path.join(dir, "lessons"))) return notes;
  const edited: string[] = [];
  const missing: string[] = [];
  for (const folder of safeList(path.join(ROOT, "lessons"))) {
    for (const name of safeList(path.join(ROOT, "lessons", folder)).filter((n) => n.endsWith(".test.ts"))) {
      const relative = `lessons/${folder}/${name}`;
      const theirs = hash(path.join(dir, relative));
      if (theirs === undefined) missing.push(relative);
      else if (theirs !== hash(path.join(ROOT, relative))) edited.push(relative);
    }
  }
  if (edited.length + missing.length > 0) {
    const parts = [
      edited.length > 0 ? `edited ${someOf(edited)}` : "",
      missing.length > 0 ? `deleted ${someOf(missing)}` : "",
    ].filter(Boolean);
    notes.push(
      `The submission ${parts.join(" and ")}. Ignored: grading always runs the course's own tests, unchanged.`,
    );
  }
  return notes;
}

/**
 * Type errors in the submission's files, checked together with the course's compiler settings.
 * `dir` holds the sanitized copy (the files import each other relatively).
 */
export function typeErrors(dir: string, names: string[]): string[] {
  const program = ts.createProgram(
    names.map((n) => path.join(dir, n)),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.dirname(d.file.fileName) === dir)
    .map((d) => describe(d, path.basename(d.file?.fileName ?? "")));
}

function describe(d: ts.Diagnostic, name: string): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `src/${name}:${line + 1}:${character + 1}: ${message}`;
  }
  return `src/${name}: ${message}`;
}
