/**
 * Provided: you do not need to edit this file; read it with lesson 18.
 *
 * Lesson 17's network without the graph: nin-hidden-nout (784-128-10 for MNIST), tanh, softmax cross-entropy, its
 * forward and backward passes written out on packed arrays (lessons 14 and 16's local steps, in the order
 * `backward()` would call them), every matrix product handed to a `Matmul` you choose: one of your loops of lesson
 * 18, the threads, or the SIMD kernel. The rest of the step's work (the products with a transposed matrix, tanh, the
 * update) is JavaScript below, unless the path hands in kernels of its own (`StepKernels`: the SIMD paths hand in
 * kernels.wat's). Every array lives in one arena, so the threads and the kernels can reach it. Lesson 18's tests
 * check that it computes the gradients of lesson 14's engine.
 *
 *     const net = new FastMlp({ sizes: [784, 128, 10], batch: 64, kind: "float32", arena, matmul });
 *     net.copyWeights(mlp);                 // lesson 14's MLP(784, [128, 10])
 *     net.inputs(64).set(pixels);           // the batch, one image per row (or row by row: net.input(r))
 *     const loss = net.step(64, labels);    // forward and backward: net.grads() now hold dL/dW1, dL/db1, ...
 *     adam.step();                          // a PackedAdam on net.parameters() and net.grads()
 *
 * Lesson 18.
 */
import type { Arena, FloatKind } from "./arena";
import type { FloatArray, Matmul } from "./matmul-loops";
import { Tensor } from "./tensor";

export interface FastMlpOptions {
  /** [inputs, hidden units, classes]: [784, 128, 10] for MNIST. */
  sizes: readonly [number, number, number];
  /** The most examples a batch may hold (the arrays are made for it once). */
  batch: number;
  kind: FloatKind;
  /** Where every array lives. */
  arena: Arena;
  /** Every matrix product: C = A · B into C. */
  matmul: Matmul;
  /** The rest of the step's work; by default the JavaScript of this file, with `matmul` for the products. */
  kernels?: StepKernels;
}

/**
 * The work of a step besides its products C = A · B: once the products are fast, what is left. By default the
 * JavaScript functions of this file (`javascriptKernels`); the SIMD paths hand in the WebAssembly kernels of
 * kernels.wat, which do the same four numbers at a time in float32 (`SimdMatmul.stepKernels()`).
 */
export interface StepKernels {
  /** C = Aᵀ · B for A stored inner × rows (so that Aᵀ is rows × inner), into C (rows × cols). */
  matmulTransposedA: Matmul;
  /** Every row of x (cols wide) plus the row b, then tanh of every entry, in place. */
  addRowAndTanh(x: FloatArray, b: FloatArray, cols: number): void;
  /** p −= lr · g, number by number: a plain gradient descent step on one parameter. */
  sgd(p: FloatArray, g: FloatArray, lr: number): void;
}

/** The weights of a lesson 14 `MLP` with one hidden layer: its layers' `weight` (nin × nout) and `bias` (1 × nout). */
export interface TwoLayers {
  layers: readonly { weight: { data: ArrayLike<number> }; bias: { data: ArrayLike<number> } }[];
}

export class FastMlp {
  readonly nin: number;
  readonly hidden: number;
  readonly nout: number;
  readonly batch: number;
  /** nin × hidden, hidden × nout (as lesson 14's `Linear`: column j holds unit j's weights), and the biases. */
  readonly w1: FloatArray;
  readonly b1: FloatArray;
  readonly w2: FloatArray;
  readonly b2: FloatArray;
  /** Their gradients after `step`, in the same layouts. */
  readonly dw1: FloatArray;
  readonly db1: FloatArray;
  readonly dw2: FloatArray;
  readonly db2: FloatArray;
  private readonly matmul: Matmul;
  private readonly kernels: StepKernels;
  /** The batch (batch × nin). */
  private readonly x: FloatArray;
  /** tanh of the hidden layer (batch × hidden), and its gradient. */
  private readonly h: FloatArray;
  private readonly dh: FloatArray;
  /** The logits (batch × nout), W2's transpose (nout × hidden), and the logits' gradient. */
  private readonly logits: FloatArray;
  private readonly w2T: FloatArray;
  private readonly dlogits: FloatArray;

