/**
 * A vectorized autograd engine: a `Tensor` is a matrix of numbers (rows × columns) that remembers how it was
 * computed, as lesson 01's `Value` remembers it for one number. It has the same parts, one level up:
 *   - `data`, the numbers, and `grad`, d(root)/d(each number), both Float64Arrays in the same layout;
 *   - `children` and `op`, how it was computed;
 *   - `localBackward`, the chain rule for one node, now entry by entry:
 *     child.grad[i] += (d out[j] / d child[i]) * out.grad[j], added up over every j.
 * A batch of 32 examples is one 32 × 2 tensor, so a network's graph for the whole batch is a dozen nodes, not
 * the thousands of scalar nodes of lesson 12; the loops over the examples run inside each operation.
 *
 * The entries are stored row after row ("row-major"): entry (r, c) of a tensor with `cols` columns is
 * `data[r * cols + c]`. Loops walk them in that order, and no operation allocates anything per entry.
 *
 * Lesson 14. The code between `// BEGIN lesson-14` and `// END lesson-14` is what you write.
 */

/** [rows, columns]: a batch of 32 examples of 2 features is [32, 2]; a single number is [1, 1]. */
export type Shape = readonly [rows: number, cols: number];

export class Tensor {
  /** The entries, row after row: entry (r, c) is `data[r * cols + c]`. */
  readonly data: Float64Array;
  /** d(root)/d(entry) for every entry, in the same layout, filled in by `backward()`. Starts at 0. */
  readonly grad: Float64Array;
  readonly shape: Shape;
  readonly rows: number;
  readonly cols: number;
  /** rows × cols, the number of entries. */
  readonly size: number;
  /** The tensors this one was computed from. Empty for an input or a parameter. */
  children: Tensor[];
  /** The operation that produced this tensor ("matmul", "+", "tanh", ...), or "" for an input. */
  op: string;
  /** A name for error messages and pictures, like "x" or "W1". */
  label: string;
  /** Passes this tensor's grad to its children. An input has nothing to pass on. */
  localBackward: () => void = nothingToPassOn;

  /** A tensor of the given shape, every entry 0 (an operation fills in its `data`). */
  constructor(shape: Shape, children: Tensor[] = [], op = "", label = "") {
    const [rows, cols] = shape;
    checkShape(rows, cols);
    this.shape = [rows, cols];
    this.rows = rows;
    this.cols = cols;
    this.size = rows * cols;
    // One allocation for both arrays: the entries in the first half of the buffer, their grads in the second.
    // (Allocating a Float64Array costs far more than the few numbers in it; training makes a dozen per step.)
    const buffer = new ArrayBuffer(2 * this.size * Float64Array.BYTES_PER_ELEMENT);
    this.data = new Float64Array(buffer, 0, this.size);
    this.grad = new Float64Array(buffer, this.size * Float64Array.BYTES_PER_ELEMENT, this.size);
    this.children = children;
    this.op = op;
    this.label = label;
  }

