import { describe, expect, it } from "vitest";
import { lessonArgs, uiArgs } from "../scripts/learn/launch";
import { listLessons } from "../scripts/lib/lessons";

describe("npm run lesson and npm run ui", () => {
  const lesson3 = listLessons().find((l) => l.number === 3);

  it("runs one lesson's folder in watch mode, whichever way its number is written", () => {
    for (const query of ["3", "03", "lesson-03"]) {
      expect(lessonArgs(query)).toEqual(["watch", `lessons/${lesson3?.folder}/`]);
    }
    expect(lessonArgs("3", ["--run"])).toEqual(["watch", `lessons/${lesson3?.folder}/`, "--run"]);
  });

  it("refuses a lesson that does not exist, listing those that do", () => {
    expect(() => lessonArgs("42")).toThrow(/There is no lesson "42". The lessons are 1, 2, 3/);
  });

  it("serves the UI on 127.0.0.1 only, without opening a browser, on the lessons' tests", () => {
    expect(uiArgs()).toEqual(["--ui", "--api.host=127.0.0.1", "--api.port=51204", "--open=false", "lessons/"]);
  });
});
