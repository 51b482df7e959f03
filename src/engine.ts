/**
 * The autograd engine: a scalar `Value` that remembers how it was computed, so that
 * `backward()` can send gradients from the result back to every input (reverse-mode autodiff).
 *
 * This is micrograd's `engine.py` in TypeScript. Each operation does two things:
 *   1. the forward pass: compute the output number and record the output's children and op;
 *   2. store the output's `localBackward` step: how to pass the output's gradient to its children
 *      (micrograd calls it `_backward`). It is the chain rule for one node:
 *      child.grad += (d out / d child) * out.grad.
 *
 * Lessons: 01 constructor, add, sub, mul, div, neg, pow; 02 tanh, exp, relu; 03 topoSort;
 * 04 backward, zeroGrad; 11 sigmoid, log, softplus. The code between `// BEGIN lesson-NN` and
 * `// END lesson-NN` is what you write.
 */

/** What an operation accepts as its other operand: another `Value`, or a plain number. */
export type Operand = Value | number;

export class Value {
  /** The number this node holds. */
  data: number;
  /** d(root)/d(this node), filled in by `backward()`. Starts at 0. */
  grad = 0;
  /** The nodes this one was computed from (micrograd's `_prev`). Empty for an input. */
  children: Value[];
  /** The operation that produced this node ("+", "*", "tanh", ...), or "" for an input. */
  op: string;
  /** A name for pictures and error messages, like "a" or "w1". */
  label: string;
  /** Passes this node's grad to its children. An input has nothing to pass on. */
  localBackward: () => void = nothingToPassOn;

  constructor(data: number, children: Value[] = [], op = "", label = "") {
    checkNumber(data, "new Value()");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** this + other */
  add(other: Operand): Value {
    const that = toValue(other, "add");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** this - other */
  sub(other: Operand): Value {
    const that = toValue(other, "sub");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** this * other */
  mul(other: Operand): Value {
    const that = toValue(other, "mul");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** this / other */
  div(other: Operand): Value {
    const that = toValue(other, "div");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** -this */
  neg(): Value {
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** this ** exponent, for a constant exponent (as in micrograd: no Value exponents). */
  pow(exponent: number): Value {
    checkNumber(exponent, "pow");
    // BEGIN lesson-01
    throw new Error("lesson-01 is not done yet: write this part of src/engine.ts. Read lessons/lesson-01-value-ops/README.md.");
    // END lesson-01
  }

  /** tanh(this), squashing any number into (-1, 1). */
  tanh(): Value {
    // BEGIN lesson-02
    throw new Error("lesson-02 is not done yet: write this part of src/engine.ts. Read lessons/lesson-02-tanh/README.md.");
    // END lesson-02
  }

  /** e ** this */
  exp(): Value {
    // BEGIN lesson-02
    throw new Error("lesson-02 is not done yet: write this part of src/engine.ts. Read lessons/lesson-02-tanh/README.md.");
    // END lesson-02
  }

  /** max(0, this) */
  relu(): Value {
    // BEGIN lesson-02
    throw new Error("lesson-02 is not done yet: write this part of src/engine.ts. Read lessons/lesson-02-tanh/README.md.");
    // END lesson-02
  }

  /**
   * Every node of the graph below this one, each once, every node after all of its children,
   * this node last. Iterative (an explicit stack, not recursion), so a 100 000-node chain cannot
   * overflow the call stack.
   *
   * (`this: Value` is not an argument: it tells TypeScript that `this` is a plain `Value` here, so that
   * `[this]` is a `Value[]` and `new Set([this])` a `Set<Value>` that accept every other node too.)
   */
  topoSort(this: Value): Value[] {
    // BEGIN lesson-03
    throw new Error("lesson-03 is not done yet: write this part of src/engine.ts. Read lessons/lesson-03-topo-sort/README.md.");
    // END lesson-03
  }

  /**
   * Fills in `grad` of every node below this one with d(this)/d(node) (micrograd's `backward`).
   * (`this: Value`: see topoSort.)
   */
  backward(this: Value): void {
    // BEGIN lesson-04
    throw new Error("lesson-04 is not done yet: write this part of src/engine.ts. Read lessons/lesson-04-backward/README.md.");
    // END lesson-04
  }

  /** Sets the grad of every node below this one back to 0 (micrograd's `zero_grad`). (`this: Value`: see topoSort.) */
  zeroGrad(this: Value): void {
    // BEGIN lesson-04
    throw new Error("lesson-04 is not done yet: write this part of src/engine.ts. Read lessons/lesson-04-backward/README.md.");
    // END lesson-04
  }

  /** sigmoid(this) = 1 / (1 + e^-this), squashing any number into (0, 1): a probability. */
  sigmoid(): Value {
    // BEGIN lesson-11
    throw new Error("lesson-11 is not done yet: write this part of src/engine.ts. Read lessons/lesson-11-cross-entropy/README.md.");
    // END lesson-11
  }

  /** ln(this), the natural logarithm, of a positive number. */
  log(): Value {
    // BEGIN lesson-11
    throw new Error("lesson-11 is not done yet: write this part of src/engine.ts. Read lessons/lesson-11-cross-entropy/README.md.");
    // END lesson-11
  }

  /** ln(1 + e^this), a smooth relu, computed so that it cannot overflow. */
  softplus(): Value {
    // BEGIN lesson-11
    throw new Error("lesson-11 is not done yet: write this part of src/engine.ts. Read lessons/lesson-11-cross-entropy/README.md.");
    // END lesson-11
  }

  toString(): string {
    const name = this.label ? `${this.label}=` : "";
    return `Value(${name}${this.data}, grad=${this.grad})`;
  }
}

/** The local backward step of an input. One shared function, not a new empty closure for every node. */
function nothingToPassOn(): void {}

// Provided helpers: they make a bad argument fail loudly at the call, not as NaN three lessons later.

/** Wraps a plain number so it can take part in the graph; rejects anything else. */
export function toValue(x: Operand, op: string): Value {
  if (x instanceof Value) return x;
  checkNumber(x, op);
  if (!Number.isFinite(x)) {
    throw new RangeError(`${op}: expected a finite number, got ${x}.`);
  }
  return new Value(x);
}

function checkNumber(x: unknown, where: string): asserts x is number {
  if (typeof x !== "number") {
    throw new TypeError(`${where}: expected a Value or a number, got ${describe(x)}.`);
  }
  if (Number.isNaN(x)) {
    throw new RangeError(`${where}: got NaN, which usually means an earlier step went wrong.`);
  }
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  return typeof x;
}
