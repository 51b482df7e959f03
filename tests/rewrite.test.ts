import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlans, planLesson, RefusalError, rewriteCommand } from "../scripts/learn/rewrite";
import { findLesson, listLessons } from "../scripts/lib/lessons";
import { copyCourse, fakeTerminal } from "./helpers";

let course: ReturnType<typeof copyCourse>;
beforeEach(() => {
  course = copyCourse();
});
afterEach(() => course.remove());

const src = (file = "engine.ts") => readFileSync(path.join(course.root, "src", file), "utf8");
const setSrc = (text: string, file = "engine.ts") => writeFileSync(path.join(course.root, "src", file), text);
const run = async (
  mode: "reset" | "solve",
  args: string[],
  options: { interactive?: boolean; answer?: boolean } = {},
) => {
  const terminal = fakeTerminal(options);
  const code = await rewriteCommand(mode, args, terminal, course.root);
  return { code, text: terminal.text(), terminal };
};
const backups = () => readdirSync(path.join(course.root, ".course", "backups"));

describe("planLesson", () => {
  it("plans to fill a lesson's stubs with the reference and to put them back", () => {
    const lessons = listLessons(course.root);
    const lesson2 = findLesson("2", lessons);
    const starter = src();
    const solve = planLesson("solve", lesson2, lessons, course.root);
    expect(solve.map((p) => [p.file, p.changes.length])).toEqual([["engine.ts", 3]]);
    expect(solve[0].after).toContain("Math.tanh(this.data)");
    applyPlans(solve, course.root, "first");
    expect(planLesson("solve", lesson2, lessons, course.root)).toEqual([]);
    applyPlans(planLesson("reset", lesson2, lessons, course.root), course.root, "second");
    expect(src()).toBe(starter);
  });

  it("touches only the chosen lesson's regions, leaving the learner's other code as it is", () => {
    const lessons = listLessons(course.root);
    const mine = src().replace(
      /(\/\/ BEGIN lesson-03\n)[\s\S]*?(\n\s*\/\/ END lesson-03)/,
      "$1    return [this]; // mine$2",
    );
    setSrc(mine);
    applyPlans(planLesson("solve", findLesson("1", lessons), lessons, course.root), course.root, "x");
    expect(src()).toContain("return [this]; // mine");
    expect(src()).toContain("this.data = data;");
  });
});

describe("npm run solve and npm run reset", () => {
  it("solves with --yes, keeps a backup of the previous code and says where", async () => {
    const before = src();
    const { code, text } = await run("solve", ["1", "--yes"]);
    expect(code).toBe(0);
    expect(text).toContain("Solve lesson-01: 7 region(s) in src/ will be filled with the reference solution.");
    expect(text).toMatch(/^src\/engine\.ts:\d+$/m);
    expect(text).toMatch(/^\+ {5}this\.data = data;$/m);
    expect(text).toMatch(/^- {5}throw new Error\("lesson-01 is not done yet/m);
    const [stamp] = backups();
    expect(text).toContain(`Your previous code is in .course/backups/${stamp}/src/.`);
    expect(readFileSync(path.join(course.root, ".course", "backups", stamp, "src", "engine.ts"), "utf8")).toBe(before);
  });

  it("reset brings the learner's attempt back to the starter; the backup holds the attempt", async () => {
    const starter = src();
    await run("solve", ["2", "--yes"]);
    const attempt = src().replace("Math.tanh(this.data)", "Math.tanh(this.data) * 1 // my attempt");
    setSrc(attempt);
    rmSync(path.join(course.root, ".course"), { recursive: true });
    const { code } = await run("reset", ["lesson-02", "--yes"]);
    expect(code).toBe(0);
    expect(src()).toBe(starter);
    const [stamp] = backups();
    expect(readFileSync(path.join(course.root, ".course", "backups", stamp, "src", "engine.ts"), "utf8")).toBe(attempt);
  });

  it("without a terminal and without --yes, shows the change, changes nothing and says how to confirm", async () => {
    const before = src();
    const { code, text } = await run("solve", ["02"]);
    expect(code).toBe(1);
    expect(text).toContain("+     const t = Math.tanh(this.data);");
    expect(text).toContain("Nothing was changed (no terminal to ask). To do it, run: npm run solve -- 02 --yes");
    expect(src()).toBe(before);
  });

  it("asks first on a terminal, and does nothing when the answer is no", async () => {
    const before = src();
    const no = await run("solve", ["2"], { interactive: true, answer: false });
    expect(no.terminal.questions).toEqual(["Solve lesson-02 now? Your current code is backed up first."]);
    expect(no.code).toBe(1);
    expect(src()).toBe(before);
    const yes = await run("solve", ["2"], { interactive: true, answer: true });
    expect(yes.code).toBe(0);
    expect(src()).toContain("Math.tanh(this.data)");
  });

  it("says when there is nothing to change", async () => {
    const { code, text } = await run("reset", ["4", "--yes"]);
    expect(code).toBe(0);
    expect(text).toBe("lesson-04 in src/ is already back to the starter: nothing to change.");
  });

  it("refuses, with file and line, when a marker was mangled", async () => {
    const mangled = src().replace("// END lesson-03", "// END lesson 03");
    setSrc(mangled);
    const { code, text } = await run("solve", ["1", "--yes"]);
    expect(code).toBe(1);
    expect(text).toMatch(/^src\/engine\.ts:\d+: malformed marker "\/\/ END lesson 03"/);
    expect(text).toContain("Fix that marker by hand, then try again. Nothing was changed.");
    expect(src()).toBe(mangled);
  });

  it("refuses when a region's markers were deleted, naming where the reference has them", async () => {
    const lines = src().split("\n");
    const begin = lines.findIndex((l) => l.includes("// BEGIN lesson-04"));
    const end = lines.findIndex((l) => l.includes("// END lesson-04"));
    const deleted = lines.filter((_, i) => i !== begin && i !== end).join("\n");
    setSrc(deleted);
    const { code, text } = await run("reset", ["4", "--yes"]);
    expect(code).toBe(1);
    expect(text).toMatch(/src\/engine\.ts has 1 lesson-04 region\(s\) but solutions\/engine\.ts has 2/);
    expect(text).toMatch(/put the markers back where solutions\/engine\.ts has them \(lines \d+, \d+\)/);
    expect(src()).toBe(deleted);
  });

  it("explains how to call it when the lesson is missing or unknown", async () => {
    expect((await run("reset", [])).text).toContain("usage: npm run reset -- <lesson> [--yes]");
    const unknown = await run("solve", ["42"]);
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain('There is no lesson "42"');
  });

  it("refuses when a src/ file is missing", () => {
    rmSync(path.join(course.root, "src", "engine.ts"));
    const lessons = listLessons(course.root);
    expect(() => planLesson("reset", findLesson("1", lessons), lessons, course.root)).toThrow(RefusalError);
  });
});
