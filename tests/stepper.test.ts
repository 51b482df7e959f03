/**
 * The backprop stepper's logic, without a browser (scripts/site/stepper/): programs built into graphs of the
 * reference engine's Values, backward taken one node at a time, and the layered layout of the drawing.
 */
import { describe, expect, test } from "vitest";
import { type BackwardStep, BackwardStepper, localRule } from "../scripts/site/stepper/backward-steps";
import { EXAMPLES } from "../scripts/site/stepper/examples";
import { asOperand, ExpressionError, parseProgram } from "../scripts/site/stepper/expression";
import { buildGraph } from "../scripts/site/stepper/graph";
import { type LayoutNode, layoutGraph, orderedLayers } from "../scripts/site/stepper/layout";
import { nonFiniteWarning } from "../scripts/site/stepper/warnings";
import { Value } from "../solutions/engine";

const build = (source: string) => buildGraph(parseProgram(source), Value);
const lesson04 = EXAMPLES[0].program;

/** Every named node's grad, by name. */
function grads(source: string, step: (root: Value) => void): Record<string, number> {
  const { root, names } = build(source);
  step(root);
  return Object.fromEntries([...names].map(([node, name]) => [name, node.grad]));
}

function buildError(source: string): string {
  try {
    build(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe("buildGraph", () => {
  test("builds lesson 04's example with the engine: its data, labels and (after backward) its grads", () => {
    const { root, names } = build(lesson04);
    expect(root.label).toBe("L");
    expect(root.data).toBe(-8);
    expect([...names.values()]).toEqual(["a", "b", "c", "f", "e", "d", "L"]);
    expect(grads(lesson04, (r) => r.backward())).toEqual({ a: 6, b: -4, c: -2, f: 4, e: -2, d: -2, L: 1 });
  });

  test("names an unnamed node by its source text and a constant by its number", () => {
    const { root, names } = build("a = 0.5\n(a*2 + 1).tanh()");
    expect([...names.values()]).toEqual(["a", "2", "a*2", "1", "a*2 + 1", "(a*2 + 1).tanh()"]);
    expect(root.data).toBeCloseTo(Math.tanh(2), 15);
  });

  test("reads -3 as the number -3, and -a as a.neg()", () => {
    const { root } = build("a = -3\nb = -a");
    expect(root.op).toBe("neg");
    expect(root.children[0].data).toBe(-3);
    expect(root.children[0].op).toBe("");
  });

  test("uses a name once per node: a + a has one child, twice", () => {
    const { root } = build("a = 3\nb = a + a");
    expect(root.children).toHaveLength(2);
    expect(root.children[0]).toBe(root.children[1]);
  });

  test("every example builds, and its grads agree with the engine's backward()", () => {
    for (const { program } of EXAMPLES) {
      const stepped = grads(program, (root) => {
        const stepper = new BackwardStepper(root);
        while (!stepper.finished) stepper.step();
      });
      expect(stepped, program).toEqual(grads(program, (root) => root.backward()));
    }
  });

  test("says which line is wrong: an unknown name, a second definition, a name for an existing node", () => {
    expect(buildError("a = 1\nb = a * c")).toBe(
      "Line 2, column 9: c has no value: give it one on an earlier line, like c = 1.",
    );
    expect(buildError("a = 1\na = 2")).toBe("Line 2, column 1: a is already defined on line 1: pick another name.");
    expect(buildError("a = 1\nb = a")).toBe(
      "Line 2, column 5: b would be a second name for a: a graph node has one name. Write an operation.",
    );
    expect(buildError("a = 1\na * 2\nb = a")).toBe(
      "Line 2, column 1: nothing uses this value: name it (x = ...) to use it below, or make it the last line.",
    );
  });

  test("asks for a constant exponent, as the engine's pow does", () => {
    expect(buildError("a = 2\nb = 3\na**b")).toBe(
      "Line 3, column 4: the exponent of ** must be a number, like x**2: the engine's pow takes a constant exponent.",
    );
  });

  test("passes the engine's own refusals on, with the line they came from", () => {
    expect(buildError("a = -1\nb = 2\nc = (a * b).log()")).toBe(
      "Line 3, column 5: log: expected a positive number, got -2.",
    );
  });
});

describe("BackwardStepper", () => {
  /** Each step as "node: child.grad before -> after, ...". */
  const describe = (step: BackwardStep) =>
    `${step.node.label}: ${step.changes.map((c) => `${c.node.label} ${c.before}->${c.after}`).join(", ")}`;

  test("walks lesson 04's example in its order, L f d c e b a, and every step adds what the lesson's table says", () => {
    const stepper = new BackwardStepper(build(lesson04).root);
    expect(stepper.order.map((node) => node.label)).toEqual(["L", "f", "d", "c", "e", "b", "a"]);
    expect(stepper.total).toBe(8);
    const steps: string[] = [];
    while (!stepper.finished) steps.push(describe(stepper.step()));
    expect(steps).toEqual([
      "L: L 0->1",
      "L: d 0->-2, f 0->4",
      "f: ",
      "d: e 0->-2, c 0->-2",
      "c: ",
      "e: a 0->6, b 0->-4",
      "b: ",
      "a: ",
    ]);
    expect(() => stepper.step()).toThrow("backward is finished");
  });

  test("shows a node used twice once among the children, with both contributions added", () => {
    const stepper = new BackwardStepper(build("a = 3\nb = a + a").root);
    stepper.step();
    expect(describe(stepper.step())).toBe("b: a 0->2");
  });

  test("states each operation's local rule", () => {
    expect(localRule("")).toBe("an input: nothing to pass on");
    expect(localRule("*")).toBe("each child gets the other child's data times its grad");
    expect(localRule("**2")).toBe("d(x**2)/dx = 2·x^(2 − 1), times its grad");
    expect(localRule("tanh")).toBe("(1 − out²) times its grad");
  });
});

describe("layoutGraph", () => {
  const nodes = (source: string): LayoutNode[] => {
    const order = build(source).root.topoSort();
    return order.map((node) => ({
      children: node.children.map((child) => order.indexOf(child)),
      width: 90,
      height: 60,
      opWidth: node.op ? 30 : 0,
    }));
  };
  const neuron = EXAMPLES[1].program;
  const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  test("puts each node one layer past its farthest user: inputs next to the operation that first uses them", () => {
    expect(orderedLayers(nodes(lesson04))).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
  });

  test("draws every child before its parent: left of it across, above it down", () => {
    for (const orientation of ["across", "down"] as const) {
      const graph = nodes(neuron);
      const layout = layoutGraph(graph, orientation);
      graph.forEach((node, parent) => {
        for (const child of node.children) {
          const [c, p] = [layout.nodes[child].box, layout.nodes[parent].box];
          if (orientation === "across") expect(c.x + c.width).toBeLessThan(p.x);
          else expect(c.y + c.height).toBeLessThan(p.y);
        }
      });
    }
  });

  test("never overlaps two boxes, keeps everything inside its size, and draws one edge per use", () => {
    for (const orientation of ["across", "down"] as const) {
      const graph = nodes(neuron);
      const layout = layoutGraph(graph, orientation);
      const boxes = layout.nodes.map((n) => n.box);
      boxes.forEach((a, i) => {
        expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
        expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
        for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
      });
      expect(layout.edges).toHaveLength(graph.reduce((sum, n) => sum + n.children.length, 0));
    }
  });

  test("draws a node used twice with two separate edges", () => {
    const layout = layoutGraph(nodes("a = 3\nb = a + a"), "across");
    expect(layout.edges).toHaveLength(2);
    expect(layout.edges[0].d).not.toBe(layout.edges[1].d);
  });

  test("is narrower top to bottom than across for a deep graph, so a phone can show it", () => {
    const graph = nodes(neuron);
    expect(layoutGraph(graph, "down").width).toBeLessThan(layoutGraph(graph, "across").width);
  });
});

describe("asOperand", () => {
  test("keeps a name, a number or a method call as it is, and puts anything else in parentheses", () => {
    expect(["L", "2.5", "(a*b + c).tanh()", "a.exp().log()"].map(asOperand)).toEqual([
      "L",
      "2.5",
      "(a*b + c).tanh()",
      "a.exp().log()",
    ]);
    expect(["x1*w1 + x2*w2", "1 / a", "-3", "-a", "a**2", "not an expression!"].map(asOperand)).toEqual([
      "(x1*w1 + x2*w2)",
      "(1 / a)",
      "(-3)",
      "(-a)",
      "(a**2)",
      "(not an expression!)",
    ]);
  });
});

describe("nonFiniteWarning", () => {
  const warning = (source: string, run?: (root: Value) => void) => {
    const { root, names } = build(source);
    run?.(root);
    return nonFiniteWarning(root.topoSort(), (node) => asOperand(names.get(node) ?? ""));
  };

  test("says nothing while every number is finite", () => {
    expect(warning(lesson04, (root) => root.backward())).toBeUndefined();
  });

  test("names the first node that is infinite and the division by zero that made it", () => {
    expect(warning("a = 0\nb = 1 / a\nc = b * 2")).toBe(
      "b is Infinity, after a division by zero (a = 0 in 1 / a): every grad that flows through it becomes " +
        "infinite or NaN (not a number), as in a network whose numbers blew up.",
    );
    expect(warning("a = 0\nb = -1 / a\nc = b * 2")).toMatch(
      /^b is -Infinity, after a division by zero \(a = 0 in \(-1\) \/ a\)/,
    );
    expect(warning("a = 0\nb = (1 / a) * 2")).toMatch(/^\(1 \/ a\) is Infinity, after a division by zero/);
  });

  test("names an overflow, and a grad that became infinite in the backward pass", () => {
    expect(warning("a = 1000\nb = a.exp()")).toMatch(/^b is Infinity, because exp overflowed/);
    // √a at a = 0 is 0, a finite number, but its derivative 0.5 · 0^(−0.5) is Infinity.
    expect(warning("a = 0\nb = a**0.5", (root) => root.backward())).toMatch(/^a\.grad is Infinity: /);
  });
});
