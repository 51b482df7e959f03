/** The guided mode's screen (scripts/learn/guided-screen.ts), drawn from made-up states. */
import { describe, expect, it } from "vitest";
import { reflow, renderScreen, wrap } from "../scripts/learn/guided-screen";
import { type GuidedEvent, type GuidedState, initialState, update } from "../scripts/learn/guided-state";
import type { Lesson } from "../scripts/lib/lessons";
import type { TestResult } from "../scripts/lib/vitest";

const lesson = (number: number, slug: string, title: string): Lesson => {
  const id = `lesson-${String(number).padStart(2, "0")}`;
  return { id, number, folder: `${id}-${slug}`, readme: `lessons/${id}-${slug}/README.md`, title };
};
const lessons = Array.from({ length: 10 }, (_, i) => lesson(i + 1, `part-${i + 1}`, `Lesson ${i + 1} — Part ${i + 1}`));
const LONG = "lesson-02 is not done yet: write this part of src/engine.ts. Read lessons/lesson-02-tanh/README.md.";

const test = (n: number, name: string, pass: boolean, extra: Partial<TestResult> = {}): TestResult => ({
  file: `lessons/${lessons[n - 1].folder}/x.test.ts`,
  lesson: lessons[n - 1].id,
  name,
  status: pass ? "passed" : "failed",
  message: pass ? "" : LONG,
  ...extra,
});
const runEnd = (tests: TestResult[]): GuidedEvent => ({
  type: "run-end",
  files: [...new Set(tests.map((t) => t.file))],
  results: tests,
  errors: [],
});
const state = (...events: GuidedEvent[]): GuidedState =>
  events.reduce((s, e) => update(s, e).state, initialState(lessons, { "lesson-01": "Value's add in src/engine.ts" }));

/** Lesson 01 done; lesson 02 fails on a stub in src/, with a long name and message. */
const working = state(
  runEnd([
    test(1, "adds", true),
    test(2, `tanh › ${"computes the hyperbolic tangent ".repeat(4)}`, false, { location: "src/engine.ts:120:11" }),
    ...lessons.slice(2).map((l) => test(l.number, "later", false)),
  ]),
);
const SIZE = { width: 80, height: 24 };

