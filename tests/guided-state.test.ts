/**
 * The guided mode's decisions (scripts/learn/guided-state.ts), walked through with made-up lessons and
 * results. The real thing, with vitest and a terminal, is tests/guided.tmux.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  describeWork,
  type Effect,
  type GuidedEvent,
  type GuidedState,
  initialState,
  isStale,
  progressOf,
  update,
} from "../scripts/learn/guided-state";
import { type Lesson, listLessons } from "../scripts/lib/lessons";
import { courseFileNames } from "../scripts/lib/starter";
import { ROOT } from "../scripts/lib/target";
import type { TestResult } from "../scripts/lib/vitest";

const lesson = (number: number, slug: string): Lesson => {
  const id = `lesson-0${number}`;
  return { id, number, folder: `${id}-${slug}`, readme: `lessons/${id}-${slug}/README.md`, title: `Lesson 0${number}` };
};
const lessons = [lesson(1, "ops"), lesson(2, "tanh"), lesson(3, "sort"), lesson(4, "backward")];
const file = (n: number) => `lessons/${lessons[n - 1].folder}/x.test.ts`;

/** Lesson `n`'s two tests, passing or not. */
const results = (n: number, pass: boolean): TestResult[] =>
  ["first", "second"].map((name) => ({
    file: file(n),
    lesson: lessons[n - 1].id,
    name,
    status: pass ? "passed" : "failed",
    message: pass ? "" : `lesson ${n} fails`,
  }));

/** A run of `passing` lessons (by number) and `failing` ones. */
const run = (passing: number[], failing: number[] = []): GuidedEvent => ({
  type: "run-end",
  files: [...passing, ...failing].map(file),
  results: [...passing.map((n) => results(n, true)), ...failing.map((n) => results(n, false))].flat(),
  errors: [],
});
const key = (name: string, ctrl = false): GuidedEvent => ({ type: "key", name, ctrl });

