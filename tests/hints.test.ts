import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hintCommand, hintStateFile, parseHints } from "../scripts/learn/hints";
import { findLesson, listLessons } from "../scripts/lib/lessons";
import { copyCourse, fakeTerminal } from "./helpers";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "lesson-with-hints.md");

describe("parseHints", () => {
  it("reads every tier of the ## Hints section, in order, with its title and body", () => {
    const hints = parseHints(readFileSync(FIXTURE, "utf8"));
    expect(hints.map((h) => [h.number, h.title])).toEqual([
      [1, "What order do you need?"],
      [2, "Remember what you visited"],
      [3, "The loop"],
    ]);
    expect(hints[1].body).toBe("Keep a `Set` of the nodes already placed, so a node reached twice is placed once.");
    expect(hints[2].body).toContain("const stack = [this];");
  });

  it("ignores <details> outside the ## Hints section and finds none without one", () => {
    const text = "# L\n\n<details><summary>Hint 1: not here</summary>x</details>\n\n## Next\n";
    expect(parseHints(text)).toEqual([]);
    expect(parseHints(`${text}## Hints\n\n<details><summary>Hint 1: here</summary>y</details>\n\n## After\n`)).toEqual([
      { number: 1, title: "here", body: "y" },
    ]);
  });
});

describe("npm run hint", () => {
  let course: ReturnType<typeof copyCourse>;
  beforeAll(() => {
    course = copyCourse();
    const lesson = findLesson("3", listLessons(course.root));
    copyFileSync(FIXTURE, path.join(course.root, lesson.readme));
    const withoutHints = findLesson("5", listLessons(course.root));
    writeFileSync(path.join(course.root, withoutHints.readme), "# Lesson 05 — A lesson without hints\n\nText.\n");
  });
  afterAll(() => course.remove());

  const ask = (...args: string[]) => {
    const terminal = fakeTerminal();
    const code = hintCommand(args, terminal, course.root);
    return { code, text: terminal.text() };
  };

  it("reveals one more tier each time it is asked, then stays on the last", () => {
    const first = ask("3");
    expect(first.code).toBe(0);
    expect(first.text).toContain("Hint 1 of 3: What order do you need?");
    expect(first.text).not.toContain("Hint 2 of 3");
    expect(first.text).toContain("npm run hint -- 03 shows hint 2");

    const second = ask("03");
    expect(second.text).toContain("Hint 2 of 3: Remember what you visited");
    expect(second.text).toContain("Already shown");
    expect(second.text).toContain("Hint 1: What order do you need?");

    const third = ask("lesson-03").text;
    expect(third).toContain("Hint 3 of 3: The loop");
    expect(third, "the skip-check note is for the checks, not the learner").toContain("```ts\nconst stack");
    const again = ask("3");
    expect(again.text).toContain("Hint 3 of 3");
    expect(again.text).toContain("That was the last hint");
  });

  it("keeps the tier reached in .course/hints.json and starts over with --reset", () => {
    expect(JSON.parse(readFileSync(hintStateFile(course.root), "utf8"))).toEqual({ "lesson-03": 3 });
    expect(ask("3", "--reset").code).toBe(0);
    expect(ask("3").text).toContain("Hint 1 of 3");
  });

  it("shows every tier with --all", () => {
    const all = ask("3", "--all").text;
    expect(all.indexOf("Hint 1 of 3")).toBeLessThan(all.indexOf("Hint 2 of 3"));
    expect(all.indexOf("Hint 2 of 3")).toBeLessThan(all.indexOf("Hint 3 of 3"));
  });

  it("survives a damaged state file", () => {
    writeFileSync(hintStateFile(course.root), "{ not json");
    expect(ask("3").text).toContain("Hint 1 of 3");
  });

  it("says so when a lesson has no hints, and when the lesson does not exist", () => {
    const none = ask("5");
    expect(none.code).toBe(1);
    expect(none.text).toContain('has no "## Hints" section yet');
    const missing = ask("42");
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('There is no lesson "42"');
    expect(missing.text).toContain("usage: npm run hint");
    expect(existsSync(hintStateFile(course.root))).toBe(true);
  });
});
