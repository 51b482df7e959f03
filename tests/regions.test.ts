/** The exercise-region markers and the starter generator (scripts/lib/regions.ts, scripts/lib/starter.ts). */
import { describe, expect, test } from "vitest";
import { listLessons } from "../scripts/lib/lessons";
import { MarkerError, parseRegions, regionsOf, renderSegments } from "../scripts/lib/regions";
import { stubFile } from "../scripts/lib/starter";

const known = new Set(["lesson-01", "lesson-02"]);
const lessons = listLessons();

function problemOf(text: string): string {
  try {
    parseRegions(text, "solutions/x.ts", known);
  } catch (error) {
    if (error instanceof MarkerError) return error.message;
    throw error;
  }
  return "no error";
}

const sample = [
  "export function f(): number {",
  "  // BEGIN lesson-01",
  "  return 1;",
  "  // END lesson-01",
  "}",
  "export const g = () => {",
  "  // BEGIN lesson-02",
  "  const two = 2;",
  "  return two;",
  "  // END lesson-02",
  "};",
  "",
].join("\n");

describe("parseRegions", () => {
  test("finds each region with its lesson, line and indentation", () => {
    const regions = regionsOf(parseRegions(sample, "x.ts", known));
    expect(regions.map((r) => [r.lesson, r.line, r.indent, r.body.length])).toEqual([
      ["lesson-01", 2, "  ", 1],
      ["lesson-02", 7, "  ", 2],
    ]);
  });

  test("renders a file back exactly as it was", () => {
    expect(renderSegments(parseRegions(sample, "x.ts", known))).toBe(sample);
  });

  test.each([
    ["an unclosed region", "// BEGIN lesson-01\nx;\n", "solutions/x.ts:1: BEGIN lesson-01 is never closed"],
    [
      "a nested region",
      "// BEGIN lesson-01\n// BEGIN lesson-02\n",
      "solutions/x.ts:2: BEGIN lesson-02 inside the region lesson-01",
    ],
    ["an END without BEGIN", "x;\n// END lesson-01\n", "solutions/x.ts:2: END lesson-01 without a BEGIN"],
    [
      "a mismatched END",
      "// BEGIN lesson-01\nx;\n// END lesson-02\n",
      "solutions/x.ts:3: END lesson-02 closes the region BEGIN lesson-01",
    ],
    ["an unknown lesson", "// BEGIN lesson-42\nx;\n// END lesson-42\n", 'solutions/x.ts:1: unknown lesson "lesson-42"'],
    ["an empty region", "// BEGIN lesson-01\n\n// END lesson-01\n", "solutions/x.ts:1: the region lesson-01 is empty"],
    ["a one-digit lesson number", "x;\n  // BEGIN lesson-1\n", "solutions/x.ts:2: malformed marker"],
    ["a misspelt marker", "// begin lesson-01\n", "solutions/x.ts:1: malformed marker"],
  ])("reports %s with the file and line", (_, text, expected) => {
    expect(problemOf(text)).toContain(expected);
  });
});

describe("stubFile", () => {
  const text = [
    "class A {",
    "  f(): number {",
    "    // BEGIN lesson-01",
    "    return 1;",
    "    // END lesson-01",
    "  }",
    "}",
  ].join("\n");

  test("replaces a region's body with a throw naming the lesson, the file and the README", () => {
    const stub = stubFile(text, "a.ts", lessons);
    expect(stub.split("\n")).toEqual([
      "class A {",
      "  f(): number {",
      "    // BEGIN lesson-01",
      `    throw new Error("lesson-01 is not done yet: write this part of src/a.ts. Read ${lessons[0].readme}.");`,
      "    // END lesson-01",
      "  }",
      "}",
    ]);
  });

  test("keeps the regions of lessons that are not stubbed", () => {
    expect(stubFile(text, "a.ts", lessons, (id) => id !== "lesson-01")).toBe(text);
  });
});
