/**
 * `npm run lesson -- 3` and `npm run ui`: thin wrappers that start vitest itself on the learner's
 * `src/`, in watch mode, with everything vitest prints passed straight through.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { findLesson, listLessons } from "../lib/lessons";
import { ROOT } from "../lib/target";

/** The UI listens on this machine only: nobody else on the network can run the learner's code. */
export const UI_HOST = "127.0.0.1";
export const UI_PORT = 51204;

/** Vitest's arguments for one lesson in watch mode; `extra` (like `--run`) is passed on. */
export function lessonArgs(query: string, extra: string[] = [], root = ROOT): string[] {
  const lesson = findLesson(query, listLessons(root));
  return ["watch", `lessons/${lesson.folder}/`, ...extra];
}

/** Vitest's arguments for the UI on every lesson's tests (not the course's own tests). */
export function uiArgs(extra: string[] = []): string[] {
  return ["--ui", `--api.host=${UI_HOST}`, `--api.port=${UI_PORT}`, "--open=false", "lessons/", ...extra];
}

/** Runs vitest with `args` against src/, in the foreground; resolves to its exit code. */
export function runVitest(args: string[], root = ROOT): Promise<number> {
  const child = spawn(process.execPath, [path.join(root, "node_modules", "vitest", "vitest.mjs"), ...args], {
    cwd: root,
    // The warning is about vitest.config.ts itself, of no use to a learner.
    env: { ...process.env, COURSE_TARGET: "src", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    stdio: "inherit",
  });
  // Ctrl-C reaches vitest through the terminal; this process only waits for it to finish.
  process.on("SIGINT", () => {});
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}
