/** The pieces of `npm run experiments` that can be checked in milliseconds (the full run takes a minute). */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { compileTarget } from "../scripts/lib/compile-target";
import { renderSvg } from "../scripts/study/plots";
import { formatLr, resultsJson } from "../scripts/study/report";
import { verdictFor } from "../solutions/study";

describe("verdictFor", () => {
  test("reproduced from 80 % of the seeds, mixed from 40 %, not reproduced below", () => {
    expect([5, 4, 3, 2, 1, 0].map((k) => verdictFor(k, 5))).toEqual([
      "reproduced",
      "reproduced",
      "mixed",
      "mixed",
      "not reproduced",
      "not reproduced",
    ]);
  });
});

describe("study report", () => {
  test("writes learning rates as the notebook does", () => {
    expect([0.01, 0.1, 0.000001].map(formatLr)).toEqual(["0.01", "0.1", "0.000001"]);
  });

  test("a figure's coordinates are rounded to two decimals, its text is kept as written", async () => {
    const svg = await renderSvg({
      title: { text: "Model 4: lr 0.000001" },
      data: { values: [{ x: 1 / 3, y: 2 / 3 }] },
      mark: "point",
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
    });
    expect(svg).toContain(">Model 4: lr 0.000001</text>");
    expect(svg, "no coordinate keeps more than two decimals").not.toMatch(/<[^>]*\d\.\d{3}/);
  });

  test("results.json rounds to 6 significant digits and keeps lists of numbers on one line", () => {
    const text = resultsJson({ a: [1 / 3, 2], b: { epoch: 1, trainLoss: 0.1234567 } } as never);
    expect(text).toBe('{\n  "a": [0.333333, 2],\n  "b": { "epoch": 1, "trainLoss": 0.123457 }\n}\n');
    expect(JSON.parse(text).a).toEqual([0.333333, 2]);
  });
});

describe("compileTarget", () => {
  test("turns the course code into plain modules a worker thread can import", { timeout: 20_000 }, async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "course-compiled-"));
    try {
      compileTarget(path.resolve(__dirname, "../solutions"), out);
      const study = await import(pathToFileURL(path.join(out, "study.mjs")).href);
      expect(study.MODELS.map((m: { name: string }) => m.name)).toEqual([
        "Model 1",
        "Model 2",
        "Model 3",
        "Model 4",
        "Model 5",
      ]);
      expect(study.verdictFor(3, 5)).toBe("mixed");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
