/** Mutation-testing helpers (scripts/maintain/mutants.ts) and the survivors document they check. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { listLessons } from "../scripts/lib/lessons";
import { parseRegions, regionsOf } from "../scripts/lib/regions";
import { ROOT } from "../scripts/lib/target";
import {
  checkSurvivors,
  inFiles,
  type MutationReport,
  onlyFiles,
  parseSurvivorsDoc,
  type ReportMutant,
  regionRanges,
  renderSurvivorsDoc,
  reportOf,
  SURVIVORS_DOC,
  type Survivor,
  score,
  scores,
  survivorsOf,
  thresholdProblems,
} from "../scripts/maintain/mutants";

const lessonIds = new Set(listLessons().map((l) => l.id));

function mutant(status: ReportMutant["status"], line = 2, replacement = "a - b"): ReportMutant {
  return {
    id: `${line}${status}`,
    mutatorName: "ArithmeticOperator",
    replacement,
    location: { start: { line, column: 10 }, end: { line, column: 15 } },
    status,
  };
}

const source = ["function f(a, b) {", "  return a + b;", "}"].join("\n");

describe("regionRanges", () => {
  test("gives one line range per exercise region, covering exactly the lines between its markers", () => {
    const ranges = regionRanges();
    const engine = readFileSync(path.join(ROOT, "solutions/engine.ts"), "utf8").split("\n");
    for (const range of ranges.filter((r) => r.startsWith("solutions/engine.ts:"))) {
      const [from, to] = range.split(":")[1].split("-").map(Number);
      expect(engine[from - 2], `the line before ${range} is a BEGIN marker`).toMatch(/\/\/ BEGIN lesson-\d\d/);
      expect(engine[to], `the line after ${range} is an END marker`).toMatch(/\/\/ END lesson-\d\d/);
    }
    const regions = regionsOf(parseRegions(engine.join("\n"), "solutions/engine.ts", lessonIds));
    expect(ranges.filter((r) => r.startsWith("solutions/engine.ts:")).length).toBe(regions.length);
  });

  test("leaves out files without regions", () => {
    expect(regionRanges().some((r) => r.startsWith("solutions/random.ts"))).toBe(false);
  });
});

describe("--only", () => {
  test("names the files a run mutates and checks; without it, every file", () => {
    const files = onlyFiles(["--only", "solutions/optim.ts,solutions/loss.ts"]);
    expect(files).toEqual(["solutions/optim.ts", "solutions/loss.ts"]);
    expect(inFiles("solutions/optim.ts:40-45", files)).toBe(true);
    expect(inFiles("solutions/loss.ts:12", files)).toBe(true);
    expect(inFiles("solutions/optim2.ts:12", files), "a file, not a prefix").toBe(false);
    expect(inFiles("solutions/engine.ts:174", files)).toBe(false);
    expect(onlyFiles(["--report-only"])).toBeUndefined();
    expect(inFiles("solutions/engine.ts:174", undefined)).toBe(true);
    expect(() => onlyFiles(["--only"])).toThrow("--only needs the files");
  });

  test("checks only those files of a report that also holds the others' recorded results", () => {
    const report: MutationReport = {
      files: {
        "solutions/optim.ts": { source: "", mutants: [mutant("Killed")] },
        "solutions/engine.ts": { source: "", mutants: [mutant("Survived")] },
      },
    };
    expect(Object.keys(reportOf(report, ["solutions/optim.ts"]).files)).toEqual(["solutions/optim.ts"]);
    expect(reportOf(report, undefined)).toBe(report);
  });
});

describe("scores", () => {
  test("count timeouts as detected and ignore mutants that did not compile", () => {
    const s = score("x", [mutant("Killed"), mutant("Timeout"), mutant("Survived"), mutant("CompileError")]);
    expect(s.percent).toBeCloseTo((2 / 3) * 100, 10);
  });

  test("count mutants that no test reaches as undetected", () => {
    expect(score("x", [mutant("Killed"), mutant("NoCoverage")]).percent).toBe(50);
  });

  test("fail a file below 85 % even when the whole run is above 90 %", () => {
    const killed = Array.from({ length: 40 }, () => mutant("Killed"));
    const report: MutationReport = {
      files: {
        "solutions/a.ts": { source, mutants: killed },
        "solutions/b.ts": { source, mutants: [...killed.slice(0, 4), mutant("Survived")] },
      },
    };
    const all = scores(report);
    expect(all.map((s) => s.name)).toEqual(["solutions/a.ts", "solutions/b.ts", "all files"]);
    expect(thresholdProblems(all)).toEqual([
      "solutions/b.ts scores 80.00 %, below 85 %: kill its survivors with sharper lesson tests.",
    ]);
  });
});

describe("the survivors table", () => {
  const report: MutationReport = {
    files: { "solutions/a.ts": { source, mutants: [mutant("Killed"), mutant("Survived", 2, "a || b")] } },
  };

  test("lists each survivor with its place, mutator, original code and replacement", () => {
    expect(survivorsOf(report)).toEqual([
      {
        where: "solutions/a.ts:2",
        mutator: "ArithmeticOperator",
        original: "a + b",
        replacement: "a || b",
        reason: "",
      },
    ]);
  });

  test("reads back what it writes, pipes and backticks in code included", () => {
    const doc = "# T\n<!-- survivors:start -->\n<!-- survivors:end -->\n";
    const [row] = survivorsOf(report).map((s) => ({ ...s, reason: "because" }));
    const rows = [row, { ...row, original: "`w0`", replacement: "``" }];
    expect(parseSurvivorsDoc(renderSurvivorsDoc(doc, rows))).toEqual(rows);
  });

  test("finds survivors the document does not explain and entries that no longer survive", () => {
    const [now] = survivorsOf(report);
    const old: Survivor = { ...now, where: "solutions/a.ts:9", replacement: "a * b", reason: "gone" };
    const result = checkSurvivors([now], [old]);
    expect(result.unexplained).toEqual([now]);
    expect(result.stale).toEqual([old]);
  });

  test("an explained survivor that timed out this run is a note, not a stale entry", () => {
    const [now] = survivorsOf(report);
    const entry = { ...now, reason: "equivalent" };
    const result = checkSurvivors([], [entry], [now]);
    expect(result.stale).toEqual([]);
    expect(result.timedOut).toEqual([entry]);
    expect(result.updated, "--update-survivors keeps its row").toEqual([entry]);
  });

  test("follows an explained survivor to its new line and keeps its reason", () => {
    const [now] = survivorsOf(report);
    const result = checkSurvivors([now], [{ ...now, where: "solutions/a.ts:7", reason: "equivalent" }]);
    expect(result.unexplained).toEqual([]);
    expect(result.moved.length).toBe(1);
    expect(result.updated).toEqual([{ ...now, reason: "equivalent" }]);
  });
});

describe(SURVIVORS_DOC, () => {
  const entries = parseSurvivorsDoc(readFileSync(path.join(ROOT, SURVIVORS_DOC), "utf8"));

  test("gives every survivor a reason", () => {
    for (const entry of entries) {
      expect(entry.reason, `${entry.where} ${entry.mutator} needs a reason`).not.toMatch(/^(TODO)?$/);
    }
  });

  test("points every survivor at its code inside an exercise region", () => {
    for (const entry of entries) {
      const [file, line] = entry.where.split(":");
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const region = regionsOf(parseRegions(text, file, lessonIds)).find(
        (r) => Number(line) > r.line && Number(line) <= r.line + r.body.length,
      );
      expect(region, `${entry.where} is not inside a region: run npm run mutation`).toBeDefined();
      const code = text
        .split("\n")
        .slice(Number(line) - 1)
        .join(" ")
        .replace(/\s+/g, " ");
      expect(code, `${entry.where} no longer holds ${entry.original}: run npm run mutation`).toContain(
        entry.original.replace(/…$/, ""),
      );
    }
  });
});
