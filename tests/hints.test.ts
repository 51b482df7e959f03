import { execFile } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseHint, hintCommand, hintStateFile } from "../scripts/learn/hints";
import { hintProblems, hintsPath, parseHints } from "../scripts/lib/hints";
import { findLesson, listLessons } from "../scripts/lib/lessons";
import { ROOT } from "../scripts/lib/target";
import type { TestResult } from "../scripts/lib/vitest";
import { copyCourse, fakeTerminal, RUNNABLE_COURSE, TOOL_RUN_MS } from "./helpers";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "lesson-hints.md");
const parts = parseHints(readFileSync(FIXTURE, "utf8"));

const failing = (name: string, message = "expected 1, got 2"): TestResult => ({
  file: "lessons/lesson-03-topo-sort/topo-sort.test.ts",
  lesson: "lesson-03",
  name,
  status: "failed",
  message,
});

describe("parseHints", () => {
  it("reads each part with the describe blocks it helps with and its hints, numbered within the part", () => {
    expect(parts.map((p) => [p.title, p.tests, p.hints.map((h) => [h.number, h.title])])).toEqual([
      [
        "Ordering the graph",
        ["topoSort", "topoSort on deep graphs"],
        [
          [1, "What order do you need?"],
          [2, "Remember what you visited"],
          [3, "The loop"],
        ],
      ],
      ["backward", ["backward"], [[1, "Walk the order backwards"]]],
    ]);
    expect(parts[0].hints[1].body).toBe(
      "Keep a `Set` of the nodes already placed, so a node reached twice is placed once.",
    );
  });

  it("keeps a heading inside a code block as code", () => {
    expect(parts[0].hints[2].body).toContain("## not a heading: inside a code block\nconst stack = [this];");
  });

  it("reads a Tests: line that goes on over several lines", () => {
    const text = '## P\n\nTests: "a, with a comma",\n"b"\n\n### Hint 1: h\n\nbody\n';
    expect(parseHints(text)[0].tests).toEqual(["a, with a comma", "b"]);
  });
});

describe("chooseHint: the hint is for the part of the first failing test", () => {
  it("picks the part that names the failing test's describe block", () => {
    expect(chooseHint("lesson-03", parts, failing("backward › walks the order from the root"))).toMatchObject({
      kind: "hint",
      part: { title: "backward" },
    });
    expect(chooseHint("lesson-03", parts, failing("topoSort on deep graphs › 100000 nodes"))).toMatchObject({
      part: { title: "Ordering the graph" },
    });
  });

  it("sends the learner to an earlier lesson whose stub the test stopped at", () => {
    const stub =
      "lesson-03 builds on lesson-01, which is not done yet. lesson-01 is not done yet: write this part of src/engine.ts.";
    expect(chooseHint("lesson-03", parts, failing("backward › x", stub))).toMatchObject({
      kind: "earlier",
      lessonId: "lesson-01",
    });
  });

  it("says when the lesson passes, and when it has no hints", () => {
    expect(chooseHint("lesson-03", parts, undefined)).toEqual({ kind: "passes" });
    expect(chooseHint("lesson-03", [], failing("x › y"))).toEqual({ kind: "none" });
  });
});

describe("hintProblems: every failing test leads to a hint", () => {
  it("accepts parts that cover each describe block once", () => {
    expect(hintProblems("h.md", parts, ["topoSort › a", "topoSort on deep graphs › b", "backward › c"])).toEqual([]);
  });

  it("names a block no part covers, a block two parts cover, a part naming no block, a part without hints", () => {
    const twice = parseHints('## A\n\nTests: "x", "y"\n\n### Hint 1: a\n\n## B\n\nTests: "y", "z"\n');
    expect(hintProblems("h.md", twice, ["x › 1", "y › 2", "w › 3"])).toEqual([
      'h.md: the part "B" has no "### Hint 1: ..." under it.',
      'h.md: the part "B" names "z", which is no describe block of the lesson\'s tests.',
      'h.md: "y" is named by 2 parts ("A", "B"): keep it in one.',
      'h.md: no part helps with the tests of "w": name it in a part\'s Tests: line.',
    ]);
    expect(hintProblems("h.md", [], ["x › 1"])).toEqual([
      'h.md has no hints: add the file, one "## part" per group of describe blocks.',
    ]);
  });
});

