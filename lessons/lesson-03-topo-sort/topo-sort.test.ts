/**
 * Lesson 03: ordering the graph so that every node comes after the nodes it was computed from.
 * Make these pass by writing the `lesson-03` region of src/engine.ts (Value.topoSort).
 */
import { Value } from "@course/engine";
import { describe, expect, test } from "vitest";
import { withoutRecursion } from "../test-helpers";

/** Every node reachable from root, found without topoSort, so the tests can compare. */
function reachable(root: Value): Set<Value> {
  const seen = new Set<Value>([root]);
  const todo = [root];
  while (todo.length > 0) {
    for (const child of todo.pop()?.children ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        todo.push(child);
      }
    }
  }
  return seen;
}

/** Fails with the first node that comes before one of its children. */
function expectChildrenFirst(order: Value[]): void {
  const position = new Map(order.map((node, i) => [node, i]));
  order.forEach((node, i) => {
    for (const child of node.children) {
      const at = position.get(child);
      expect(at, `child ${child} of node ${i} (${node.op}) is missing from the order`).toBeDefined();
      expect(
        at,
        `node ${i} (${node.op}) comes before its child ${child}: every node must come after its children`,
      ).toBeLessThan(i);
    }
  });
}

describe("topoSort", () => {
  test("a lone input sorts to just itself", () => {
    const a = new Value(1);
    expect(a.topoSort()).toEqual([a]);
  });

  test("a chain a → b → c sorts as [a, b, c]: children first, the root last", () => {
    const a = new Value(2, [], "", "a");
    const b = a.tanh();
    const c = b.exp();
    expect(c.topoSort(), "expected [a, tanh(a), exp(tanh(a))]").toEqual([a, b, c]);
  });

  test("every node comes after all of its children", () => {
    const x = new Value(1, [], "", "x");
    const y = new Value(2, [], "", "y");
    const z = x.mul(y).add(x.tanh()).sub(y.pow(2)).div(x.add(3));
    expectChildrenFirst(z.topoSort());
  });

  test("the root comes last", () => {
    const x = new Value(1);
    const y = x.mul(2).add(x);
    const order = y.topoSort();
    expect(order[order.length - 1], "the node you call topoSort on depends on everything, so it comes last").toBe(y);
  });

  test("every node below the root appears exactly once", () => {
    const x = new Value(1);
    const y = new Value(2);
    const z = x.mul(y).add(x.tanh()).sub(y.pow(2));
    const order = z.topoSort();
    const all = reachable(z);
    expect(new Set(order).size, "a node appears twice: remember which nodes you have visited").toBe(order.length);
    expect(order.length, "some nodes are missing: visit every child of every node").toBe(all.size);
  });

  test("a node used twice (a + a) appears once", () => {
    const a = new Value(3);
    const twice = a.add(a);
    expect(
      twice.topoSort(),
      "a is both children of twice = a + a but must be listed once: expected [a, twice]",
    ).toEqual([a, twice]);
  });

  test("a shared sub-graph (a diamond) is listed once and before both users", () => {
    const a = new Value(0.5, [], "", "a");
    const shared = a.mul(a).tanh();
    const left = shared.exp();
    const right = shared.mul(3);
    const top = left.add(right);
    const order = top.topoSort();
    expectChildrenFirst(order);
    expect(order.filter((n) => n === shared).length, "the shared node must appear exactly once").toBe(1);
    expect(order.length).toBe(reachable(top).size);
  });

  test("does not change data or grads", () => {
    const a = new Value(2);
    const b = a.mul(3);
    b.grad = 7;
    b.topoSort();
    expect([a.data, a.grad, b.data, b.grad]).toEqual([2, 0, 6, 7]);
  });

  test("a chain of 100 000 negations sorts without overflowing the stack", () => {
    let x = new Value(1);
    const first = x;
    for (let i = 0; i < 100_000; i++) x = x.neg();
    const order = withoutRecursion("x.topoSort() on a chain of 100 000 negations", () => x.topoSort());
    expect(order.length, "100 000 negations plus the first input").toBe(100_001);
    expect(order.includes(first), "the deepest input must be in the order too").toBe(true);
    expect(order[order.length - 1]).toBe(x);
  });
});
