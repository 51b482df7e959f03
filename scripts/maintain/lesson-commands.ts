/**
 * Every command a lesson's text tells the learner to run on their own code works on a copy of the course solved up
 * to that lesson, the later lessons' regions still stubs, exactly as the text writes it. A tool that covers several
 * lessons (the studies, the site) must not need a lesson the learner has not reached. `npm run course:check` runs
 * them all.
 *
 * The commands are read from the lesson README: each line of a ```sh block (without its # comment) and each inline
 * `npm ...` or `npx ...`. Those that run the learner's code are checked: `npx vitest`, the learner's own npm scripts
 * (start, lesson, hint, ui) and anything with `--target src`. The others run the reference in solutions/, whatever
 * the learner has written, and CI runs them itself.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import MarkdownIt from "markdown-it";
import type { Lesson } from "../lib/lessons";
import { generateStarter, writeCourseFiles } from "../lib/starter";
import { ROOT } from "../lib/target";

export interface LessonCommand {
  command: string;
  /** "lessons/lesson-10-experiments/README.md:179" */
  where: string;
}

/** The commands a lesson text shows, each once, in order. */
export function lessonCommands(markdown: string, file: string): LessonCommand[] {
  const found = new Map<string, LessonCommand>();
  const add = (command: string, line: number) => {
    const clean = command.replace(/\s+#.*$/, "").trim();
    if (/^(npm|npx) /.test(clean) && !found.has(clean)) found.set(clean, { command: clean, where: `${file}:${line}` });
  };
  const walk = (tokens: ReturnType<MarkdownIt["parse"]>) => {
    for (const token of tokens) {
      const line = (token.map?.[0] ?? 0) + 1;
      if (token.type === "fence" && /^(sh|bash|shell)$/.test(token.info.trim())) {
        for (const [i, text] of token.content.split("\n").entries()) add(text, line + 1 + i);
      }
      if (token.type === "inline") {
        for (const child of token.children ?? []) if (child.type === "code_inline") add(child.content, line);
      }
    }
  };
  walk(new MarkdownIt().parse(markdown, {}));
  return [...found.values()];
}

/** Whether `command` runs the learner's code in src/ (else it runs the reference, whatever src/ holds). */
export function runsLearnerCode(command: string): boolean {
  if (/--target[ =]src\b/.test(command)) return true;
  if (/^npx vitest\b/.test(command)) return !/--mode[ =]solutions\b/.test(command);
  return /^npm (start|run (lesson|hint|ui))\b/.test(command);
}

/** Folders of a checkout that a copy leaves out: installed, generated or private. */
const NOT_COPIED = new Set([".git", "node_modules", ".course", "site", "coverage", "reports", ".stryker-tmp"]);

/** A copy of the course in `dest` (node_modules linked) whose src/ is solved up to lesson `upTo`. */
export function courseSolvedUpTo(dest: string, upTo: number, lessons: Lesson[], root = ROOT): void {
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(root)) {
    if (!NOT_COPIED.has(entry)) cpSync(path.join(root, entry), path.join(dest, entry), { recursive: true });
  }
  symlinkSync(path.join(root, "node_modules"), path.join(dest, "node_modules"), "dir");
  writeCourseFiles(
    path.join(dest, "src"),
    generateStarter((id) => Number(id.slice(-2)) > upTo, lessons),
  );
}

export interface CommandOutcome {
  ok: boolean;
  /** What it printed (the end of it), for the report of a failure. */
  output: string;
  seconds: number;
}

/** A server says where it listens; seeing that is success. */
const LISTENING = /https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/;
const OUTPUT_KEPT = 4000;

/**
 * Runs `command` in `cwd` as a learner without a terminal would (CI=true, no standard input: vitest runs once, the
 * guided mode prints its dashboard). It works when it exits with 0, or, for a server, once it prints its address.
 */
export function runLessonCommand(command: string, cwd: string, timeoutMs = 10 * 60_000): Promise<CommandOutcome> {
  const started = Date.now();
  // The commands choose their own target (src/ unless told): a COURSE_TARGET of the caller's would override it.
  const { COURSE_TARGET: _, ...inherited } = process.env;
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd,
      shell: true,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...inherited, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    let listening = false;
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
      if (!listening && LISTENING.test(output)) {
        listening = true;
        stop();
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      output += `\n(stopped after ${timeoutMs / 1000} s)`;
      stop();
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: listening || code === 0, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}
