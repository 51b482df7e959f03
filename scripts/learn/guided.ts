/**
 * `npm start` in a terminal: the guided mode. It checks every lesson once, shows the first one that does not
 * pass, and from then on vitest itself watches the files: after a save it re-runs the test files that import
 * the saved file (vitest's module graph), limited to the current lesson and the ones before it, so the
 * screen says at once whether the lesson passes now and whether an earlier one broke. Later lessons are not
 * re-run on a save (that would cost seconds); they are marked out of date and re-run when the learner gets
 * to them. When the current lesson passes, it says so and moves on to the next one that does not.
 *
 * The decisions are in guided-state.ts and the drawing in guided-screen.ts, both pure; this module only
 * connects them to vitest's Node API and to the terminal.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { emitKeypressEvents } from "node:readline";
import { Writable } from "node:stream";
import { createVitest, type Reporter, type Vitest } from "vitest/node";
import { lessonHints } from "../lib/hints";
import { type Lesson, listLessons } from "../lib/lessons";
import { courseFileNames } from "../lib/starter";
import { ROOT } from "../lib/target";
import type { TestResult } from "../lib/vitest";
import { moduleResults } from "../lib/vitest";
import { renderScreen } from "./guided-screen";
import { describeWork, type Effect, type GuidedEvent, initialState, type ShownHint, update } from "./guided-state";
import { chooseHint, hintBody, revealNextHint } from "./hints";
import { wantsColor } from "./terminal";

// Plain VT sequences, understood by every terminal that runs Node, Windows Terminal and conhost included.
const ENTER_SCREEN = "\u001b[?1049h\u001b[?25l"; // the alternate screen, so the shell's text is back on exit
const LEAVE_SCREEN = "\u001b[?25h\u001b[?1049l";
const HOME = "\u001b[H";
const CLEAR_LINE = "\u001b[K";
const CLEAR_BELOW = "\u001b[J";

export async function guidedCommand(root = ROOT): Promise<number> {
  const { stdin, stdout } = process;
  const lessons = listLessons(root);
  const solutions = path.join(root, "solutions");
  const work = describeWork(
    courseFileNames(solutions).map((name) => ({ name, text: readFileSync(path.join(solutions, name), "utf8") })),
    new Set(lessons.map((l) => l.id)),
  );
  let state = initialState(lessons, work);
  const color = wantsColor(stdout);

  const draw = () => {
    const lines = renderScreen(state, { width: stdout.columns || 80, height: stdout.rows || 24 }, color);
    stdout.write(`${HOME}${lines.map((l) => `${l}${CLEAR_LINE}`).join("\r\n")}${CLEAR_BELOW}`);
  };
  let quit: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => {
    quit = resolve;
  });
  let vitest: Vitest | undefined;
  const dispatch = (event: GuidedEvent) => {
    const { state: next, effects } = update(state, event);
    state = next;
    draw();
    for (const effect of effects) perform(effect);
  };
  const perform = (effect: Effect) => {
    if (effect.kind === "quit") quit(0);
    if (effect.kind === "hint") dispatch({ type: "hint", hint: nextHint(effect.lesson, effect.failing, root) });
    if (effect.kind === "run" && vitest) {
      const running = vitest;
      running
        .getRelevantTestSpecifications([`lessons/${effect.lesson.folder}/`])
        .then((specifications) => running.runTestSpecifications(specifications))
        .catch(fail);
    }
  };
  let failure: unknown;
  const fail = (error: unknown) => {
    failure = error;
    quit(1);
  };

  // Keys come one by one (raw mode), so Ctrl-C arrives as a key too.
  const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) =>
    dispatch({ type: "key", name: key?.name ?? text ?? "", ctrl: key?.ctrl });
  const onSignal = () => quit(130);
  let left = false;
  // Gives the terminal back and says why it stopped, once: at the end below, or on exit when something ends
  // the process first (vitest's own handlers exit on SIGINT, SIGTERM and an unhandled rejection).
  const leave = () => {
    if (left) return;
    left = true;
    stdin.off("keypress", onKey);
    stdin.setRawMode(false);
    stdin.pause();
    stdout.off("resize", draw);
    stdout.write(LEAVE_SCREEN);
    if (failure) console.error("The guided mode stopped on an error:", failure);
    else {
      const lesson = state.lessons[state.current];
      console.log(`${lesson ? `You were on ${lesson.id}. ` : ""}npm start takes you back to the guided mode.`);
    }
  };
  emitKeypressEvents(stdin);
  stdin.setRawMode(true);
  stdin.on("keypress", onKey);
  stdin.resume();
  stdout.on("resize", draw);
  stdout.write(ENTER_SCREEN);
  process.on("exit", leave);
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  draw();

  try {
    vitest = await startWatching(root, dispatch, () => state.lessons[state.current]?.number ?? Infinity);
    vitest.start().catch(fail);
    return await stopped;
  } catch (error) {
    failure = error;
    return 1;
  } finally {
    await vitest?.close();
    leave();
    process.off("exit", leave);
    process.off("uncaughtException", fail);
    process.off("unhandledRejection", fail);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, onSignal);
  }
}

/**
 * Vitest in watch mode on the lessons' tests against src/, reporting to `dispatch`. On a save it re-runs
 * the test files that depend on the saved file, except those of lessons after `current()`: they are reported
 * as out of date instead. (A src/ file depends on another only once its code uses it: while the code that
 * uses an import is still a stub, compiling the TypeScript drops that import, rightly: nothing there can change.)
 */
