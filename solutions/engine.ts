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
    this.data = data;
    this.children = children;
    this.op = op;
    this.label = label;
    // END lesson-01
  }

  /** this + other */
  add(other: Operand): Value {
    const that = toValue(other, "add");
    // BEGIN lesson-01
    const out = new Value(this.data + that.data, [this, that], "+");
    const localBackward = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** this - other */
  sub(other: Operand): Value {
    const that = toValue(other, "sub");
    // BEGIN lesson-01
    const out = new Value(this.data - that.data, [this, that], "-");
    const localBackward = () => {
      this.grad += out.grad;
      that.grad -= out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** this * other */
  mul(other: Operand): Value {
    const that = toValue(other, "mul");
    // BEGIN lesson-01
    const out = new Value(this.data * that.data, [this, that], "*");
    const localBackward = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** this / other */
  div(other: Operand): Value {
    const that = toValue(other, "div");
    // BEGIN lesson-01
    const out = new Value(this.data / that.data, [this, that], "/");
    const localBackward = () => {
      this.grad += (1 / that.data) * out.grad;
      that.grad += (-this.data / (that.data * that.data)) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** -this */
  neg(): Value {
    // BEGIN lesson-01
    const out = new Value(-this.data, [this], "neg");
    const localBackward = () => {
      this.grad -= out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** this ** exponent, for a constant exponent (as in micrograd: no Value exponents). */
  pow(exponent: number): Value {
    checkNumber(exponent, "pow");
    // BEGIN lesson-01
    const out = new Value(this.data ** exponent, [this], `**${exponent}`);
    const localBackward = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-01
  }

  /** tanh(this), squashing any number into (-1, 1). */
  tanh(): Value {
    // BEGIN lesson-02
    // Math.tanh, not (e^2x - 1) / (e^2x + 1): that form overflows to Infinity / Infinity = NaN at x = 1000.
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], "tanh");
    const localBackward = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-02
  }

  /** e ** this */
  exp(): Value {
    // BEGIN lesson-02
    const e = Math.exp(this.data);
    const out = new Value(e, [this], "exp");
    const localBackward = () => {
      this.grad += e * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-02
  }

  /** max(0, this) */
  relu(): Value {
    // BEGIN lesson-02
    const out = new Value(Math.max(0, this.data), [this], "relu");
    const localBackward = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
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
    const order: Value[] = [];
    const visited = new Set<Value>([this]);
    // The path from the root to the node being explored: `stack[i]`, and in `nextChild[i]` how many of its
    // children we have already walked into. (Two parallel arrays rather than one array of {node, next} objects:
    // the same stack, without allocating an object for every node.)
    const stack: Value[] = [this];
    const nextChild: number[] = [0];
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top];
      if (nextChild[top] < node.children.length) {
        const child = node.children[nextChild[top]];
        nextChild[top] += 1;
        if (!visited.has(child)) {
          visited.add(child);
          stack.push(child);
          nextChild.push(0);
        }
      } else {
        // All children are placed, so this node may follow them.
        order.push(node);
        stack.pop();
        nextChild.pop();
      }
    }
    return order;
    // END lesson-03
  }

  /**
   * Fills in `grad` of every node below this one with d(this)/d(node) (micrograd's `backward`).
   * (`this: Value`: see topoSort.)
   */
  backward(this: Value): void {
    // BEGIN lesson-04
    const order = this.topoSort();
    this.grad = 1;
    // Reverse order: a node passes its grad on only after every node that uses it has added to it.
    for (let i = order.length - 1; i >= 0; i--) {
      order[i].localBackward();
    }
    // END lesson-04
  }

  /** Sets the grad of every node below this one back to 0 (micrograd's `zero_grad`). (`this: Value`: see topoSort.) */
  zeroGrad(this: Value): void {
    // BEGIN lesson-04
    for (const node of this.topoSort()) {
      node.grad = 0;
    }
    // END lesson-04
  }

  /** sigmoid(this) = 1 / (1 + e^-this), squashing any number into (0, 1): a probability. */
  sigmoid(): Value {
    // BEGIN lesson-11
    // No NaN at either end: at x = -1000, e^1000 is Infinity and 1 / Infinity is 0.
    const s = 1 / (1 + Math.exp(-this.data));
    const out = new Value(s, [this], "sigmoid");
    const localBackward = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-11
  }

  /** ln(this), the natural logarithm, of a positive number. */
  log(): Value {
    // BEGIN lesson-11
    // Math.log would return -Infinity for 0 and NaN below: fail here, where the cause is, instead.
    if (this.data <= 0) {
      throw new RangeError(`log: expected a positive number, got ${this.data}.`);
    }
    const out = new Value(Math.log(this.data), [this], "log");
    const localBackward = () => {
      this.grad += (1 / this.data) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-11
  }

  /** ln(1 + e^this), a smooth relu, computed so that it cannot overflow. */
  softplus(): Value {
    // BEGIN lesson-11
    const x = this.data;
    // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): the exponent is never positive, so e^... stays at most 1.
    const out = new Value(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), [this], "softplus");
    const localBackward = () => {
      // d/dx ln(1 + e^x) = e^x / (1 + e^x) = sigmoid(x)
      this.grad += (1 / (1 + Math.exp(-x))) * out.grad;
    };
    out.localBackward = localBackward;
    return out;
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