describe("the lessons keep their hints apart from the text", () => {
  const lessons = listLessons();
  it.each(lessons.map((l) => [l.id, l] as const))("%s: hints.md, and a README that shows none", (_id, lesson) => {
    expect(existsSync(path.join(ROOT, hintsPath(lesson))), `${hintsPath(lesson)} exists`).toBe(true);
    const text = readFileSync(path.join(ROOT, lesson.readme), "utf8");
    expect(text, `${lesson.readme}: hints go in hints.md, not in <details> of the text`).not.toMatch(/<details>/);
    expect(text, `${lesson.readme} tells the learner where the hints are`).toContain(
      `npm run hint -- ${lesson.id.slice(-2)}`,
    );
    const hints = readFileSync(path.join(ROOT, hintsPath(lesson)), "utf8");
    expect(hints, `${hintsPath(lesson)} warns before its first hint`).toMatch(/^> \*\*Spoiler warning[^#]*^## /m);
  });
});

describe("npm run hint", () => {
  let course: ReturnType<typeof copyCourse>;
  beforeAll(() => {
    course = copyCourse(RUNNABLE_COURSE);
    const lesson = findLesson("3", listLessons(course.root));
    copyFileSync(FIXTURE, path.join(course.root, hintsPath(lesson)));
    rmSync(path.join(course.root, hintsPath(findLesson("5", listLessons(course.root)))));
  });
  afterAll(() => course.remove());

  const ask = async (first: TestResult | undefined, ...args: string[]) => {
    const terminal = fakeTerminal();
    const code = await hintCommand(args, terminal, course.root, async () => first);
    return { code, text: terminal.text() };
  };
  const inTopoSort = failing("topoSort › returns every node once");

  it("reveals one more hint of the failing test's part each time it is asked, then stays on the last", async () => {
    const first = await ask(inTopoSort, "3");
    expect(first.code).toBe(0);
    expect(first.text).toContain("The first failing test: topoSort › returns every node once");
    expect(first.text).toContain('Hint 1 of 3 for "Ordering the graph": What order do you need?');
    expect(first.text).not.toContain("Hint 2 of 3");
    expect(first.text).toContain("npm run hint -- 03 shows hint 2 for this part");

    const second = await ask(inTopoSort, "03");
    expect(second.text).toContain('Hint 2 of 3 for "Ordering the graph": Remember what you visited');
    expect(second.text).toContain("Already shown");
    expect(second.text).toContain("Hint 1: What order do you need?");

    const third = (await ask(inTopoSort, "lesson-03")).text;
    expect(third).toContain("Hint 3 of 3");
    expect(third, "the skip-check note is for the checks, not the learner").toContain("```ts\n## not a heading");
    const again = await ask(inTopoSort, "3");
    expect(again.text).toContain("Hint 3 of 3");
    expect(again.text).toContain("That was the last hint for this part");
  });

  it("starts another part at its first hint when the first failing test moves there", async () => {
    const other = await ask(failing("backward › walks the order from the root"), "3");
    expect(other.text).toContain('Hint 1 of 1 for "backward": Walk the order backwards');
    expect(JSON.parse(readFileSync(hintStateFile(course.root), "utf8"))).toEqual({
      "lesson-03": { "Ordering the graph": 3, backward: 1 },
    });
  });

  it("starts over with --reset", async () => {
    expect((await ask(inTopoSort, "3", "--reset")).code).toBe(0);
    expect((await ask(inTopoSort, "3")).text).toContain("Hint 1 of 3");
  });

  it("shows every hint of every part with --all, without running the tests", async () => {
    const all = (await ask(inTopoSort, "3", "--all")).text;
    expect(all).not.toContain("The first failing test");
    expect(all.indexOf("Hint 1 of 3")).toBeLessThan(all.indexOf("Hint 3 of 3"));
    expect(all.indexOf("Hint 3 of 3")).toBeLessThan(all.indexOf('Hint 1 of 1 for "backward"'));
  });

  it("says when the lesson passes, and points at an earlier lesson that is not done", async () => {
    expect((await ask(undefined, "3")).text).toContain("Every test of lesson-03 passes: no hint needed.");
    const stub = failing("topoSort › x", "lesson-01 is not done yet: write this part of src/engine.ts.");
    expect((await ask(stub, "3")).text).toContain("Finish lesson-01 first: npm run hint -- 01 helps with it.");
  });

  it("survives a damaged or older state file", async () => {
    writeFileSync(hintStateFile(course.root), "{ not json");
    expect((await ask(inTopoSort, "3")).text).toContain("Hint 1 of 3");
    writeFileSync(hintStateFile(course.root), '{ "lesson-03": 2 }');
    expect((await ask(inTopoSort, "3")).text).toContain("Hint 1 of 3");
  });

  it(
    "runs the lesson's tests on src/ to find the first failing one (here, on the starter, lesson 01 comes first)",
    async () => {
      const tsx = path.join(course.root, "node_modules", "tsx", "dist", "cli.mjs");
      const { stdout } = await promisify(execFile)(process.execPath, [tsx, "scripts/learn/hint.ts", "2"], {
        cwd: course.root,
        env: { ...process.env, COURSE_TARGET: "solutions", FORCE_COLOR: "0" },
      });
      expect(stdout).toContain("Running lesson-02's tests on your code in src/");
      expect(stdout).toMatch(/The first failing test, "tanh › .*", stops in lesson-01's code/);
    },
    TOOL_RUN_MS,
  );

  it("says so when a lesson has no hints, and when the lesson does not exist", async () => {
    const none = await ask(inTopoSort, "5");
    expect(none.code).toBe(1);
    expect(none.text).toContain("lesson-05 has no hints (lessons/lesson-05-neuron/hints.md)");
    const missing = await ask(inTopoSort, "42");
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('There is no lesson "42"');
    expect(missing.text).toContain("usage: npm run hint");
  });
});
