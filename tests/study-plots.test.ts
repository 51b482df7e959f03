// The study's figures are compared byte for byte by `--check`: a figure must not depend on what was drawn before it.
import { describe, expect, test } from "vitest";
import { curvesSpec } from "../scripts/study/digits-plots";
import { numberClipsFromOne, renderSvg } from "../scripts/study/plots";

const runs = [1, 2].map((seed) => ({
  seed,
  history: [1, 2, 3].map((epoch) => ({
    epoch,
    trainLoss: 1 / (epoch + seed),
    testLoss: 1.1 / (epoch + seed),
    trainAccuracy: 0.9 + epoch / 100,
    testAccuracy: 0.88 + epoch / 100,
  })),
}));

describe("renderSvg", () => {
  test("draws a figure with clip paths the same whether or not other figures were drawn before it", async () => {
    const first = await renderSvg(curvesSpec(runs));
    await renderSvg(curvesSpec(runs));
    const again = await renderSvg(curvesSpec(runs));
    expect(first).toContain('clip-path="url(#clip1)"');
    expect(again).toBe(first);
  });

  test("numbers clip paths from 1 in order of appearance, each name everywhere it is used", () => {
    const svg =
      '<clipPath id="clip71"/><g clip-path="url(#clip71)"/><clipPath id="clip9"/><g clip-path="url(#clip9)"/>';
    expect(numberClipsFromOne(svg)).toBe(
      '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/><g clip-path="url(#clip2)"/>',
    );
  });
});