  constructor({ sizes, batch, kind, arena, matmul, kernels }: FastMlpOptions) {
    const [nin, hidden, nout] = sizes;
    for (const n of [nin, hidden, nout, batch]) {
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`FastMlp: sizes and batch must be whole numbers of at least 1, got ${n}.`);
    }
    [this.nin, this.hidden, this.nout, this.batch, this.matmul] = [nin, hidden, nout, batch, matmul];
    const floats = (count: number) => arena.floats(kind, count);
    [this.w1, this.b1, this.w2, this.b2] = [floats(nin * hidden), floats(hidden), floats(hidden * nout), floats(nout)];
    [this.dw1, this.db1, this.dw2, this.db2] = [
      floats(nin * hidden),
      floats(hidden),
      floats(hidden * nout),
      floats(nout),
    ];
    [this.x, this.h, this.dh] = [floats(batch * nin), floats(batch * hidden), floats(batch * hidden)];
    [this.logits, this.w2T, this.dlogits] = [floats(batch * nout), floats(nout * hidden), floats(batch * nout)];
    // Room for the larger of the two transposes that the JavaScript's Aᵀ · B writes out: xᵀ and hᵀ.
    this.kernels = kernels ?? javascriptKernels(matmul, floats(Math.max(nin, hidden) * batch));
  }

  /** [W1, b1, W2, b2]: what an optimizer moves. */
  parameters(): FloatArray[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** [dW1, db1, dW2, db2], in the order of `parameters()`. */
  grads(): FloatArray[] {
    return [this.dw1, this.db1, this.dw2, this.db2];
  }

  /** Copies the weights of lesson 14's `MLP(nin, [hidden, nout])` (same layouts), rounded to this network's kind. */
  copyWeights(mlp: TwoLayers): void {
    const from = mlp.layers.flatMap(({ weight, bias }) => [weight.data, bias.data]);
    const to = this.parameters();
    if (from.length !== to.length || from.some((data, i) => data.length !== to[i].length)) {
      throw new RangeError(`FastMlp.copyWeights: expected an MLP(${this.nin}, [${this.hidden}, ${this.nout}]).`);
    }
    to.forEach((array, i) => {
      array.set(from[i]);
    });
  }

  /** Row `row` of the batch (nin numbers), to fill with an example before `forward` or `step`. */
  input(row: number): FloatArray {
    return this.x.subarray(row * this.nin, (row + 1) * this.nin);
  }

  /** The first `rows` rows of the batch (rows × nin numbers), to fill with a whole batch at once. */
  inputs(rows: number): FloatArray {
    this.checkRows(rows);
    return this.x.subarray(0, rows * this.nin);
  }

  /** The logits of the first `rows` examples of the batch (rows × nout), computed from `input`. */
  forward(rows: number): FloatArray {
    this.checkRows(rows);
    const { nin, hidden, nout } = this;
    const h = this.h.subarray(0, rows * hidden);
    const logits = this.logits.subarray(0, rows * nout);
    this.matmul(this.x.subarray(0, rows * nin), this.w1, h, rows, nin, hidden);
    this.kernels.addRowAndTanh(h, this.b1, hidden);
    this.matmul(h, this.w2, logits, rows, hidden, nout);
    addRow(logits, this.b2, nout);
    return logits;
  }

  /**
   * Forward and backward on the first `rows` examples, whose digits are `labels`: returns the mean cross-entropy
   * and leaves its gradients in `grads()` (set, not added to).
   */
  step(rows: number, labels: ArrayLike<number>): number {
    if (labels.length !== rows) throw new RangeError(`FastMlp.step: ${rows} examples but ${labels.length} labels.`);
    const logits = this.forward(rows);
    // Lesson 16: dL/dlogits = (softmax − one-hot) / rows.
    const loss = softmaxCrossEntropy(logits, labels, this.logitsGrad(rows), this.nout);
    this.backward(rows);
    return loss;
  }

  /** dL/dlogits of the first `rows` examples (rows × nout): what `backward` starts from. */
  logitsGrad(rows: number): FloatArray {
    return this.dlogits.subarray(0, rows * this.nout);
  }

  /**
   * The backward pass of the last `forward(rows)`, from `logitsGrad(rows)`: lessons 14's local steps in the order
   * `backward()` calls them. Leaves the weights' gradients in `grads()` (set, not added to).
   */
  backward(rows: number): void {
    this.checkRows(rows);
    const { nin, hidden, nout } = this;
    const h = this.h.subarray(0, rows * hidden);
    const dlogits = this.logitsGrad(rows);
    const dh = this.dh.subarray(0, rows * hidden);
    const { matmulTransposedA } = this.kernels;
    // The output layer: dW2 = hᵀ · dlogits, db2 = the sum of dlogits' rows, dh = dlogits · W2ᵀ.
    matmulTransposedA(h, dlogits, this.dw2, hidden, rows, nout);
    sumRows(dlogits, this.db2, nout);
    transpose(this.w2, this.w2T, hidden, nout);
    this.matmul(dlogits, this.w2T, dh, rows, nout, hidden);
    // tanh's local step, in place: dz1 = dh · (1 − h²).
    for (let i = 0; i < dh.length; i++) dh[i] *= 1 - h[i] * h[i];
    // The hidden layer: dW1 = xᵀ · dz1, db1 = the sum of dz1's rows. (Nothing needs dL/dx.)
    matmulTransposedA(this.x.subarray(0, rows * nin), dh, this.dw1, nin, rows, hidden);
    sumRows(dh, this.db1, hidden);
  }

  /** Plain gradient descent, lesson 9's `update`: every parameter p −= lr · its gradient, after a `step`. */
  update(lr: number): void {
    const grads = this.grads();
    this.parameters().forEach((p, n) => {
      this.kernels.sgd(p, grads[n], lr);
    });
  }

  /**
   * This network as a model of lesson 17 (`forward(x)` of a batch tensor gives the logits tensor), so that lesson
   * 17's own training loop trains it: the logits are a tensor of lesson 14 with no children, whose local step hands
   * dL/dlogits (computed by lesson 16's crossEntropy) to `backward`. Pair it with a PackedAdam, as the optimizer.
   */
  asModel(): { forward(x: Tensor): Tensor } {
    return {
      forward: (x) => {
        if (x.cols !== this.nin)
          throw new RangeError(`FastMlp: expected a batch of ${this.nin} columns, got ${x.cols}.`);
        const rows = x.rows;
        this.inputs(rows).set(x.data);
        const logits = new Tensor([rows, this.nout], [], "FastMlp", "logits");
        logits.data.set(this.forward(rows));
        const localBackward = () => {
          this.logitsGrad(rows).set(logits.grad);
          this.backward(rows);
        };
        logits.localBackward = localBackward;
        return logits;
      },
    };
  }

  private checkRows(rows: number): void {
    if (!Number.isInteger(rows) || rows < 1 || rows > this.batch) {
      throw new RangeError(`FastMlp: a batch of 1 to ${this.batch} examples, got ${rows}.`);
    }
  }
}

