import { describe, expect, test } from "vitest";
import { listLessons } from "../scripts/lib/lessons";
import { everyLesson, type Manifest, manifestProblems, readManifest, TOTAL_POINTS } from "../scripts/lib/manifest";

describe("course.json, the grading manifest", () => {
  test("lists exactly the lesson folders, in order, and its core points total 100", () => {
    const manifest = readManifest();
    const lessons = listLessons();
    expect(manifestProblems(manifest, lessons), "course.json and lessons/ should agree").toEqual([]);
    expect(everyLesson(manifest).map((l) => l.id)).toEqual(lessons.map((l) => l.id));
    expect(manifest.lessons.reduce((sum, l) => sum + l.points, 0)).toBe(TOTAL_POINTS);
  });

  test("puts lessons 11 and after in a bonus part, Beyond the notebook, worth points on top of the core's 100", () => {
    const manifest = readManifest();
    expect(manifest.bonus?.title).toBe("Beyond the notebook");
    const bonus = listLessons()
      .filter((l) => l.number >= 11)
      .map((l) => l.id);
    expect(bonus.slice(0, 6)).toEqual(["lesson-11", "lesson-12", "lesson-13", "lesson-14", "lesson-15", "lesson-16"]);
    expect(manifest.bonus?.lessons.map((l) => l.id)).toEqual(bonus);
    expect(manifest.bonus?.lessons.every((l) => l.points > 0)).toBe(true);
    expect(
      everyLesson(manifest)
        .filter((l) => l.bonus)
        .map((l) => l.id),
    ).toEqual(bonus);
  });

  test("the lesson list knows each lesson's part: none for the core, the bonus part's title for the others", () => {
    const parts = listLessons().map((l) => [l.id, l.part]);
    expect(parts.slice(0, 10).every(([, part]) => part === undefined)).toBe(true);
    expect(parts.slice(10).length, "lessons 11 and after").toBeGreaterThanOrEqual(6);
    expect(parts.slice(10).every(([, part]) => part === "Beyond the notebook")).toBe(true);
  });

  test("reports a lesson without a folder, a folder without an entry, a duplicate and a wrong total", () => {
    const lessons = listLessons().slice(0, 2);
    const manifest: Manifest = {
      title: "t",
      lessons: [
        { id: lessons[0].id, title: "a", points: 50 },
        { id: lessons[0].id, title: "a again", points: 10 },
        { id: "lesson-99", title: "later", points: 30 },
      ],
    };
    const problems = manifestProblems(manifest, lessons).join("\n");
    expect(problems).toMatch(`${lessons[0].id} is listed twice`);
    expect(problems).toMatch("lesson-99 is in course.json but there is no lessons/lesson-99-* folder");
    expect(problems).toMatch(`lessons/${lessons[1].folder} has no entry in course.json`);
    expect(problems).toMatch("total 90, not 100");
  });

  test("asks every lesson for a summary that ends a sentence, for the site's course map", () => {
    const [first] = listLessons();
    const withSummary = (summary?: string): Manifest => ({
      title: "t",
      lessons: [{ id: first.id, title: first.title.replace(/^Lesson \d\d\s*[—–-]\s*/, ""), points: 100, summary }],
    });
    expect(manifestProblems(withSummary(), [first])).toEqual([
      `${first.id} has no summary in course.json: a sentence or two on what it builds, for the site.`,
    ]);
    expect(manifestProblems(withSummary("It builds this:"), [first])).toEqual([
      `${first.id}'s summary in course.json should end a sentence (with a full stop).`,
    ]);
    expect(manifestProblems(withSummary("It builds this."), [first])).toEqual([]);
  });

  test("counts only the core towards 100, and reports a bonus lesson placed before a core one", () => {
    const [first, second, third] = listLessons();
    const entry = (id: string, points: number) => ({ id, title: "t", points });
    const manifest: Manifest = {
      title: "t",
      lessons: [entry(first.id, 60), entry(third.id, 40)],
      bonus: { title: "Extra", lessons: [entry(second.id, 25)] },
    };
    const problems = manifestProblems(manifest, [first, second, third]).filter(
      (p) => !p.includes("title") && !p.includes("summary"),
    );
    expect(problems).toEqual([`${second.id} is a bonus lesson, but it comes before the core's ${third.id}.`]);
  });
});