async function startWatching(root: string, dispatch: (e: GuidedEvent) => void, current: () => number) {
  // vitest.config.ts reads COURSE_TARGET when vitest loads it: the learner's code, whatever the shell says.
  process.env.COURSE_TARGET = "src";
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = "true";
  const code = path.join(root, "src");
  const relative = (moduleId: string) => path.relative(root, moduleId).split(path.sep).join("/");
  let stale: string[] = [];
  const reporter: Reporter = {
    onWatcherRerun: () => {
      dispatch({ type: "saved", stale });
      stale = [];
    },
    onTestRunStart: () => dispatch({ type: "run-start" }),
    onTestRunEnd: (modules, errors) =>
      dispatch({
        type: "run-end",
        files: modules.map((m) => relative(m.moduleId)),
        results: modules.flatMap((m) => moduleResults(m, root, code)),
        errors: errors.map((e) => e.message),
      }),
  };
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const vitest = await createVitest(
    "test",
    {
      root,
      watch: true,
      include: ["lessons/**/*.test.ts"],
      reporters: [reporter],
      silent: true,
      // As in the dashboard: the lessons keep no state in their modules, and sharing them makes a re-run
      // about three times faster. Each run starts fresh workers, so a save is always seen.
      isolate: false,
    },
    {},
    { stdout: discard, stderr: discard },
  );
  vitest.onFilterWatchedSpecification((specification) => {
    const lesson = Number(/lessons\/lesson-(\d\d)-/.exec(relative(specification.moduleId))?.[1]);
    if (lesson <= current()) return true;
    stale.push(relative(specification.moduleId));
    return false;
  });
  return vitest;
}

/** One hint more for the part of `lesson` that `failing` belongs to, recorded as `npm run hint` records it. */
function nextHint(lesson: Lesson, failing: TestResult | undefined, root: string): ShownHint {
  const none = (note: string) => ({ lessonId: lesson.id, part: "", number: 0, count: 0, title: "", body: "", note });
  const choice = chooseHint(lesson.id, lessonHints(lesson, root), failing);
  switch (choice.kind) {
    case "none":
      return none(`${lesson.id} has no hints: read the lesson and the tests' messages.`);
    case "passes":
      return none(`Every test of ${lesson.id} passes: no hint needed.`);
    case "earlier":
      return none(`The first failing test stops in ${choice.lessonId}'s code: finish ${choice.lessonId} first.`);
    case "hint": {
      const reached = revealNextHint(lesson.id, choice.part, root);
      const hint = choice.part.hints[reached - 1];
      const { title, hints } = choice.part;
      return {
        lessonId: lesson.id,
        part: title,
        number: reached,
        count: hints.length,
        title: hint.title,
        body: hintBody(hint),
      };
    }
  }
}
