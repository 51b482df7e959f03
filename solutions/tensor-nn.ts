/**
 * The network and the losses of lessons 05 to 13, on tensors: a `Linear` layer is one matrix product and one
 * broadcast add, `x · W + b`, for a whole batch at once; an `MLP` stacks them with tanh in between, as lesson
 * 07's `ANN` does. The same seed gives the same weights as the `ANN`, so the two can be compared number for number.
 *
 * Lesson 14.
 */
import type { Dataset } from "./data";
import { DEFAULT_SEED, type InitOptions } from "./nn";
import type { Parameter } from "./optim";
import { Random } from "./random";
import { shapeText, Tensor } from "./tensor";

/**
 * A fully connected layer, PyTorch's `nn.Linear`: `forward(x)` is `x · weight + bias` for a batch `x` of
 * nin columns, one example per row. Column j of `weight` holds neuron j's weights: entry (i, j) is the `w[i]` of
 * lesson 05's neuron j, and `bias` entry (0, j) its `b`. (PyTorch stores the transpose, nout × nin, and computes
 * `x · Wᵀ + b`: the same numbers.)
 */
export class Linear {
  /** nin × nout */
  readonly weight: Tensor;
  /** 1 × nout, added to every row of the batch */
  readonly bias: Tensor;

  constructor(nin: number, nout: number, { init = "random", rng = new Random(DEFAULT_SEED) }: InitOptions = {}) {
    this.weight = new Tensor([nin, nout], [], "", "W");
    this.bias = new Tensor([1, nout], [], "", "b");
    const initialValue = (): number => {
      if (init === "ones") return 1;
      if (init === "zeros") return 0;
      return rng.uniform(-1, 1);
    };
    // Neuron by neuron, its weights and then its bias: the order lesson 05's Neuron draws them in, so the same
    // generator gives this layer the same numbers as lesson 06's Layer(nin, nout).
    for (let j = 0; j < nout; j++) {
      for (let i = 0; i < nin; i++) this.weight.data[i * nout + j] = initialValue();
      this.bias.data[j] = initialValue();
    }
  }

  /** x · weight + bias, for a batch x of one example per row: batch × nin in, batch × nout out. */
  forward(x: Tensor): Tensor {
    checkInputs(x, this.weight.rows, "Linear.forward");
    // BEGIN lesson-14
    return x.matmul(this.weight).add(this.bias);
    // END lesson-14
  }

  /** [weight, bias] */
  parameters(): Tensor[] {
    // BEGIN lesson-14
    return [this.weight, this.bias];
    // END lesson-14
  }
}

/** A multi-layer perceptron on tensors: `new MLP(2, [16, 16, 1])` is lesson 07's `new ANN(2, [16, 16, 1])`. */
export class MLP {
  readonly layers: Linear[];

  constructor(nin: number, nouts: number[], { init = "random", rng = new Random(DEFAULT_SEED) }: InitOptions = {}) {
    if (nouts.length === 0) throw new RangeError("MLP: give at least one layer size, like new MLP(2, [16, 1]).");
    const sizes = [nin, ...nouts];
    this.layers = nouts.map((nout, i) => new Linear(sizes[i], nout, { init, rng }));
    this.layers.forEach((layer, i) => {
      layer.weight.label = `W${i + 1}`;
      layer.bias.label = `b${i + 1}`;
    });
  }

  /** tanh after every hidden layer, nothing after the output layer: one row of raw scores per example. */
  forward(x: Tensor): Tensor {
    // BEGIN lesson-14
    let out = this.layers[0].forward(x);
    for (let i = 1; i < this.layers.length; i++) {
      out = this.layers[i].forward(out.tanh());
    }
    return out;
    // END lesson-14
  }

  /** Layer by layer: [W1, b1, W2, b2, ...]. */
  parameters(): Tensor[] {
    // BEGIN lesson-14
    const params: Tensor[] = [];
    for (const layer of this.layers) params.push(...layer.parameters());
    return params;
    // END lesson-14
  }

