/**
 * What the learner reads and starts from must not get in the way of a correct idea:
 * - the starter imports, as values, every class of the course a file's regions may construct
 *   (`import type { Value }` makes the natural `new Value(0)` fail at run time with "Value is not defined";
 *   so biome.json turns off Biome's useImportType rule in solutions/);
 * - learner-facing text points into solutions/ only where it means the reference: the learner's copies of
 *   the provided modules are in src/;
 * - a line of code is named only in vitest's output for the starter, which is what a real run of it prints.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hintsPath } from "../scripts/lib/hints";
import { listLessons } from "../scripts/lib/lessons";
import { courseFileNames, SOLUTIONS, SRC } from "../scripts/lib/starter";
import { ROOT } from "../scripts/lib/target";
import { runTests, type TestResult } from "../scripts/lib/vitest";
import { readShownFailures } from "../scripts/maintain/shown-failures";
import { copyCourse, RUNNABLE_COURSE, TOOL_RUN_MS } from "./helpers";

/** Every class the course modules export, by name. */
const courseClasses = new Set(
  courseFileNames(SOLUTIONS).flatMap((name) =>
    [...readFileSync(path.join(SOLUTIONS, name), "utf8").matchAll(/^export class (\w+)/gm)].map((m) => m[1]),
  ),
);

/** `file:line: name` for each course class that `text` imports as a type only. */
function typeOnlyClassImports(text: string, file: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    const bindings = clause.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      const name = (element.propertyName ?? element.name).text;
      if ((clause.isTypeOnly || element.isTypeOnly) && courseClasses.has(name)) {
        const { line } = source.getLineAndCharacterOfPosition(element.getStart());
        found.push(`${file}:${line + 1}: ${name}`);
      }
    }
  }
  return found;
}

describe("the starter lets a learner write the natural code", () => {
  test("the course's classes are imported as values wherever a learner writes code", () => {
    const found = courseFileNames(SRC)
      .filter((name) => readFileSync(path.join(SRC, name), "utf8").includes("// BEGIN lesson-"))
      .flatMap((name) => typeOnlyClassImports(readFileSync(path.join(SRC, name), "utf8"), `src/${name}`));
    expect(
      found,
      "import these classes as values in solutions/ (then npm run starter), so `new Class()` works in a region",
    ).toEqual([]);
  });

  test("the check sees `import type { Value }` and `import { type Value }`, not `import { type Operand }`", () => {
    expect(typeOnlyClassImports('import type { Operand, Value } from "./engine";', "a.ts")).toEqual(["a.ts:1: Value"]);
    expect(typeOnlyClassImports('import { type Value, toValue } from "./engine";', "a.ts")).toEqual(["a.ts:1: Value"]);
    expect(typeOnlyClassImports('import { type Operand, Value } from "./engine";', "a.ts")).toEqual([]);
  });
});

/** The files a learner reads: lesson texts and tests, their copy of the code, and the generated results. */
function learnerFacingFiles(): string[] {
  const lessonFiles = listLessons().flatMap((lesson) => {
    const folder = path.join(ROOT, "lessons", lesson.folder);
    return readdirSync(folder, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith("README.md") || name.endsWith(".test.ts") || name.endsWith(".md"))
      .map((name) => path.join(folder, name));
  });
  return [...lessonFiles, ...courseFileNames(SRC).map((name) => path.join(SRC, name))];
}

/** Lines that name solutions/ without saying they mean the reference. */
function strayPointers(text: string, file: string): string[] {
  return text
    .split("\n")
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => /\bsolutions\//.test(line) && !/\breference\b/i.test(line))
    .map(({ line, number }) => `${file}:${number}: ${line.trim()}`);
}

describe("learner-facing text points at the learner's own files", () => {
  test("solutions/ is named only as the reference", () => {
    const found = learnerFacingFiles().flatMap((file) =>
      strayPointers(readFileSync(file, "utf8"), path.relative(ROOT, file)),
    );
    expect(found, "point at src/ (the learner's copy), or say that solutions/ is the reference").toEqual([]);
  });

  test("the check flags a provided module named in solutions/ and accepts the reference", () => {
    expect(strayPointers("provided in `solutions/data.ts`", "x.md")).toEqual([
      "x.md:1: provided in `solutions/data.ts`",
    ]);
    expect(strayPointers("the reference code in `solutions/`", "x.md")).toEqual([]);
    expect(strayPointers("provided in `src/data.ts`", "x.md")).toEqual([]);
  });
});

describe("a line of code named in a lesson text is the line a real run names", () => {
  const texts = listLessons()
    .flatMap((lesson) => [lesson.readme, hintsPath(lesson)])
    .filter((file) => existsSync(path.join(ROOT, file)));
  const read = texts.map((file) => readShownFailures(readFileSync(path.join(ROOT, file), "utf8"), file));

  test("lines are named only in vitest's output for the starter", () => {
    expect(read.flatMap((r) => r.stray)).toEqual([]);
  });

  describe("that output is what the starter gives", () => {
    const shown = read.flatMap((r) => r.shown);
    let course: ReturnType<typeof copyCourse>;
    let results: TestResult[];
    beforeAll(async () => {
      course = copyCourse(RUNNABLE_COURSE);
      const filters = [...new Set(shown.map((s) => s.testFile))];
      ({ results } = await runTests({ root: course.root, target: "src", filters }));
    }, TOOL_RUN_MS);
    afterAll(() => course.remove());

    test.each(shown.map((s) => [s.where, s] as const))("%s", (_where, s) => {
      const result = results.find((r) => r.file === s.testFile && r.name === s.name);
      expect(result, `the test "${s.name}" of ${s.testFile}`).toBeDefined();
      expect(result?.location, "where the failure points").toBe(s.location);
      expect(result?.message.split("\n")[0], "the message").toBe(s.message);
    });
  });

  test("the check reads vitest's output, and finds a number anywhere else", () => {
    const text = [
      "Before you start:",
      "```text",
      " FAIL  lessons/a/a.test.ts > a block > a test",
      "Error: not yet.",
      " ❯ new Value src/engine.ts:36:11",
      "```",
      "The test is at a.test.ts:12, and a block without a location may not name a line either:",
      "```text",
      " FAIL  lessons/a/a.test.ts > a block > b test",
      "src/nn.ts:4:2",
      "```",
    ].join("\n");
    const { shown, stray } = readShownFailures(text, "x.md");
    expect(shown).toEqual([
      {
        where: "x.md:3",
        testFile: "lessons/a/a.test.ts",
        name: "a block › a test",
        message: "Error: not yet.",
        location: "src/engine.ts:36:11",
      },
    ]);
    expect(stray.map((s) => s.slice(0, s.indexOf(",")))).toEqual([
      "x.md:7: names the line a.test.ts:12",
      "x.md:9: names the line src/nn.ts:4:2",
    ]);
  });
});