/** Applies `events` in turn; returns the last state and every effect asked for on the way. */
function play(events: GuidedEvent[], from = initialState(lessons, { "lesson-01": "add in src/engine.ts" })) {
  let state: GuidedState = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const next = update(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}
const runs = (effects: Effect[]) => effects.flatMap((e) => (e.kind === "run" ? [e.lesson.id] : []));

describe("the guided mode's first run", () => {
  it("shows the first lesson that does not pass, without running anything more", () => {
    const { state, effects } = play([run([1], [2, 3, 4])]);
    expect(state.current).toBe(1);
    expect(state.running).toBe(false);
    expect(effects).toEqual([]);
  });

  it("waits for the first run before taking keys other than quit", () => {
    expect(play([key("n")]).state.current).toBe(-1);
    expect(play([key("q")]).effects).toEqual([{ kind: "quit" }]);
  });
});

describe("when the current lesson passes", () => {
  const start = [run([], [1, 2, 3, 4])];

  it("says what the learner wrote and moves to the next lesson, checking it first when a save made it stale", () => {
    const { state, effects } = play([...start, { type: "saved", stale: [file(2)] }, run([1])]);
    expect(state.current).toBe(1);
    expect(state.finished).toEqual([{ lessonId: "lesson-01", skipped: false }]);
    expect(runs(effects)).toEqual(["lesson-02"]);
  });

  it("skips a lesson that turns out to pass already, and goes on", () => {
    const { state, effects } = play([...start, { type: "saved", stale: [file(2), file(3)] }, run([1]), run([2])]);
    expect(state.current).toBe(2);
    expect(state.finished.map((f) => f.lessonId)).toEqual(["lesson-01", "lesson-02"]);
    expect(runs(effects)).toEqual(["lesson-02", "lesson-03"]);
  });

  it("skips, without running them, the lessons whose fresh results already pass", () => {
    const { state, effects } = play([run([2], [1, 3, 4]), { type: "saved", stale: [] }, run([1])]);
    expect(state.current).toBe(2);
    expect(effects).toEqual([]);
  });

  it("forgets the 'done' lines at the next save", () => {
    const { state } = play([...start, run([1]), { type: "saved", stale: [] }]);
    expect(state.finished).toEqual([]);
    expect(state.running).toBe(true);
  });

  it("stays on the last lesson when every lesson passes", () => {
    const { state, effects } = play([run([1, 2, 3], [4]), run([4])]);
    expect(state.current).toBe(3);
    expect(state.finished).toEqual([{ lessonId: "lesson-04", skipped: false }]);
    expect(effects).toEqual([]);
  });

  it("keeps a lesson the learner picked on screen while it keeps passing", () => {
    const { state } = play([run([1], [2, 3, 4]), key("p"), run([1])]);
    expect(state.current).toBe(0);
    expect(state.picked).toBe(true);
  });

  it("moves on from a picked lesson once it is finished, to the next one (earlier ones come after the last)", () => {
    const { state } = play([run([], [1, 2, 3, 4]), key("n"), run([2])]);
    expect(state.current).toBe(2);
    expect(play([key("n"), run([3, 4])], state).state.current).toBe(0);
    expect(state.finished).toEqual([{ lessonId: "lesson-02", skipped: false }]);
  });
});

describe("a save that breaks an earlier lesson", () => {
  it("is reported until that lesson passes again", () => {
    const broken = play([run([1], [2, 3, 4]), run([], [1, 2])]).state;
    expect(broken.broken).toEqual(["lesson-01"]);
    expect(broken.current).toBe(1);
    expect(play([run([1, 2])], broken).state.broken).toEqual([]);
  });

  it("is not reported for a lesson that never passed", () => {
    expect(play([run([1], [2, 3, 4]), run([], [2, 3])]).state.broken).toEqual([]);
  });
});

describe("later lessons after a save", () => {
  it("are stale until they run again, and run when the learner goes to them", () => {
    const { state, effects } = play([run([], [1, 2, 3, 4]), { type: "saved", stale: [file(3)] }, run([], [1])]);
    expect(isStale(state, lessons[2])).toBe(true);
    expect(isStale(state, lessons[1])).toBe(false);
    const moved = play([key("n"), key("n")], state);
    expect(moved.state.current).toBe(2);
    expect(runs([...effects, ...moved.effects])).toEqual(["lesson-03"]);
    expect(isStale(play([run([], [3])], moved.state).state, lessons[2])).toBe(false);
  });
});

describe("the keys", () => {
  const ready = play([run([1], [2, 3, 4])]).state;

  it("n and p step through the lessons, and stop at either end", () => {
    expect(play([key("n")], ready).state.current).toBe(2);
    expect(play([key("p"), key("p"), key("p")], ready).state.current).toBe(0);
    expect(play([key("n"), key("n"), key("n"), key("n")], ready).state.current).toBe(3);
  });

  it("l lists the lessons; arrows choose, Enter opens, Escape goes back", () => {
    const list = play([key("l")], ready).state;
    expect(list.view).toBe("list");
    expect(list.cursor).toBe(1);
    const picked = play([key("down"), key("down"), key("up"), key("return")], list).state;
    expect([picked.view, picked.current, picked.picked]).toEqual(["lesson", 2, true]);
    const back = play([key("down"), key("escape")], list).state;
    expect([back.view, back.current]).toEqual(["lesson", 1]);
  });

  it("h asks for the next hint of the current lesson's first failing test, shown for that lesson only", () => {
    const [effect] = play([key("h")], ready).effects;
    expect(effect).toMatchObject({ kind: "hint", lesson: lessons[1] });
    expect(effect.kind === "hint" && effect.failing).toEqual(progressOf(ready)[1].failures[0]);
    const hint = { lessonId: "lesson-02", part: "tanh", number: 1, count: 3, title: "Start here", body: "Look." };
    const shown = play([{ type: "hint", hint }], ready).state;
    expect(shown.hint).toEqual(hint);
    expect(play([key("n")], shown).state.hint).toBeUndefined();
    expect(play([key("n"), key("p")], shown).state.hint).toBeUndefined();
  });

  it("r re-runs the current lesson; q and Ctrl-C quit; other keys do nothing", () => {
    expect(runs(play([key("r")], ready).effects)).toEqual(["lesson-02"]);
    expect(play([key("q")], ready).effects).toEqual([{ kind: "quit" }]);
    expect(play([key("c", true)], ready).effects).toEqual([{ kind: "quit" }]);
    expect(play([key("x"), key("c")], ready)).toEqual({ state: ready, effects: [] });
  });
});

describe("describeWork", () => {
  it("names, from solutions/, the functions and methods each lesson fills in", () => {
    const dir = path.join(ROOT, "solutions");
    const files = courseFileNames(dir).map((name) => ({ name, text: readFileSync(path.join(dir, name), "utf8") }));
    const work = describeWork(files, new Set(listLessons().map((l) => l.id)));
    expect(work["lesson-01"]).toBe("Value's constructor, add, sub, mul, div, neg and pow in src/engine.ts");
    expect(work["lesson-05"]).toBe("Neuron's constructor, forward and parameters in src/nn.ts");
    expect(work["lesson-08"]).toBe("seLoss and meanSeLoss in src/loss.ts");
  });

  it("finds the name of a function whose signature spans several lines, and joins files", () => {
    const a =
      "export function f(\n  x: number,\n): number {\n  // BEGIN lesson-01\n  return x;\n  // END lesson-01\n}\n";
    const b = "class K {\n  m(): void {\n    // BEGIN lesson-01\n    go();\n    // END lesson-01\n  }\n}\n";
    const work = describeWork(
      [
        { name: "a.ts", text: a },
        { name: "b.ts", text: b },
      ],
      new Set(["lesson-01"]),
    );
    expect(work["lesson-01"]).toBe("f in src/a.ts; K's m in src/b.ts");
  });
});