/**
 * Lesson 13's Adam (PyTorch's defaults, bias-corrected) on packed arrays: the same arithmetic as `Adam.step()`,
 * number by number, without an object per number.
 */
export class PackedAdam {
  /** The learning rate, which a schedule may change between steps (as lesson 17's recipe does). */
  lr: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    private readonly params: FloatArray[],
    private readonly grads: FloatArray[],
    private readonly options: { lr: number; betas?: [number, number]; eps?: number },
  ) {
    this.lr = options.lr;
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  /** Nothing to do: a FastMlp's backward pass sets its gradients rather than adding to them. */
  zeroGrad(): void {}

  step(): void {
    const { lr } = this;
    const { betas = [0.9, 0.999], eps = 1e-8 } = this.options;
    const [beta1, beta2] = betas;
    this.t += 1;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    this.params.forEach((p, n) => {
      const [g, m, v] = [this.grads[n], this.m[n], this.v[n]];
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + eps);
      }
    });
  }
}

/**
 * The step's other work in JavaScript: C = Aᵀ · B writes the transpose of A out into `scratch`, then multiplies it by
 * `matmul` (the products are then all `matmul`'s, as lesson 18's loops want).
 */
function javascriptKernels(matmul: Matmul, scratch: FloatArray): StepKernels {
  return {
    matmulTransposedA(a, b, c, rows, inner, cols) {
      const aT = scratch.subarray(0, rows * inner);
      transpose(a, aT, inner, rows);
      matmul(aT, b, c, rows, inner, cols);
    },
    addRowAndTanh,
    sgd,
  };
}

/** Every row of x (cols wide) plus the row b, then tanh of every entry. */
function addRowAndTanh(x: FloatArray, b: FloatArray, cols: number): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i] + b[i % cols]);
}

/** Every row of x (cols wide) plus the row b. */
function addRow(x: FloatArray, b: FloatArray, cols: number): void {
  for (let i = 0; i < x.length; i++) x[i] += b[i % cols];
}

/** p −= lr · g, number by number. */
function sgd(p: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}

/** out = the sum of the rows of x (cols wide). */
function sumRows(x: FloatArray, out: FloatArray, cols: number): void {
  out.fill(0);
  for (let i = 0; i < x.length; i++) out[i % cols] += x[i];
}

/** out (cols × rows) = the transpose of x (rows × cols). */
export function transpose(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  }
}

/**
 * The mean cross-entropy of `logits` (one row of `classes` per example) for `labels`, computed stably (each row's
 * maximum taken off first, lesson 16), with its gradient (softmax − one-hot) / rows written into `grad`.
 */
function softmaxCrossEntropy(logits: FloatArray, labels: ArrayLike<number>, grad: FloatArray, classes: number): number {
  const rows = labels.length;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`FastMlp.step: label ${label} of example ${r} is not a class from 0 to ${classes - 1}.`);
    }
    const row = r * classes;
    let max = logits[row];
    for (let c = 1; c < classes; c++) max = Math.max(max, logits[row + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
    total += max + Math.log(sum) - logits[row + label];
    for (let c = 0; c < classes; c++)
      grad[row + c] = (Math.exp(logits[row + c] - max) / sum - (c === label ? 1 : 0)) / rows;
  }
  return total / rows;
}
