/**
 * GitHub Classroom shows our points, to the cent, in both places its reporter writes them: the log's table
 * and the notice Classroom records. The reporter is not on npm, so scripts/grade/classroom-reporter.ts models
 * its two sums from what it does; here the model is held to what the reporter was seen to show for the old
 * output, then applied to the grader's output for thousands of grades. The workflow in docs/grading.md must
 * hand the reporter one runner per lesson of course.json.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Random } from "@course/random";
import { describe, expect, test } from "vitest";
import { classroomResults, runnerId, shareOut, summingTo } from "../scripts/grade/classroom";
import { reporterDisagrees, reporterView } from "../scripts/grade/classroom-reporter";
import { type CatalogueLesson, gradeLesson, type Observed, testKey, totalGrade } from "../scripts/grade/score";
import { everyLesson, readManifest } from "../scripts/lib/manifest";
import { ROOT } from "../scripts/lib/target";

const manifest = readManifest();

/** The course's lessons, each with `count(lesson)` tests. */
function catalogue(count: (index: number) => number): CatalogueLesson[] {
  return everyLesson(manifest).map((lesson, index) => {
    const file = `lessons/${lesson.id}/t.test.ts`;
    const tests = Array.from({ length: count(index) }, (_, i) => ({ file, name: `test ${i}` }));
    return { ...lesson, bonus: index >= manifest.lessons.length, files: [file], tests };
  });
}

/** A grade of `lessons` where each test passes with probability `pass`. */
function gradeOf(lessons: CatalogueLesson[], rng: Random, pass: number) {
  const graded = lessons.map((lesson) => {
    const observed = new Map<string, Observed>();
    for (const t of lesson.tests) {
      observed.set(testKey(t.file, t.name), { status: rng.next() < pass ? "passed" : "failed", message: "" });
    }
    return gradeLesson(lesson, observed);
  });
  return totalGrade("ada", "x", graded, [], 0);
}

describe("the model of the reporter", () => {
  test("shows what the reporter showed for the old output: a runner scored by its share of passing tests", () => {
    // One runner for the whole course, 189 of its 201 tests passing: the "94.03/100".
    const tests = Array.from({ length: 201 }, (_, i) => ({
      name: `t${i}`,
      status: i < 189 ? "pass" : "fail",
      score: 0,
    }));
    const old = { version: 1, status: "fail", max_score: 100, tests } as never;
    expect(reporterView([["grade", old]]).lines).toEqual(["Total points for grade: 94.03/100"]);
  });

  test("adds the notice's scores in floating point, as the reporter does", () => {
    const tests = [0.1, 0.2].map((score) => ({ name: "t", status: "pass", score }));
    const runner = { version: 1, status: "pass", max_score: 1, tests } as never;
    expect(reporterView([["one", runner]]).notice).toBe("Points 0.30000000000000004/1");
  });
});

describe("our output, as the reporter shows it", () => {
  test("a full score, and nothing, read 100/100 and 0/100 in the table and in the notice", () => {
    const lessons = catalogue(() => 7);
    for (const pass of [1, 0]) {
      const grade = gradeOf(lessons, new Random(1), pass);
      expect(reporterDisagrees(grade)).toEqual([]);
      expect(reporterView(Object.entries(classroomResults(grade))).notice).toBe(`Points ${pass * 100}/100`);
    }
  });

  test("hundreds of grades over lessons of every size: the table and the notice show our points to the cent", {
    timeout: 60_000,
  }, () => {
    const rng = new Random(23);
    const problems: string[] = [];
    for (let round = 0; round < 400; round++) {
      const lessons = catalogue(() => 1 + Math.floor(rng.next() * 60));
      const grade = gradeOf(lessons, rng, rng.next());
      problems.push(...reporterDisagrees(grade).map((p) => `round ${round}: ${p}`));
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  test("the notice's scores are cents in proportion to what each passing test is worth, adding up to the total", () => {
    expect(shareOut(667, [1000 / 3, 0, 1000 / 3]), "2 of 3 tests of 10 points: 6.67").toEqual([334, 0, 333]);
    const nine = Array.from({ length: 8 }, () => 1000 / 9);
    expect(shareOut(889, nine), "4 of 9 tests of 10 points, twice: 8.89").toEqual([
      112, 111, 111, 111, 111, 111, 111, 111,
    ]);
  });

  test("and the last one carries what makes their floating-point sum come out exact, only when it must", () => {
    const drifting = [8.23, 12.2, 3.4, 1.08, 6.76, 3.84];
    expect(
      drifting.reduce((a, b) => a + b, 0),
      "cents added in floating point",
    ).toBe(35.50999999999999);
    const corrected = summingTo(drifting, 35.51);
    expect(corrected.reduce((a, b) => a + b, 0)).toBe(35.51);
    expect(corrected.slice(0, -1)).toEqual(drifting.slice(0, -1));
    expect(Math.abs((corrected.at(-1) as number) - 3.84)).toBeLessThan(1e-12);
    const exact = [12, 8, 4.44, 15, 8, 8, 10, 7, 12, 8.62];
    expect(summingTo(exact, 93.06), "a sum that is already exact is left alone").toEqual(exact);
  });
});

describe("the workflow in docs/grading.md", () => {
  const docs = readFileSync(path.join(ROOT, "docs", "grading.md"), "utf8");
  const workflow = /```yaml\n(name: Autograding Tests[\s\S]*?)```/.exec(docs)?.[1] ?? "";
  const runners = manifest.lessons.map((l) => runnerId(l.id));

  test("hands the reporter one runner per core lesson of course.json, in order", () => {
    expect(/runners: (.*)/.exec(workflow)?.[1]).toBe(runners.join(","));
  });

  test("passes each runner's result in its *_RESULTS variable, from the grading step's output of that name", () => {
    const passed = [...workflow.matchAll(/^ +(\w+)_RESULTS: "\$\{\{ steps\.grade\.outputs\.(\w+) \}\}"$/gm)];
    expect(passed.map((m) => [m[1], m[2]])).toEqual(runners.map((id) => [id.toUpperCase(), id]));
  });
});
