/** Helpers for the tests of the course's tools: a throwaway copy of the course and a fake terminal. */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Terminal } from "../scripts/learn/terminal";
import { generateStarter, writeCourseFiles } from "../scripts/lib/starter";
import { ROOT } from "../scripts/lib/target";

/**
 * The time a test gets to run one of the course's tools on a copy of the course (a tsx process, or vitest on lesson
 * tests): about 10 s on an idle 2-core machine, over 60 s with npm test's own workers and two CPU-bound processes
 * beside it, which is where the course must still pass.
 */
export const TOOL_RUN_MS = 180_000;

/** Enough of the course for tools that read and write files (src/ is always written fresh, see below). */
export const COURSE_FILES = ["solutions", "lessons"];
/** Enough of the course to run its scripts and tests. */
export const RUNNABLE_COURSE = [...COURSE_FILES, "scripts", "package.json", "vitest.config.ts", "tsconfig.json"];

/**
 * A copy of the course in a temporary folder (node_modules linked), for tools that change files. Its src/ is
 * the pristine starter generated from solutions/, never the repository's src/: that is the learner's
 * workspace, and these tests must pass whatever the learner has written there.
 */
export function copyCourse(entries = COURSE_FILES): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), "course-copy-"));
  for (const entry of entries) cpSync(path.join(ROOT, entry), path.join(root, entry), { recursive: true });
  writeCourseFiles(path.join(root, "src"), generateStarter());
  symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface FakeTerminal extends Terminal {
  out: string[];
  err: string[];
  /** Everything printed, standard output then standard error. */
  text(): string;
  questions: string[];
}

/** A terminal without colour that records what is printed and answers questions with `answer`. */
export function fakeTerminal(options: { interactive?: boolean; answer?: boolean } = {}): FakeTerminal {
  const terminal: FakeTerminal = {
    out: [],
    err: [],
    questions: [],
    color: false,
    interactive: options.interactive ?? false,
    print: (text) => terminal.out.push(text),
    error: (text) => terminal.err.push(text),
    confirm: async (question) => {
      terminal.questions.push(question);
      return options.answer ?? false;
    },
    text: () => [...terminal.out, ...terminal.err].join("\n"),
  };
  return terminal;
}