describe("the guided screen", () => {
  it("fills exactly the terminal, never wider than its width less one column, with the keys on the last row", () => {
    const hint = {
      lessonId: "lesson-02",
      part: "tanh",
      number: 1,
      count: 3,
      title: "Start",
      body: "word ".repeat(400),
    };
    const crowded = state(
      runEnd([
        test(1, "adds", true),
        test(2, "tanh", false),
        ...lessons.slice(2).map((l) => test(l.number, "x", false)),
      ]),
      { type: "hint", hint },
    );
    for (const s of [working, crowded]) {
      const lines = renderScreen(s, SIZE, false);
      expect(lines).toHaveLength(24);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(79);
      expect(lines[23]).toBe("n next  p previous  l list  h hint  r re-run  q quit");
    }
    const cut = renderScreen(crowded, SIZE, false).join("\n");
    expect(cut).toContain('Hint 1 of 3 for "tanh": Start');
    expect(cut).toContain("... (cut to fit: npm run hint -- 02 --all shows every hint in full)");
  });

  it("shows the course map, the current lesson, its README and its first failure: name, place and message", () => {
    const text = renderScreen(working, SIZE, false).join("\n");
    expect(text).toContain(" +01 [-02] -03  -04");
    expect(text).toContain("1 of 10 done");
    expect(text).toContain("Lesson 2 — Part 2   0/1 tests pass");
    expect(text).toContain("Read lessons/lesson-02-part-2/README.md");
    expect(text).toMatch(/x tanh › computes the hyperbolic tangent .*\n {2}computes/);
    expect(text).toContain("  at src/engine.ts:120:11");
    expect(text).toContain(
      "  lesson-02 is not done yet: write this part of src/engine.ts. Read\n  lessons/lesson-02-tanh/README.md.",
    );
  });

  it("lists the failure's frames in src/, innermost first, and marks the ones in the lesson's own code", () => {
    const frames = [
      { file: "src/engine.ts", line: 245, column: 13, fn: "Value.log", lesson: "lesson-02" },
      { file: "src/loss.ts", line: 51, column: 30, fn: "bceLoss", lesson: "lesson-01" },
    ];
    const thrown = update(working, runEnd([test(2, "tanh › x", false, { location: "src/engine.ts:245:13", frames })]));
    const text = renderScreen(thrown.state, SIZE, false).join("\n");
    expect(text).toContain("  at src/engine.ts:245:13 Value.log (your lesson-02 code <- this lesson)\n");
    expect(text).toContain("     src/loss.ts:51:30    bceLoss (your lesson-01 code)\n");
  });

  it("is plain ASCII text without colour, and coloured with it", () => {
    const plain = renderScreen(working, SIZE, false).join("\n");
    expect(plain).not.toContain("\u001b[");
    expect(plain.replace(/[—›]/g, ""), "ASCII but for the titles and names given").toMatch(/^[\x20-\x7e\n]*$/);
    const coloured = renderScreen(working, SIZE, true).join("\n");
    expect(coloured).toContain("\u001b[32m✓01");
    expect(coloured).toContain("✗ tanh");
  });

  it("says first of all that a save broke an earlier lesson, with that lesson's failure", () => {
    const broken = update(working, runEnd([test(1, "adds", false, { location: "src/engine.ts:46:5" })])).state;
    const lines = renderScreen(broken, SIZE, false);
    expect(lines[0]).toBe("! Your last save broke lesson 01, which passed before:");
    expect(lines[1]).toBe("  x adds");
    expect(lines[2]).toBe("    at src/engine.ts:46:5");
    expect(lines.join("\n")).toContain(" !01 [-02]");
  });

  it("says which lesson was just done and what the learner wrote", () => {
    const fresh = state(runEnd(lessons.map((l) => test(l.number, "x", false))));
    const done = update(fresh, runEnd([test(1, "x", true)])).state;
    const text = renderScreen(done, SIZE, false).join("\n");
    expect(text).toContain("* Lesson 01 done: you wrote Value's add in src/engine.ts.");
    expect(text).toContain("[-02]");
  });

  it("congratulates when every lesson passes", () => {
    const all = state(runEnd(lessons.map((l) => test(l.number, "x", true))));
    expect(renderScreen(all, SIZE, false).join("\n")).toContain("Every lesson passes.");
  });

  it("lists the lessons with their counts to pick one, the cursor marked", () => {
    const list = update(working, { type: "key", name: "l" }).state;
    const lines = renderScreen(list, SIZE, false);
    expect(lines).toContain("  01  Part 1     1/1  done");
    expect(lines).toContain("> 02  Part 2     0/1");
    expect(lines[23]).toBe("up down choose  Enter open  Esc back  q quit");
  });

  it("says it is checking before the first results", () => {
    const lines = renderScreen(initialState(lessons), SIZE, false);
    expect(lines.join("\n")).toContain("Checking your code in src/ against every lesson...");
    expect(lines[0]).toContain("checking...");
  });

  it("fits a narrow, short terminal too", () => {
    const lines = renderScreen(working, { width: 40, height: 10 }, false);
    expect(lines).toHaveLength(10);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(39);
    expect(lines.join("\n")).toContain("~");
  });
});

describe("wrap and reflow", () => {
  it("wraps at spaces, keeping the first line's indentation or the hanging indent given", () => {
    expect(wrap("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
    expect(wrap("  aaa bbb ccc", 9)).toEqual(["  aaa bbb", "  ccc"]);
    expect(wrap("* aaa bbb", 6, "  ")).toEqual(["* aaa", "  bbb"]);
    expect(wrap("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("joins the lines of a paragraph and of a list item, and leaves code and tables alone", () => {
    const markdown = "One\ntwo.\n\n- item\n  goes on\n- next\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n| a |\n| b |";
    expect(reflow(markdown)).toEqual([
      "One two.",
      "",
      "- item goes on",
      "- next",
      "",
      "```ts",
      "const a = 1;",
      "const b = 2;",
      "```",
      "| a |",
      "| b |",
    ]);
  });
});