  /** A tensor holding `rows`, a list of equally long lists of numbers: `Tensor.from([[1, 2], [3, 4]])`. */
  static from(rows: number[][], label = ""): Tensor {
    if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0])) {
      throw new TypeError("Tensor.from: expected a list of rows, like [[1, 2], [3, 4]].");
    }
    const out = new Tensor([rows.length, rows[0].length], [], "", label);
    rows.forEach((row, r) => {
      if (row.length !== out.cols) {
        throw new RangeError(`Tensor.from: row ${r} has ${row.length} numbers, row 0 has ${out.cols}.`);
      }
      row.forEach((x, c) => {
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new RangeError(`Tensor.from: expected finite numbers, got ${x} at row ${r}, column ${c}.`);
        }
        out.data[r * out.cols + c] = x;
      });
    });
    return out;
  }

  /** Entry (r, c). */
  at(r: number, c: number): number {
    return this.data[r * this.cols + c];
  }

  /** The one number of a 1 × 1 tensor, like a loss (PyTorch's `item()`). */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: expected a 1×1 tensor, got ${shapeText(this)}.`);
    return this.data[0];
  }

  /** The entries as a list of rows (a copy). */
  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols)),
    );
  }

  /** The grads as a list of rows (a copy). */
  gradArray(): number[][] {
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from(this.grad.subarray(r * this.cols, (r + 1) * this.cols)),
    );
  }

  /** The matrix product this · other: (rows × inner) · (inner × cols) gives rows × cols. */
  matmul(other: Tensor): Tensor {
    checkMatmul(this, other);
    // BEGIN lesson-14
    const rows = this.rows;
    const inner = this.cols;
    const cols = other.cols;
    const out = new Tensor([rows, cols], [this, other], "matmul");
    const a = this.data;
    const b = other.data;
    const c = out.data;
    // c[i][j] = Σ_k a[i][k] · b[k][j]. The loops run i, k, j: the innermost one walks a row of b and a row of c,
    // entry after entry, in the order they are stored.
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < inner; k++) {
        const aik = a[i * inner + k];
        for (let j = 0; j < cols; j++) c[i * cols + j] += aik * b[k * cols + j];
      }
    }
    const localBackward = () => {
      // d c[i][j] / d a[i][k] = b[k][j] and d c[i][j] / d b[k][j] = a[i][k]; added up over every j and every i:
      // grad of a = out.grad · bᵀ, grad of b = aᵀ · out.grad. The same i, k, j loops compute both. (The step
      // reads its own a, b and sizes from the tensors: see "Fast loops" in lesson 14's README.)
      const rows = this.rows;
      const inner = this.cols;
      const cols = other.cols;
      const a = this.data;
      const b = other.data;
      const gradA = this.grad;
      const gradB = other.grad;
      const gradC = out.grad;
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < inner; k++) {
          const aik = a[i * inner + k];
          let sum = 0;
          for (let j = 0; j < cols; j++) {
            const g = gradC[i * cols + j];
            sum += g * b[k * cols + j];
            gradB[k * cols + j] += aik * g;
          }
          gradA[i * inner + k] += sum;
        }
      }
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** this + other, entry by entry; `other` may also be one row (1 × cols), added to every row of this. */
  add(other: Tensor): Tensor {
    checkRowsMatch(this, other, "add");
    // BEGIN lesson-14
    const { rows, cols } = this;
    const out = new Tensor(this.shape, [this, other], "+");
    const a = this.data;
    const b = other.data;
    const c = out.data;
    // Row i of b starts at i * stride: a broadcast row has stride 0, so every row i reads its row 0.
    const stride = other.rows === 1 ? 0 : cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) c[i * cols + j] = a[i * cols + j] + b[i * stride + j];
    }
    const localBackward = () => {
      const { rows, cols } = out;
      const stride = other.rows === 1 ? 0 : cols;
      const da = this.grad;
      const db = other.grad;
      const dc = out.grad;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          da[i * cols + j] += dc[i * cols + j];
          // A broadcast row took part in every row of out, so its grad adds up the grads of all of them.
          db[i * stride + j] += dc[i * cols + j];
        }
      }
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** this − other, entry by entry; `other` may also be one row (1 × cols), taken from every row of this. */
  sub(other: Tensor): Tensor {
    checkRowsMatch(this, other, "sub");
    // BEGIN lesson-14
    const { rows, cols } = this;
    const out = new Tensor(this.shape, [this, other], "-");
    const a = this.data;
    const b = other.data;
    const c = out.data;
    const stride = other.rows === 1 ? 0 : cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) c[i * cols + j] = a[i * cols + j] - b[i * stride + j];
    }
    const localBackward = () => {
      const { rows, cols } = out;
      const stride = other.rows === 1 ? 0 : cols;
      const da = this.grad;
      const db = other.grad;
      const dc = out.grad;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          da[i * cols + j] += dc[i * cols + j];
          db[i * stride + j] -= dc[i * cols + j];
        }
      }
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** this · other, entry by entry (not the matrix product: that is `matmul`). Both have the same shape. */
  mul(other: Tensor): Tensor {
    checkSameShape(this, other, "mul");
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this, other], "*");
    const a = this.data;
    const b = other.data;
    const c = out.data;
    for (let i = 0; i < c.length; i++) c[i] = a[i] * b[i];
    const localBackward = () => {
      const a = this.data;
      const b = other.data;
      const da = this.grad;
      const db = other.grad;
      const dc = out.grad;
      for (let i = 0; i < dc.length; i++) {
        da[i] += b[i] * dc[i];
        db[i] += a[i] * dc[i];
      }
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** factor · this: every entry times the same number. */
  scale(factor: number): Tensor {
    checkFinite(factor, "scale");
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], `*${factor}`);
    const x = this.data;
    const y = out.data;
    for (let i = 0; i < y.length; i++) y[i] = factor * x[i];
    const localBackward = () => {
      const dx = this.grad;
      const dy = out.grad;
      for (let i = 0; i < dy.length; i++) dx[i] += factor * dy[i];
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** Every entry to the power `exponent`, a constant (as lesson 01's pow). */
  pow(exponent: number): Tensor {
    checkFinite(exponent, "pow");
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], `**${exponent}`);
    const x = this.data;
    const y = out.data;
    for (let i = 0; i < y.length; i++) y[i] = x[i] ** exponent;
    const localBackward = () => {
      const x = this.data;
      const dx = this.grad;
      const dy = out.grad;
      for (let i = 0; i < dy.length; i++) dx[i] += exponent * x[i] ** (exponent - 1) * dy[i];
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** tanh of every entry. */
  tanh(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], "tanh");
    const x = this.data;
    const y = out.data;
    for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x[i]);
    const localBackward = () => {
      const y = out.data;
      const dx = this.grad;
      const dy = out.grad;
      for (let i = 0; i < dy.length; i++) dx[i] += (1 - y[i] * y[i]) * dy[i];
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** sigmoid of every entry, 1 / (1 + e^-x). */
  sigmoid(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], "sigmoid");
    const x = this.data;
    const y = out.data;
    for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
    const localBackward = () => {
      const y = out.data;
      const dx = this.grad;
      const dy = out.grad;
      for (let i = 0; i < dy.length; i++) dx[i] += y[i] * (1 - y[i]) * dy[i];
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** max(0, x) of every entry. */
  relu(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], "relu");
    const x = this.data;
    const y = out.data;
    for (let i = 0; i < y.length; i++) y[i] = Math.max(0, x[i]);
    const localBackward = () => {
      const x = this.data;
      const dx = this.grad;
      const dy = out.grad;
      for (let i = 0; i < dy.length; i++) {
        if (x[i] > 0) dx[i] += dy[i];
      }
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** ln(1 + e^x) of every entry, computed so that it cannot overflow (as lesson 11's softplus). */
  softplus(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor(this.shape, [this], "softplus");
    const x = this.data;
    const y = out.data;
    // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): the exponent is never positive, so e^... stays at most 1.
    for (let i = 0; i < y.length; i++) y[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
    const localBackward = () => {
      const x = this.data;
      const dx = this.grad;
      const dy = out.grad;
      // d/dx ln(1 + e^x) = sigmoid(x)
      for (let i = 0; i < dy.length; i++) dx[i] += dy[i] / (1 + Math.exp(-x[i]));
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** The sum of every entry, as a 1 × 1 tensor. */
  sum(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor([1, 1], [this], "sum");
    const x = this.data;
    let total = 0;
    for (let i = 0; i < x.length; i++) total += x[i];
    out.data[0] = total;
    const localBackward = () => {
      const dx = this.grad;
      // Every entry adds to the sum with slope 1.
      for (let i = 0; i < dx.length; i++) dx[i] += out.grad[0];
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /** The mean of every entry, as a 1 × 1 tensor. */
  mean(): Tensor {
    // BEGIN lesson-14
    const out = new Tensor([1, 1], [this], "mean");
    const x = this.data;
    let total = 0;
    for (let i = 0; i < x.length; i++) total += x[i];
    out.data[0] = total / x.length;
    const localBackward = () => {
      const dx = this.grad;
      // Every entry adds to the mean with slope 1 / n.
      for (let i = 0; i < dx.length; i++) dx[i] += out.grad[0] / dx.length;
    };
    out.localBackward = localBackward;
    return out;
    // END lesson-14
  }

  /**
   * Every tensor of the graph below this one, each once, every tensor after all of its children, this one last:
   * lesson 03's walk, without recursion. (`this: Tensor`: see lesson 03's `topoSort`.)
   */
  topoSort(this: Tensor): Tensor[] {
    // BEGIN lesson-14
    const order: Tensor[] = [];
    const visited = new Set<Tensor>([this]);
    const stack: Tensor[] = [this];
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
        order.push(node);
        stack.pop();
        nextChild.pop();
      }
    }
    return order;
    // END lesson-14
  }

  /** Fills in the grad of every tensor below this one, which must be 1 × 1 (a loss). (`this: Tensor`: see topoSort.) */
  backward(this: Tensor): void {
    checkIsRoot(this);
    // BEGIN lesson-14
    const order = this.topoSort();
    this.grad[0] = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].localBackward();
    // END lesson-14
  }

  /** Sets the grad of every tensor below this one back to 0. (`this: Tensor`: see topoSort.) */
  zeroGrad(this: Tensor): void {
    // BEGIN lesson-14
    for (const node of this.topoSort()) node.grad.fill(0);
    // END lesson-14
  }

  toString(): string {
    return `Tensor(${this.label ? `${this.label}, ` : ""}${shapeText(this)})`;
  }
}

/** The local backward step of an input: one shared function, not a new empty closure for every tensor. */
function nothingToPassOn(): void {}

/** "32×2" */
export function shapeText(t: Tensor): string {
  return `${t.rows}×${t.cols}`;
}

// Provided checks: a shape that does not fit fails at the call, naming both shapes, instead of reading past
// the end of an array (which a Float64Array answers with undefined, and then NaN everywhere).

function checkShape(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`Tensor: a shape is two whole numbers of at least 1, like [32, 2]; got [${rows}, ${cols}].`);
  }
}

function checkIsTensor(other: unknown, op: string): asserts other is Tensor {
  if (!(other instanceof Tensor)) {
    const what = typeof other === "number" ? "a number (to multiply by a number, use scale)" : typeof other;
    throw new TypeError(`${op}: expected a Tensor, got ${what}.`);
  }
}

function checkMatmul(a: Tensor, b: unknown): asserts b is Tensor {
  checkIsTensor(b, "matmul");
  if (a.cols !== b.rows) {
    throw new RangeError(
      `matmul: cannot multiply ${shapeText(a)} by ${shapeText(b)}: the left one's columns (${a.cols}) must equal ` +
        `the right one's rows (${b.rows}).`,
    );
  }
}

function checkSameShape(a: Tensor, b: unknown, op: string): asserts b is Tensor {
  checkIsTensor(b, op);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(`${op}: the shapes ${shapeText(a)} and ${shapeText(b)} differ: expected the same shape.`);
  }
}

/** add and sub take the same shape, or one row to use for every row (a bias). */
function checkRowsMatch(a: Tensor, b: unknown, op: string): asserts b is Tensor {
  checkIsTensor(b, op);
  if (a.cols !== b.cols || (b.rows !== a.rows && b.rows !== 1)) {
    throw new RangeError(
      `${op}: the shapes ${shapeText(a)} and ${shapeText(b)} do not fit: expected ${shapeText(a)}, ` +
        `or one row of 1×${a.cols} to use for every row.`,
    );
  }
}

function checkFinite(x: unknown, op: string): asserts x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${op}: expected a finite number, got ${x}.`);
}

function checkIsRoot(t: Tensor): void {
  if (t.size !== 1) {
    throw new RangeError(
      `backward: start from a 1×1 tensor (one number, like a loss), got ${shapeText(t)}: take its mean() or sum() first.`,
    );
  }
}
