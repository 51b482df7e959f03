import { describe, expect, test } from "vitest";
import { listLessons } from "../scripts/lib/lessons";
import { type Manifest, manifestProblems, readManifest, TOTAL_POINTS } from "../scripts/lib/manifest";

describe("course.json, the grading manifest", () => {
  test("lists exactly the lesson folders, in order, and its points total 100", () => {
    const manifest = readManifest();
    const lessons = listLessons();
    expect(manifestProblems(manifest, lessons), "course.json and lessons/ should agree").toEqual([]);
    expect(manifest.lessons.map((l) => l.id)).toEqual(lessons.map((l) => l.id));
    expect(manifest.lessons.reduce((sum, l) => sum + l.points, 0)).toBe(TOTAL_POINTS);
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
});
