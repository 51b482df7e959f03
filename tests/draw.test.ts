/** The provided picture helper (solutions/draw.ts) and the figure pipeline around it. */
import { describe, expect, test } from "vitest";
import { renderSvg } from "../scripts/maintain/graphviz";
import { toDot } from "../solutions/draw";
import { Value } from "../solutions/engine";

function expression(): Value {
  const a = new Value(2, [], "", "a");
  const b = new Value(-3, [], "", "b");
  const e = a.mul(b);
  e.label = "e";
  return e.add(10);
}

describe("toDot", () => {
  test("draws one record per value with its label, data and grad, and one node per operation", () => {
    const dot = toDot(expression());
    expect(dot).toContain('v0 [shape=record, label="{ a | data 2.0000 | grad 0.0000 }"];');
    expect(dot).toContain('v2_op [shape=circle, width=0.3, margin=0, label="*"];');
    expect(dot.match(/shape=record/g)).toHaveLength(5);
    expect(dot.match(/shape=circle/g)).toHaveLength(2);
    expect(dot).toContain("rankdir=LR;");
  });

  test("connects inputs to the operation and the operation to its result", () => {
    const dot = toDot(expression());
    expect(dot).toContain("v0 -> v2_op;");
    expect(dot).toContain("v1 -> v2_op;");
    expect(dot).toContain("v2_op -> v2;");
  });

  test("shows the gradients after backward, with 4 decimals like micrograd's %.4f", () => {
    const root = expression();
    root.backward();
    expect(toDot(root)).toContain('label="{ a | data 2.0000 | grad -3.0000 }"');
    expect(toDot(new Value(1 / 3))).toContain("data 0.3333");
  });

  test("names nodes by position, so two separately built equal graphs give the same text", () => {
    expect(toDot(expression())).toBe(toDot(expression()));
  });

  test("draws a node used twice once, with two edges out of it", () => {
    const a = new Value(3, [], "", "a");
    const dot = toDot(a.add(a));
    expect(dot.match(/shape=record/g)).toHaveLength(2);
    expect(dot.match(/v0 -> v1_op;/g)).toHaveLength(2);
  });

  test("never prints -0 and escapes the characters that records treat specially", () => {
    const dot = toDot(new Value(-0, [], "", "{x|y}"));
    expect(dot).toContain('label="{ \\{x\\|y\\} | data 0.0000 | grad 0.0000 }"');
  });

  test("keeps the sign of a small negative number that rounds to a non-zero value", () => {
    expect(toDot(new Value(-0.00004))).toContain("data 0.0000");
    expect(toDot(new Value(-0.5))).toContain("data -0.5000");
  });

  test("links a value built by hand without an op straight from its children", () => {
    const a = new Value(1, [], "", "a");
    const dot = toDot(new Value(2, [a], "", "b"));
    expect(dot).not.toContain("_op");
    expect(dot).toContain("v0 -> v1;");
  });

  test("walks a deep chain without overflowing the stack", () => {
    let x = new Value(0);
    for (let i = 0; i < 12_000; i++) x = x.add(1);
    expect(toDot(x).length).toBeGreaterThan(0);
  });

  test("renders to the same SVG bytes every time", async () => {
    const dot = toDot(expression());
    const svg = await renderSvg(dot);
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain("data &#45;6.0000");
    expect(await renderSvg(dot)).toBe(svg);
  }, 30_000); // loading Graphviz's WebAssembly takes a moment on a busy machine
});
