import { describe, expect, it } from "vitest";
import { bar, formatDashboard, nextStep, summarize } from "../scripts/learn/dashboard";
import { wantsColor } from "../scripts/learn/terminal";
import type { Lesson } from "../scripts/lib/lessons";
import { shortTitle } from "../scripts/lib/lessons";
import type { TestResult } from "../scripts/lib/vitest";

const lesson = (number: number, slug: string, title: string): Lesson => {
  const id = `lesson-${String(number).padStart(2, "0")}`;
  return { id, number, folder: `${id}-${slug}`, readme: `lessons/${id}-${slug}/README.md`, title };
};
const lessons = [
  lesson(1, "value-ops", "Lesson 01 — Value operations"),
  lesson(2, "tanh", "Lesson 02: tanh and friends"),
  lesson(3, "topo-sort", "lesson-03-topo-sort"),
];

const result = (lessonId: string, name: string, status: TestResult["status"], message = ""): TestResult => ({
  file: `lessons/${lessonId}-x/x.test.ts`,
  lesson: lessonId,
  name,
  status,
  message,
});

/** Lesson 1 done, lesson 2 half done (its first failure named), lesson 3 untouched. */
const midway = [
  result("lesson-01", "adds", "passed"),
  result("lesson-01", "multiplies", "passed"),
  result("lesson-02", "tanh › computes tanh", "passed"),
  result("lesson-02", "tanh › has the right gradient", "failed", "expected 0.42 to be 0.5\nsecond line"),
  result("lesson-02", "relu › clips", "failed", "later failure"),
  result("lesson-03", "sorts", "failed", "lesson-03 is not done yet"),
];

describe("the dashboard's bookkeeping", () => {
  it("counts passed and total tests per lesson", () => {
    const progress = summarize(lessons, midway);
    expect(progress.map((p) => [p.lesson.id, p.passed, p.total])).toEqual([
      ["lesson-01", 2, 2],
      ["lesson-02", 1, 3],
      ["lesson-03", 0, 1],
    ]);
  });

  it("sends the learner to the first unfinished lesson and its first failing test", () => {
    const next = nextStep(summarize(lessons, midway));
    expect(next?.lesson.id).toBe("lesson-02");
    expect(next?.failure?.name).toBe("tanh › has the right gradient");
  });

  it("sends a new learner to lesson 01", () => {
    const fresh = midway.map((r) => ({ ...r, status: "failed" as const }));
    expect(nextStep(summarize(lessons, fresh))?.lesson.id).toBe("lesson-01");
  });

  it("skips lessons without tests yet and has no next step once everything passes", () => {
    const allPassed = midway.filter((r) => r.lesson !== "lesson-03").map((r) => ({ ...r, status: "passed" as const }));
    const progress = summarize(lessons, allPassed);
    expect(progress[2].total).toBe(0);
    expect(nextStep(progress)).toBeUndefined();
  });

  it("shortens every title style to the part after the lesson number", () => {
    expect(lessons.map(shortTitle)).toEqual(["Value operations", "tanh and friends", "topo-sort"]);
  });

  it("draws bars in ASCII without colour and in blocks with it", () => {
    expect(bar(1, 2, false, 10)).toBe("#####.....");
    expect(bar(0, 0, false, 4)).toBe("....");
    expect(bar(3, 3, true, 4)).toBe("████");
  });
});

describe("the dashboard's text", () => {
  const text = formatDashboard(summarize(lessons, midway), false);

  it("prints one line per lesson with number, title, count, bar and done mark", () => {
    const rows = text.split("\n").filter((line) => /^ {2}\d\d {2}/.test(line));
    expect(rows).toEqual([
      "  01  Value operations  2/2  ####################  done",
      "  02  tanh and friends  1/3  #######.............",
      "  03  topo-sort         0/1  ....................",
    ]);
  });

  it("prints the overall progress", () => {
    expect(text).toContain("Overall: 1 of 3 lessons done, 3/6 tests passing");
  });

  it("prints the next step: the README, the command, the first failing test and its message", () => {
    expect(text).toContain("Next: lesson 02, tanh and friends");
    expect(text).toContain("Read  lessons/lesson-02-tanh/README.md");
    expect(text).toContain("Run   npm run lesson -- 02");
    expect(text).toContain(
      "First failing test: tanh › has the right gradient\n    expected 0.42 to be 0.5\n    second line",
    );
    expect(text).not.toContain("later failure");
  });

  it("is plain text without colour, and coloured with it", () => {
    expect(text).not.toContain("\u001b[");
    expect(formatDashboard(summarize(lessons, midway), true)).toContain("\u001b[32m");
  });

  it("uses colour only on a terminal, and never with NO_COLOR", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  });

  it("congratulates when every lesson passes", () => {
    const done = summarize(lessons.slice(0, 1), midway.slice(0, 2));
    expect(formatDashboard(done, false)).toContain("Every lesson passes");
  });
});

describe("the dashboard's bonus part", () => {
  const bonus = (number: number, slug: string, title: string): Lesson => ({
    ...lesson(number, slug, title),
    part: "Beyond the notebook",
  });
  const withBonus = [...lessons, bonus(11, "cross-entropy", "Lesson 11 — Cross-entropy")];
  const results = [
    ...midway.map((r) => ({ ...r, status: "passed" as const })),
    result("lesson-11", "sigmoid", "failed", "lesson-11 is not done yet"),
  ];
  const text = formatDashboard(summarize(withBonus, results), false);

  it("shows the bonus lessons after the core, under their part's title", () => {
    const rows = text.split("\n");
    const header = rows.indexOf("  Beyond the notebook (bonus)");
    expect(header, "a header line for the part").toBeGreaterThan(rows.findIndex((line) => line.startsWith("  03")));
    expect(rows[header + 1]).toMatch(/^ {2}11 {2}Cross-entropy/);
  });

  it("counts the core and the bonus part apart", () => {
    expect(text).toContain("Core course: 3 of 3 lessons done, 6/6 tests passing");
    expect(text).toContain("Beyond the notebook: 0 of 1 lessons done, 0/1 tests passing");
  });

  it("congratulates on the core, then sends the learner on to the bonus part", () => {
    expect(text).toContain("The core course is done: well done. On to the bonus part, Beyond the notebook.");
    expect(text).toContain("Next: lesson 11, Cross-entropy");
  });
});
