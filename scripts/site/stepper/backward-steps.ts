/**
 * `backward()` taken apart, one node at a time, with the learner's own pieces: the order is their `topoSort()`
 * (lesson 03) reversed, and each step is one node's `localBackward()` (lessons 01 and 02), exactly the loop of
 * lesson 04. What each step added to which grad is measured, not assumed.
 */
import type { Value } from "@course/engine";

export interface GradChange {
  node: Value;
  before: number;
  after: number;
}

export interface BackwardStep {
  /** "seed": the root's grad set to 1 (dL/dL); "local": `node.localBackward()` ran. */
  kind: "seed" | "local";
  node: Value;
  /** The grads the step touched: the root's for the seed, the node's children (each once) for a local step. */
  changes: GradChange[];
}

export class BackwardStepper {
  /** Reverse topological order: the root first, every node before its children. */
  readonly order: Value[];
  private done = -1;

  constructor(readonly root: Value) {
    this.order = root.topoSort().reverse();
  }

  /** How many steps there are: the seed, then one per node. */
  get total(): number {
    return this.order.length + 1;
  }

  /** How many steps have run. */
  get taken(): number {
    return this.done + 1;
  }

  get finished(): boolean {
    return this.taken === this.total;
  }

  /** Runs the next step and says what it changed. */
  step(): BackwardStep {
    if (this.finished) throw new Error("backward is finished: every node has passed its grad on.");
    this.done += 1;
    if (this.done === 0) {
      const before = this.root.grad;
      this.root.grad = 1;
      return { kind: "seed", node: this.root, changes: [{ node: this.root, before, after: 1 }] };
    }
    const node = this.order[this.done - 1];
    const children = [...new Set(node.children)];
    const before = children.map((child) => child.grad);
    node.localBackward();
    return {
      kind: "local",
      node,
      changes: children.map((child, i) => ({ node: child, before: before[i], after: child.grad })),
    };
  }
}

/** What one node's local backward step does, in words, by the operation that made it. */
export function localRule(op: string): string {
  if (op === "") return "an input: nothing to pass on";
  if (op.startsWith("**")) return `d(x${op})/dx = ${op.slice(2)}·x^(${op.slice(2)} − 1), times its grad`;
  return LOCAL_RULES[op] ?? `its local derivative times its grad (op "${op}")`;
}

const LOCAL_RULES: Record<string, string> = {
  "+": "passes its grad on unchanged to both children",
  "-": "passes its grad to the first child, and minus it to the second",
  "*": "each child gets the other child's data times its grad",
  "/": "x / y: x gets (1 / y) · grad, y gets (−x / y²) · grad",
  neg: "passes minus its grad on",
  tanh: "(1 − out²) times its grad",
  exp: "out (= e^x) times its grad",
  relu: "its grad where x > 0, else 0",
  sigmoid: "s · (1 − s) times its grad",
  log: "(1 / x) times its grad",
  softplus: "sigmoid(x) times its grad",
};