  /** Every entry of every parameter's grad back to 0. */
  zeroGrad(): void {
    // BEGIN lesson-14
    for (const p of this.parameters()) p.grad.fill(0);
    // END lesson-14
  }

  /** One step of gradient descent on every entry of every parameter. */
  update(lr: number): void {
    // BEGIN lesson-14
    for (const p of this.parameters()) {
      for (let i = 0; i < p.size; i++) p.data[i] -= lr * p.grad[i];
    }
    // END lesson-14
  }
}

/** The mean squared error over a batch, mean((pred − target)²): lesson 08's meanSeLoss on tensors. */
export function mseLoss(pred: Tensor, target: Tensor): Tensor {
  checkTargets(pred, target, "mseLoss");
  // BEGIN lesson-14
  return pred.sub(target).pow(2).mean();
  // END lesson-14
}

/**
 * The mean binary cross-entropy of a batch of logits for labels 0 and 1, mean(softplus(z) − y · z): lesson 11's
 * bceWithLogitsLoss on tensors, averaged over the batch as PyTorch's `BCEWithLogitsLoss` does by default.
 */
export function meanBceWithLogits(logits: Tensor, labels: Tensor): Tensor {
  checkTargets(logits, labels, "meanBceWithLogits");
  checkLabels(labels);
  // BEGIN lesson-14
  return logits.softplus().sub(logits.mul(labels)).mean();
  // END lesson-14
}

/** The examples of `data` at the positions in `batch` as one tensor (a row each) and their targets as a column. */
export function toBatch(data: Dataset, batch: number[]): { x: Tensor; y: Tensor } {
  if (batch.length === 0) throw new RangeError("toBatch: expected at least one position, got none.");
  const features = data.x[batch[0]].length;
  const x = new Tensor([batch.length, features], [], "", "x");
  const y = new Tensor([batch.length, 1], [], "", "y");
  batch.forEach((position, row) => {
    x.data.set(data.x[position], row * features);
    y.data[row] = data.y[position];
  });
  return { x, y };
}

/**
 * Every entry of `tensors` as a `Parameter`, the one number and its gradient that lesson 13's optimizers move:
 * `new Adam(entries(model.parameters()), { lr: 0.01 })`. Reading or writing an entry's `data` or `grad` reads or
 * writes that number of its tensor.
 */
export function entries(tensors: Tensor[]): Parameter[] {
  return tensors.flatMap((tensor) => Array.from({ length: tensor.size }, (_, index) => new Entry(tensor, index)));
}

/** One entry of a tensor, seen as a `Parameter`. */
class Entry implements Parameter {
  constructor(
    private readonly tensor: Tensor,
    private readonly index: number,
  ) {}

  get data(): number {
    return this.tensor.data[this.index];
  }

  set data(value: number) {
    this.tensor.data[this.index] = value;
  }

  get grad(): number {
    return this.tensor.grad[this.index];
  }

  set grad(value: number) {
    this.tensor.grad[this.index] = value;
  }
}

// Provided checks: a batch of the wrong width or targets of the wrong shape fail here, naming the shapes.

function checkInputs(x: Tensor, nin: number, where: string): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${where}: expected a Tensor of one example per row.`);
  if (x.cols !== nin) {
    throw new RangeError(`${where}: expected a batch of ${nin} columns (one per input), got ${shapeText(x)}.`);
  }
}

function checkTargets(pred: Tensor, target: Tensor, where: string): void {
  if (pred.rows !== target.rows || pred.cols !== target.cols) {
    throw new RangeError(
      `${where}: the predictions are ${shapeText(pred)} but the targets ${shapeText(target)}: expected the same shape.`,
    );
  }
}

function checkLabels(labels: Tensor): void {
  const bad = labels.data.find((y) => y !== 0 && y !== 1);
  if (bad !== undefined) {
    throw new RangeError(
      `meanBceWithLogits: the labels must be 0 or 1, got ${bad}. Cross-entropy takes makeMoons' 0/1 labels, not toSigned's -1/+1.`,
    );
  }
}
